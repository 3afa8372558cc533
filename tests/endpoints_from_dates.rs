//! Endpoints from dates on the example cohort: the study's derived endpoints, computed from
//! car_t_date, relapse_date, death_date and last_contact_date, reproduce the file's own OS, LFS
//! and relapse/NRM columns (written to 4 decimals, months = days / 30.4375) row by row; and
//! `survkit endpoints` writes them as CSV and JSON, refusing impossible dates unless excluded.

mod common;

use common::{repository_root, run_cli};
use survkit::analysis::Study;
use survkit::data::{ColumnData, Day, Table};
use survkit::report::{EndpointValues, EndpointsReport};

const TODAY: &str = "2026-01-01";

fn example_study() -> Study {
    let text = std::fs::read_to_string(repository_root().join("examples/study.json")).expect("study");
    Study::from_json(&text).expect("a study")
}

fn example_table() -> Table {
    let text = std::fs::read_to_string(repository_root().join("examples/cart_haplo_simulated.csv")).expect("data");
    Table::parse(&text, &Default::default()).expect("table")
}

fn numbers(table: &Table, name: &str) -> Vec<f64> {
    match &table.column(name).expect(name).data {
        ColumnData::Numeric(values) => values.clone(),
        ColumnData::Text { .. } => panic!("{name} is not numeric"),
    }
}

/// The file's value to 4 decimals, as it was written.
fn rounded(value: f64) -> f64 {
    (value * 1e4).round() / 1e4
}

#[test]
fn the_example_studys_endpoints_reproduce_the_files_columns_row_by_row() {
    let study = example_study();
    let table = study.prepare(example_table(), Day::parse_iso(TODAY).expect("date")).expect("derived");
    assert!(table.notices.is_empty(), "{:?}", table.notices);
    let ids: Vec<String> =
        (0..table.n_rows()).map(|row| table.column("patient_id").expect("id").cell_text(row)).collect();
    for (derived, file, decimals) in [
        ("os_months_from_dates", "os_months", true),
        ("os_event_from_dates", "os_event", false),
        ("lfs_months_from_dates", "lfs_months", true),
        ("lfs_event_from_dates", "lfs_event", false),
        ("relapse_months_from_dates", "lfs_months", true),
        ("relapse_status_from_dates", "relapse_status", false),
    ] {
        let (ours, theirs) = (numbers(&table, derived), numbers(&table, file));
        assert_eq!(ours.len(), 122);
        for (row, (ours, theirs)) in ours.iter().zip(&theirs).enumerate() {
            let ours = if decimals { rounded(*ours) } else { *ours };
            assert_eq!(ours, *theirs, "{derived} against {file}, row {} ({})", table.spreadsheet_row(row), ids[row]);
        }
    }
    // Time to transplant: from CAR-T to hsct_date, missing exactly where there was no transplant.
    let hsct = numbers(&table, "hsct_months_from_dates");
    let group = table.column("group").expect("group");
    for (row, months) in hsct.iter().enumerate() {
        assert_eq!(months.is_nan(), group.cell_text(row) == "No transplant", "row {}", table.spreadsheet_row(row));
        assert!(months.is_nan() || *months >= 0.0);
    }
    assert_eq!(hsct.iter().filter(|months| !months.is_nan()).count(), 55);
}

#[test]
fn survkit_endpoints_writes_csv_and_json() {
    let study = repository_root().join("examples/study.json").display().to_string();
    let data = repository_root().join("examples/cart_haplo_simulated.csv").display().to_string();
    let args = ["endpoints", "--study", &study, "--data", &data, "--today", TODAY, "--format"];
    let (ok, csv, stderr) = run_cli(&[&args[..], &["csv"]].concat(), None);
    assert!(ok, "{stderr}");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "row,patient_id,age_group,os_months_from_dates,os_event_from_dates,lfs_months_from_dates,\
             lfs_event_from_dates,relapse_months_from_dates,relapse_status_from_dates,hsct_months_from_dates"
        )
    );
    // P001: CAR-T 2015-07-11, relapse 2015-11-03 (115 days), death 2016-06-24 (349 days), no HSCT.
    assert_eq!(
        lines.next(),
        Some(
            format!("2,P001,\"[-Inf,40)\",{},1,{},1,{},1,", 349.0 / 30.4375, 115.0 / 30.4375, 115.0 / 30.4375).as_str()
        )
    );
    assert_eq!(csv.lines().count(), 123);
    let (ok, json, stderr) = run_cli(&[&args[..], &["json"]].concat(), None);
    assert!(ok, "{stderr}");
    let report: EndpointsReport = serde_json::from_str(&json).expect("an endpoints report");
    assert_eq!(report.to_json(), json.trim_end());
    assert_eq!(report.today, TODAY);
    assert_eq!(report.rows.len(), 122);
    let os = report.columns.iter().find(|column| column.name == "os_months_from_dates").expect("os");
    assert_eq!(os.unit, Some(survkit::data::TimeUnit::Months));
    let EndpointValues::Numbers(values) = &os.values else { panic!("numbers") };
    assert_eq!(values[0], Some(349.0 / 30.4375));
    let (ok, _, stderr) = run_cli(&[&args[..], &["text"]].concat(), None);
    assert!(!ok && stderr.contains("--format csv or --format json"), "{stderr}");
}

/// A study whose definition meets impossible dates: refused with the whole list, or, with
/// `exclude_impossible`, those rows missing and said.
#[test]
fn impossible_dates_refused_with_the_list_or_excluded_and_said() {
    let folder = std::env::temp_dir().join(format!("survkit-endpoints-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("temp");
    let data = folder.join("dates.csv");
    std::fs::write(
        &data,
        "id,start,relapse,death,last\n\
         ok,11/07/2015,,,01/02/2016\n\
         early,25/07/2015,01/07/2015,,01/02/2016\n\
         after,11/07/2015,01/03/2016,,01/02/2016\n\
         future,11/07/2015,,,01/02/2030\n",
    )
    .expect("write");
    let study = |exclude: bool| {
        format!(
            r#"{{"survkit_study": 1, "derived": [{{"kind": "time_to_event", "time": "lfs", "event": "lfs_event",
                "origin": "start", "events": ["relapse", "death"], "censor": "last", "unit": "days", "id": "id",
                "exclude_impossible": {exclude}}}],
                "analyses": [{{"request": {{"analysis": "km", "time": "lfs", "event": "lfs_event"}}}}]}}"#
        )
    };
    let path = folder.join("study.json");
    std::fs::write(&path, study(false)).expect("write");
    let (path, data) = (path.display().to_string(), data.display().to_string());
    let args = ["endpoints", "--study", &path, "--data", &data, "--today", TODAY, "--format", "csv"];
    let (ok, _, stderr) = run_cli(&args, None);
    assert!(!ok);
    for expected in [
        "\"lfs\" and \"lfs_event\": 3 rows have impossible dates",
        "row 3 (early): relapse 2015-07-01 is before start 2015-07-25",
        "row 4 (after): last 2016-02-01 is before relapse 2016-03-01",
        "row 5 (future): last 2030-02-01 is after today (2026-01-01)",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
    std::fs::write(&path, study(true)).expect("write");
    let (ok, csv, stderr) = run_cli(&args, None);
    assert!(ok, "{stderr}");
    assert_eq!(csv, "row,id,lfs,lfs_event\n2,ok,205,0\n3,early,,\n4,after,,\n5,future,,\n");
    assert!(stderr.contains("3 rows excluded for impossible dates"), "{stderr}");
    // survkit run says it in every result's notices.
    let (ok, json, stderr) =
        run_cli(&["run", "--study", &path, "--data", &data, "--today", TODAY, "--format", "json"], None);
    assert!(ok, "{stderr}");
    assert!(json.contains("3 rows excluded for impossible dates"), "{json}");
}

mod any_cell {
    use proptest::prelude::*;
    use survkit::data::{date_column, date_order, DateOrder, ReadOptions, Table};

    /// Cells shaped like dates (digits and separators, a time after them) and any text at all.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{1,5}[-./][0-9]{1,3}[-./][0-9]{1,5}( [0-9]{1,2}:[0-9]{2})?",
            "[0-9]{1,8}(\\.[0-9]{1,3})?",
            "-?[0-9]{1,3}e[0-9]{1,3}",
            "\\PC{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// No cell, in any column of cells, makes date reading panic: each is a date, missing, or
        /// an error that names it.
        #[test]
        fn any_cells_are_read_or_refused_without_panic(cells in prop::collection::vec(cell(), 1..6)) {
            let mut csv = String::from("d\n");
            for value in &cells {
                csv.push('"');
                csv.push_str(&value.replace('"', "\"\""));
                csv.push_str("\"\n");
            }
            let Ok(table) = Table::parse(&csv, &ReadOptions::default()) else { return Ok(()) };
            for order in [None, Some(DateOrder::DayFirst), Some(DateOrder::MonthFirst)] {
                let _ = date_order(&table, &["d"], order);
                let _ = date_column(&table, "d", order);
            }
        }
    }
}
