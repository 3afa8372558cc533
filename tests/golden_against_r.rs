//! Golden tests: the CLI's JSON against R's survival on the same CSV and options.
//!
//! Each fixture in tests/reference/fixtures was written by a script in tests/reference and
//! records the R call, R's version and the packages'. Each fixture is its own test, named after
//! its file: `km_aml_by_x` runs `survkit <args> --data <csv> --format json` exactly as a user
//! would and compares every field R gave in tests/reference/fixtures/km_aml_by_x.json. One
//! fixture runs by name:
//!
//! ```text
//! cargo test --test golden_against_r -- --exact km_lung_by_sex
//! ```
//!
//! (without `--exact` the name is a filter: `km_lung_by_sex` also runs `km_lung_by_sex_plain`).
//! A fixture written by an R script must be added to the list below: `every_fixture_is_listed`
//! fails on a fixture file that is not listed, and on a listed name without a file.

mod common;

use std::collections::BTreeSet;

use common::{data_path, differences, fixture_dir, read_json, run_json, tolerance};

/// How many of a fixture's differences from R its failure shows.
const DIFFERENCES_SHOWN: usize = 8;

/// One test per fixture, named after its file's stem, and `LISTED`, the names in order.
macro_rules! golden {
    ($($name:ident),+ $(,)?) => {
        /// The fixtures that have a test, by file stem.
        const LISTED: &[&str] = &[$(stringify!($name)),+];

        $(
            #[test]
            fn $name() {
                agrees_with_r(stringify!($name));
            }
        )+
    };
}

golden!(
    cif_aml_by_x,
    cif_aml_overall,
    cif_competing_by_dose,
    cif_competing_by_dose_rho1,
    cif_competing_by_dose_strata_center_rho1,
    cif_competing_by_grp2,
    cif_competing_by_grp2_at,
    cif_competing_by_grp2_strata_center,
    cif_competing_overall,
    cif_mgus2_by_sex,
    cif_one_patient_group_cause1_first,
    cif_one_patient_group_censored_first,
    cif_relapse_by_arm,
    cif_relapse_overall,
    cox_hard_collinear,
    cox_hard_constant,
    cox_hard_separation,
    cox_lung_age60_sex,
    cox_start_jasa1_transplant_age_surgery,
    cox_start_jasa1_transplant_age_surgery_breslow,
    cox_td_cart_os_hsct_age_male_ph,
    cox_td_cart_os_hsct_age_male_ph_breslow,
    cox_td_jasa_from_dates_study,
    cox_td_jasa1_transplant_age_strata_surgery,
    cox_td_landmark_cart_os_2_hsct_age_male_ph,
    cox_td_landmark_jasa1_30_transplant_age_surgery,
    cox_td_jasa1_transplant_age_surgery,
    cox_td_jasa1_transplant_age_surgery_breslow,
    cox_lung_age_sex,
    cox_lung_age_sex_breslow,
    cox_lung_age_sex_conf90,
    cox_lung_age_sex_ecog_categorical,
    cox_lung_age_sex_ecog_categorical_zph,
    cox_lung_age_sex_strata_inst,
    cox_lung_age_sex_strata_inst_zph,
    cox_lung_age_sex_zph,
    cox_lung_univariate,
    cox_lung_univariate_ecog_categorical,
    cox_near_ties_breslow_zph,
    cox_near_ties_efron_zph,
    cox_ovarian_rx_age,
    cox_ovarian_rx_categorical_resid_age,
    cox_ties_breslow,
    cox_ties_breslow_zph,
    cox_ties_efron,
    cox_ties_ref_gamma_x_cut,
    cox_ties_strata_site,
    cox_ties_strata_site_breslow,
    cox_ties_zph,
    cox_veteran_trt_celltype_karno,
    cox_veteran_trt_celltype_karno_breslow,
    cox_veteran_trt_celltype_karno_ref_squamous,
    cox_veteran_trt_celltype_karno_zph,
    finegray_aml_x,
    finegray_competing_age60_x1,
    finegray_competing_cause2,
    finegray_competing_dose_categorical,
    finegray_competing_numeric,
    finegray_competing_stage,
    finegray_competing_stage_ref_local,
    finegray_mgus2_age_sex_hgb,
    finegray_mgus2_age_sex_hgb_cause2,
    finegray_relapse_arm_score,
    followup_lung,
    followup_lung_by_sex,
    followup_near_ties_by_arm,
    followup_ties_by_arm,
    followup_veteran_by_trt,
    km_aml_by_x,
    km_deadalive_by_x,
    km_flat_half_by_group,
    km_lung_by_ph_ecog,
    km_lung_by_sex,
    km_lung_by_sex_conf90,
    km_lung_by_sex_loglog,
    km_lung_by_sex_plain,
    km_lung_overall,
    km_lung_semicolon_by_sex,
    km_near_ties_by_arm,
    km_near_ties_by_arm_exact,
    km_near_ties_overall,
    km_ovarian_by_rx,
    km_start_jasa1_by_surgery,
    km_start_jasa1_by_transplant,
    km_start_jasa1_overall,
    km_ties_by_arm_log,
    km_ties_by_arm_loglog,
    km_ties_by_arm_plain,
    km_veteran_by_celltype,
    km_veteran_by_trt,
    landmark_cif_myeloid_100_by_txtime,
    landmark_cif_myeloid_365_by_txtime,
    landmark_km_myeloid_100_by_txtime,
    landmark_km_myeloid_365_by_trt,
    landmark_km_myeloid_365_by_txtime,
    landmark_logrank_myeloid_100_by_txtime,
    landmark_logrank_myeloid_365_by_txtime,
    logrank_aml_by_x,
    logrank_aml_dummy_pairwise_bh,
    logrank_aml_dummy_pairwise_bonferroni,
    logrank_aml_dummy_pairwise_holm,
    logrank_aml_dummy_pairwise_none,
    logrank_lung_by_ph_ecog_pairwise_holm,
    logrank_lung_by_sex,
    logrank_near_ties_by_arm_pairwise_holm,
    logrank_near_ties_by_arm_rho1,
    logrank_nothing_to_test,
    logrank_ovarian_by_rx,
    logrank_ties_by_arm,
    logrank_ties_by_arm_pairwise_bh,
    logrank_ties_by_arm_pairwise_bonferroni,
    logrank_ties_by_arm_pairwise_none,
    logrank_ties_by_arm_strata_site,
    logrank_veteran_by_celltype_pairwise_holm,
    logrank_veteran_by_celltype_rho1,
    logrank_veteran_by_trt_strata_celltype,
    mantel_byar_cart_lfs_by_hsct,
    mantel_byar_cart_os_by_hsct,
    mantel_byar_jasa1,
    mantel_byar_ties,
    simon_makuch_cart_os,
    simon_makuch_edge,
    simon_makuch_jasa1,
    simon_makuch_jasa1_loglog_conf90,
    simon_makuch_jasa1_plain,
    table1_colon_auto_kruskal,
    table1_colon_chisq_kruskal,
    table1_colon_chisq_kruskal_pairwise,
    table1_colon_chisq_welch_pairwise,
    table1_colon_fisher_anova_pairwise,
    table1_many_levels_fisher_simulated,
    table1_many_levels_fisher_simulated_pairwise,
    table1_pbc_auto_edema,
    table1_pbc_by_edema_welch_anova,
    table1_pbc_by_stage_welch_anova,
    table1_pbc_chisq_student,
    table1_pbc_chisq_welch,
    table1_pbc_chisq_wilcoxon_pairwise,
    table1_pbc_fisher,
    table1_pbc_yates,
    table1_sparse_auto_anova_pairwise,
    table1_sparse_by_grade,
    table1_sparse_categorical_visits,
    table1_sparse_chisq_kruskal,
    table1_sparse_chisq_pairwise,
    table1_sparse_fisher_kruskal_pairwise,
    table1_sparse_site2_chisq_student_pairwise,
    table1_sparse_site2_fisher_welch,
    table1_sparse_site2_yates_wilcoxon,
    table1_sparse_welch_anova,
    table1_tea_auto,
    table1_tea_chisq,
    table1_tea_fisher,
    table1_tea_yates,
);

/// Runs the fixture `name` (tests/reference/fixtures/<name>.json) through the CLI and fails with
/// its R call and its first differences from R.
fn agrees_with_r(name: &str) {
    let fixture = read_json(&fixture_dir().join(format!("{name}.json")));
    assert_eq!(fixture["name"].as_str(), Some(name), "the fixture's `name` is its file's stem");
    let data = data_path(fixture["data"].as_str().expect("fixture data"));
    let mut args: Vec<String> = fixture["args"]
        .as_array()
        .expect("fixture args")
        .iter()
        .map(|arg| arg.as_str().expect("string arg").to_string())
        .collect();
    args.extend(["--data".to_string(), data.display().to_string()]);
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let actual = run_json(&arg_refs);
    let found = differences(&fixture["expected"], &actual, tolerance(fixture["tolerance"].as_str().unwrap_or("")));
    assert!(
        found.is_empty(),
        "{name} ({}): {} difference(s) from R (at most {DIFFERENCES_SHOWN} shown):\n  {}",
        fixture["r_call"],
        found.len(),
        found.iter().take(DIFFERENCES_SHOWN).cloned().collect::<Vec<_>>().join("\n  ")
    );
}

/// Every fixture file has its test, and every test its file: a new fixture is never skipped.
#[test]
fn every_fixture_is_listed() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixture_dir())
        .expect("tests/reference/fixtures exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .map(|path| path.file_stem().expect("a file name").to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = LISTED.iter().map(|name| name.to_string()).collect();
    let unlisted: Vec<&String> = on_disk.difference(&listed).collect();
    let missing: Vec<&String> = listed.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "the golden! list in tests/golden_against_r.rs and tests/reference/fixtures differ:\n  \
         fixtures without a test (add them to golden!): {unlisted:?}\n  \
         listed without a fixture file: {missing:?}"
    );
}
