#!/usr/bin/env python3
"""Writes the committed seed corpus, fuzz/corpus/<target>/, from tests/reference/data/.

Run from anywhere: `python3 fuzz/make_seeds.py`. It empties and rewrites the three corpus
folders (not fuzz/regressions/). The byte layouts are those of fuzz/targets.rs:
- csv_ingestion: 1 choice byte (read options), then the file's bytes (any encoding);
- request_json: a JSON request (or read options);
- analyses: 12 choice bytes (see `analysis_request` in targets.rs), then the file.
"""

import csv
import io
import json
import pathlib
import shutil

FUZZ = pathlib.Path(__file__).resolve().parent
DATA = FUZZ.parent / "tests" / "reference" / "data"
CORPUS = FUZZ / "corpus"


def read_rows(name):
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        text = handle.read()
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def spread(rows, n):
    """n data rows spread over the file (the files are often sorted by group)."""
    step = max(1, len(rows) // n)
    return rows[::step][:n]


def table_text(name, n, columns=None, delimiter=",", quoting=csv.QUOTE_MINIMAL):
    header, *rows = read_rows(name)
    rows = spread(rows, n)
    if columns is not None:
        index = [header.index(column) for column in columns]
        header = [header[i] for i in index]
        rows = [[row[i] for i in index] for row in rows]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue(), header


def head_lines(name, n):
    """The file's first n data lines, byte for byte."""
    lines = (DATA / name).read_bytes().split(b"\n")
    return b"\n".join(lines[: n + 1]) + b"\n"


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (folder / name).write_bytes(data)


# ------------------------------------------------------------------------------------------
# csv_ingestion: option byte + file
# ------------------------------------------------------------------------------------------

AUTO, COMMA, SEMI, TAB, PIPE = 0, 1, 2, 3, 4
DEC_COMMA = 0b1000
NA_DASH, NA_999, NA_ZERO = 0b01_0000, 0b10_0000, 0b11_0000
ONLY_SOME = 0b100_0000
TEXT_TOO = 0b1000_0000  # also through Table::parse, on the text made UTF-8

AML_HEAD = head_lines("aml.csv", 5)


def csv_seeds():
    t = "csv_ingestion"
    for name in sorted(p.name for p in DATA.glob("*.csv")):
        write(t, f"ref_{name}", bytes([AUTO]) + head_lines(name, 6))
    many = ",".join(f"c{i}" for i in range(600))
    aml_text = AML_HEAD.decode()
    files = [
        ("ref_lung_semicolon_forced_decimal_comma.csv", SEMI | DEC_COMMA, head_lines("lung_semicolon.csv", 6)),
        ("ref_lung_only_some_columns.csv", ONLY_SOME | NA_999, head_lines("lung.csv", 6)),
        ("ref_aml_pipe_forced.csv", PIPE, AML_HEAD.replace(b",", b"|")),
        ("ref_aml_tab.csv", AUTO, AML_HEAD.replace(b",", b"\t")),
        ("ref_aml_tab_forced_comma.csv", COMMA, AML_HEAD.replace(b",", b"\t")),
        ("bom_crlf.csv", AUTO, b"\xef\xbb\xbf" + AML_HEAD.replace(b"\n", b"\r\n")),
        ("cr_only_mac.csv", AUTO, AML_HEAD.replace(b"\n", b"\r")),
        ("utf16le_bom.csv", AUTO, b"\xff\xfe" + aml_text.encode("utf-16-le")),
        ("utf16be_bom.csv", AUTO, b"\xfe\xff" + aml_text.encode("utf-16-be")),
        ("latin1_cells.csv", AUTO, "time;status;s\xe9rie\n1;1;caf\xe9\n2;0;na\xefve\n".encode("latin-1")),
        ("sep_line_semicolon.csv", AUTO, b"sep=;\ntime;status;x\n1;1;a\n2;0;b\n"),
        ("sep_line_comma_decimal.csv", SEMI | DEC_COMMA, b"sep=;\r\ntime;status\r\n1,5;1\r\n2,25;0\r\n"),
        ("unterminated_quote.csv", AUTO, b'time,status,x\n1,1,"open\n2,0,b\n'),
        ("quote_in_middle.csv", AUTO, b'time,status,x\n1,1,ab"c\n2,0,"d""e"\n3,1,"f"g\n'),
        ("quoted_newline_cell.csv", AUTO, b'time,status,note\n1,1,"line one\nline two"\n2,0,x\n'),
        ("nul_bytes.csv", AUTO, b"time,status\x00,x\n1,\x001,a\n\x00\x00\n2,0,b\x00\n"),
        ("huge_cell.csv", AUTO, b"time,status,x\n1,1," + b"A" * 60000 + b"\n2,0,b\n"),
        ("huge_number_cell.csv", AUTO, b"time,status\n" + b"9" * 400 + b",1\n2,0\n"),
        ("many_columns.csv", AUTO, (many + "\n" + ",".join(str(i % 7) for i in range(600)) + "\n").encode()),
        ("many_columns_semicolon_only_some.csv", ONLY_SOME, (many.replace(",", ";") + "\n" + ";".join("1" for _ in range(600)) + "\n").encode()),
        ("ragged_rows.csv", AUTO, b"time,status,x\n1,1\n2,0,b,extra\n3,1,c\n,\n"),
        ("duplicate_header.csv", AUTO, b"time,time,status\n1,2,1\n"),
        ("blank_header_name.csv", AUTO, b"time,,status\n1,2,1\n"),
        ("header_only.csv", AUTO, b"time,status,x\n"),
        ("whitespace_only.csv", AUTO, b" \t \r\n  \n"),
        ("empty.csv", AUTO, b""),
        ("blank_and_space_lines.csv", AUTO, b"time,status\n\n1,1\n   \n\n2,0\n  ,  \n"),
        ("single_column.csv", AUTO, b"time\n1\n2\nNA\n.\n"),
        ("numbers_edge.csv", AUTO, b"x,y\n1e308,-0\n1e309,inf\nNaN,-inf\n0x10,1_000\n+5,.5\n5.,1e-400\n"),
        ("numbers_decimal_comma.csv", SEMI | DEC_COMMA, b"x;y\n1,5;2.000,25\n1.234,5;-0,0\n\xc2\xa01 234,5;12%\n"),
        ("excel_errors.csv", NA_DASH, b"time,status,x\n#N/A,1,#DIV/0!\n-,0,#VALUE!\n3,NA,n/a\n"),
        ("extra_missing_codes.csv", NA_ZERO, b"time,status,x\n0,0,unknown\n 0 ,1, unknown \n2,1,\n"),
        ("mixed_delimiters.csv", AUTO, b"a,b;c\td|e\n1,2;3\t4|5\n"),
        ("event_words.csv", AUTO, b"time,status\n1,TRUE\n2,false\n3,Yes\n4,no\n5,dead\n6,Alive\n7,2\n"),
        ("unicode_names.csv", AUTO, "Überleben (Monate),Ereignis,Gruppe ✓\n1,1,α\n2,0,β\n".encode()),
        ("quoted_everything_semicolon.csv", AUTO, b'"t";"s"\n"1,5";"1"\n"2";"0"\n'),
        ("lone_quote_header.csv", AUTO, b'"\n1\n'),
        # Bytes as files arrive: UTF-16 without a mark, broken UTF-16, Windows-1252 punctuation,
        # a UTF-8 mark followed by bytes that are not UTF-8.
        ("utf16le_no_bom.csv", AUTO, aml_text.encode("utf-16-le")),
        ("utf16be_no_bom.csv", AUTO, aml_text.encode("utf-16-be")),
        ("utf16le_odd_length.csv", AUTO, b"\xff\xfe" + "time,status\n1,1\n".encode("utf-16-le") + b"\x00"),
        ("utf16le_lone_surrogate.csv", AUTO, b"\xff\xfe" + "time,x\n1,".encode("utf-16-le") + b"\x00\xd8" + "\n".encode("utf-16-le")),
        ("windows1252_punctuation.csv", SEMI, b"time;status;note\n1;1;\x93quoted\x94 \x80 \x96\n2;0;\x81\x8d\x8f\x90\x9d\n"),
        ("utf8_bom_then_latin1.csv", AUTO, b"\xef\xbb\xbftime,status,x\n1,1,caf\xe9\n2,0,cafe\n"),
        ("text_entry_latin1.csv", AUTO | TEXT_TOO, "time,status,x\n1,1,caf\xe9\n".encode("latin-1")),
    ]
    for name, option, body in files:
        write(t, name, bytes([option]) + body)


# ------------------------------------------------------------------------------------------
# request_json: JSON against the fixed AML tables of targets.rs
# ------------------------------------------------------------------------------------------

def json_seeds():
    t = "request_json"
    requests = {
        "km_grouped": {"analysis": "km", "time": "time", "event": "status", "group": "x", "at": [12, 24]},
        "km_text_lists": {"analysis": "km", "time": "time", "event": "status", "at": "6, 12;24", "conf_type": "log-log", "conf_level": 0.9},
        "km_event_value": {"analysis": "km", "time": "time", "event": "status", "event_value": "dead", "delimiter": ";", "decimal": ","},
        "km_months_european": {"analysis": "km", "time": "months", "event": "status", "group": "centre", "delimiter": "semicolon", "decimal": ","},
        "logrank_pairwise": {"analysis": "logrank", "time": "time", "event": "status", "group": "centre", "pairwise": True, "adjust": "holm"},
        "logrank_rho_strata": {"analysis": "logrank", "time": "time", "event": "status", "group": "x", "strata": "sex", "rho": 1},
        "logrank_timefix_off": {"analysis": "logrank", "time": "time", "event": "status", "group": "x", "timefix": False, "adjust": "bh"},
        "followup": {"analysis": "followup", "time": "time", "event": "status"},
        "cox_multivariable": {"analysis": "cox", "time": "time", "event": "status", "covariates": ["x", "age", "sex"], "zph": True},
        "cox_cutpoint_reference": {"analysis": "cox", "time": "time", "event": "status", "covariates": "age>=60, centre", "reference": ["centre=B"], "ties": "breslow"},
        "cox_univariate": {"analysis": "cox", "time": "time", "event": "status", "covariates": ["x", "age", "sex", "centre"], "univariate": True},
        "cox_strata_categorical": {"analysis": "cox", "time": "time", "event": "status", "covariates": ["cause"], "categorical": ["cause"], "strata": "x"},
        "cif_gray": {"analysis": "cif", "time": "time", "status": "cause", "group": "x", "at": [10, 20]},
        "cif_censor_value": {"analysis": "cif", "time": "time", "status": "cause", "censor_value": 0, "group": "centre", "strata": "sex"},
        "finegray": {"analysis": "finegray", "time": "time", "status": "cause", "cause": 1, "covariates": ["x", "age"]},
        "finegray_cause2": {"analysis": "finegray", "time": "time", "status": "cause", "cause": "2", "censor_value": "0", "covariates": "age<50,sex"},
        "table1_default": {"analysis": "table1", "group": "x", "vars": ["age", "sex", "centre", "cause"]},
        "table1_fisher_wilcoxon": {"analysis": "table1", "group": "centre", "vars": "age,sex,x", "categorical_test": "fisher", "continuous_test": "wilcoxon", "pairwise": True},
        "table1_auto_kruskal": {"analysis": "table1", "group": "centre", "vars": ["age", "cause"], "categorical": ["cause"], "categorical_test": "auto", "continuous_test": "kruskal", "seed": 42, "replicates": 50},
        "table1_anova_yates": {"analysis": "table1", "group": "x", "vars": ["age", "sex"], "categorical_test": "yates", "continuous_test": "welch-anova"},
        "table1_student_anova": {"analysis": "table1", "group": "centre", "vars": ["age"], "continuous_test": "anova", "na": ["NA", "-"]},
        "read_options_only": {"delimiter": ";", "decimal": ",", "na": ["-", "999"]},
        "read_options_tab": {"delimiter": "\\t", "na": "NA, ."},
    }
    for name, request in requests.items():
        write(t, f"{name}.json", json.dumps(request, indent=1))
    hostile = {
        "empty.json": "",
        "null.json": "null",
        "unknown_field.json": '{"analysis":"km","time":"time","event":"status","colour":"red"}',
        "unknown_analysis.json": '{"analysis":"weibull"}',
        "wrong_types.json": '{"analysis":"km","time":1,"event":["status"],"at":{"a":1},"pairwise":"yes"}',
        "huge_numbers.json": '{"analysis":"km","time":"time","event":"status","at":[1e308,-1e308,1e999],"conf_level":1e-320,"rho":1.7976931348623157e308}',
        "at_text_bad.json": '{"analysis":"km","time":"time","event":"status","at":"1,,x;2"}',
        "replicates_extremes.json": '{"analysis":"table1","group":"x","vars":["sex"],"categorical_test":"fisher","replicates":0,"seed":-2147483648}',
        "blank_columns.json": '{"analysis":"cox","time":"  ","event":"","covariates":["", " ", "age>=", ">=1"]}',
        "reference_malformed.json": '{"analysis":"cox","time":"time","event":"status","covariates":["centre"],"reference":["centre","=","centre=Z"]}',
        "duplicate_keys.json": '{"analysis":"km","analysis":"cox","time":"time","event":"status"}',
        "deep_nesting.json": '{"analysis":"km","at":' + "[" * 200 + "]" * 200 + "}",
        "escapes.json": '{"analysis":"km","time":"t\\u0069me","event":"st\\u0061tus","group":"\\ud800x"}',
        "same_column_everywhere.json": '{"analysis":"cox","time":"time","event":"time","strata":"time","covariates":["time","time"]}',
        "delimiter_bad.json": '{"analysis":"km","time":"time","event":"status","delimiter":"::","decimal":";"}',
        "covariate_is_status.json": '{"analysis":"finegray","time":"time","status":"cause","cause":"9","covariates":["cause","status"]}',
        "study_aml.json": '{"survkit_study":1,"title":"aml","derived":[{"kind":"cut","name":"age_band","from":"age","breaks":[50,65]}],"analyses":[{"title":"OS","request":{"analysis":"km","time":"time","event":"status","group":"age_band","at":[12]},"figure":{"x_max":48}},{"request":{"analysis":"cif","time":"time","status":"cause","group":"x"}},{"request":{"analysis":"table1","group":"x","vars":["age_band","sex"]}}]}',
        "study_problems.json": '{"survkit_study":1,"derived":[{"kind":"cut","name":"time","from":"sex","breaks":[2,1]}],"analyses":[{"request":{"analysis":"cox","time":"nope","event":"status","covariates":["x"],"reference":["x=Z"]}},{"request":{"analysis":"km","time":"time","event":"status","conf":1}}]}',
    }
    for name, text in hostile.items():
        write(t, name, text)


# ------------------------------------------------------------------------------------------
# analyses: 12 choice bytes + file
# ------------------------------------------------------------------------------------------

KINDS = {"km": 0, "logrank": 1, "followup": 2, "cox": 3, "cox_univariate": 4, "cif": 5, "finegray": 6, "table1": 7}
ALSO_AS_BYTES = 0x80


def analysis_seed(name, data_file, n, columns, kind, time=None, event=None, group=None, strata=None,
                  chosen=(), read=AUTO, switches=0, numbers=0, value=0, cause=0, tests=0, text=True,
                  delimiter=","):
    body, header = table_text(data_file, n, columns, delimiter=delimiter)
    index = {column: i for i, column in enumerate(header)}
    mask = 0
    for column in chosen:
        assert index[column] < 8, (name, column)
        mask |= 1 << index[column]
    head = bytes([
        read,
        KINDS[kind] | (ALSO_AS_BYTES if text else 0),
        index.get(time, 0),
        index.get(event, 0),
        index[group] + 1 if group else 0,
        index[strata] + 1 if strata else 0,
        mask,
        switches,
        numbers,
        value,
        cause,
        tests,
    ])
    write("analyses", f"{name}.bin", head + body.encode())


# switches
PAIRWISE, NO_TIMEFIX, ZPH, BRESLOW = 1, 2, 4, 8
LOGLOG, PLAIN = 1 << 4, 2 << 4
HOLM, BONFERRONI, BH = 1 << 6, 2 << 6, 3 << 6
# numbers
AT_FIXED, AT_CELL, AT_EXTREME = 1 << 6, 2 << 6, 3 << 6
RHO_1, RHO_HALF, RHO_NEG = 1, 2, 3
CONF_90, CONF_99 = 1 << 3, 2 << 3
# value / cause bytes
V_ONE, V_TWO, V_DEAD, V_ZERO = 2, 3, 4, 5


def cell(row):
    """value_choice's 'a cell of the event column in preview row `row`'."""
    return 6 | (row << 3)


CUT_AT_LEAST, CUT_BELOW = 1 << 6, 2 << 6
# tests
YATES, FISHER, AUTO_TEST = 1, 2, 3
STUDENT, WILCOXON, ANOVA, WELCH_ANOVA, KRUSKAL = 1 << 2, 2 << 2, 3 << 2, 4 << 2, 5 << 2
FEW_REPLICATES, REFERENCE, FORCE_CATEGORICAL = 1 << 5, 1 << 6, 1 << 7


def analysis_seeds():
    s = analysis_seed
    aml = ["time", "status", "x"]
    s("km_aml", "aml.csv", 23, aml, "km", "time", "status", "x", numbers=AT_FIXED)
    s("km_aml_loglog_cell_at", "aml.csv", 23, aml, "km", "time", "status", None, switches=LOGLOG, numbers=AT_CELL | CONF_90)
    s("km_deadalive_event_value", "deadalive.csv", 23, None, "km", "time", "status", "x", value=V_DEAD)
    s("km_near_ties", "near_ties.csv", 40, None, "km", "time", "status", "arm", numbers=AT_EXTREME)
    s("km_near_ties_no_timefix", "near_ties.csv", 40, None, "km", "time", "status", "arm", switches=NO_TIMEFIX | PLAIN)
    s("km_flat_half", "flat_half.csv", 10, None, "km", "time", "status", "group", numbers=CONF_99)
    s("km_lung_semicolon_decimal_comma", "lung_semicolon.csv", 30, ["time_months", "status", "sex"], "km", "time_months", "status", "sex",
      read=SEMI | DEC_COMMA, delimiter=";")
    s("logrank_aml", "aml.csv", 23, aml, "logrank", "time", "status", "x")
    s("logrank_ties_pairwise_holm", "ties.csv", 40, None, "logrank", "time", "event", "arm", switches=PAIRWISE | HOLM)
    s("logrank_ties_strata_rho", "ties.csv", 40, None, "logrank", "time", "event", "arm", "site", switches=PAIRWISE | BH, numbers=RHO_1)
    s("logrank_nothing_to_test", "nothing_to_test.csv", 15, None, "logrank", "time", "status", "x", numbers=RHO_NEG)
    s("logrank_veteran_celltype", "veteran.csv", 40, ["time", "status", "celltype", "trt"], "logrank", "time", "status", "celltype",
      switches=PAIRWISE | BONFERRONI, numbers=RHO_HALF)
    s("followup_aml", "aml.csv", 23, aml, "followup", "time", "status")
    s("followup_ovarian", "ovarian.csv", 26, None, "followup", "futime", "fustat", "rx")
    s("cox_lung", "lung.csv", 40, ["time", "status", "age", "sex", "ph.ecog", "wt.loss"], "cox", "time", "status",
      chosen=["age", "sex", "ph.ecog"], switches=ZPH)
    s("cox_lung_cutpoint", "lung.csv", 40, ["time", "status", "age", "sex", "ph.ecog"], "cox", "time", "status",
      chosen=["age", "sex"], cause=CUT_AT_LEAST | 3)
    s("cox_ties_breslow_strata", "cox_ties.csv", 40, None, "cox", "time", "event", None, "site",
      chosen=["grp", "x"], switches=BRESLOW | ZPH, tests=REFERENCE)
    s("cox_hard_separation", "cox_hard.csv", 40, None, "cox", "time", "status", chosen=["sep", "x", "const"])
    s("cox_hard_collinear", "cox_hard.csv", 40, None, "cox", "time", "status", chosen=["z1", "z2"], switches=ZPH)
    s("cox_veteran_categorical", "veteran.csv", 40, ["time", "status", "celltype", "trt", "karno", "prior"], "cox", "time", "status",
      chosen=["celltype", "trt", "karno"], tests=REFERENCE | 1)
    s("cox_univariate_pbc", "pbc.csv", 40, ["time", "status", "trt", "age", "sex", "bili", "edema", "stage"], "cox_univariate",
      "time", "status", chosen=["trt", "age", "sex", "bili", "edema", "stage"], value=V_TWO)
    s("cox_univariate_colon", "colon.csv", 40, ["time", "status", "rx", "sex", "age", "nodes", "etype"], "cox_univariate",
      "time", "status", chosen=["rx", "sex", "age", "nodes"], tests=FORCE_CATEGORICAL)
    comp = ["time", "status", "grp2", "dose", "center", "x1", "age", "stage"]
    s("cif_competing", "competing.csv", 40, comp, "cif", "time", "status", "grp2", numbers=AT_FIXED)
    s("cif_competing_strata", "competing.csv", 40, comp, "cif", "time", "status", "grp2", "center", numbers=RHO_1)
    s("cif_relapse_words", "relapse.csv", 40, None, "cif", "time", "status", "arm", value=cell(1), cause=cell(0))
    s("cif_mgus2", "mgus2.csv", 40, ["etime", "event", "sex", "age", "hgb"], "cif", "etime", "event", "sex")
    s("finegray_competing", "competing.csv", 40, comp, "finegray", "time", "status", chosen=["x1", "age", "grp2"], cause=V_ONE)
    s("finegray_competing_cause2_cut", "competing.csv", 40, comp, "finegray", "time", "status", chosen=["age", "stage"],
      cause=V_TWO | CUT_BELOW, tests=REFERENCE | 2)
    s("finegray_relapse", "relapse.csv", 40, None, "finegray", "time", "status", chosen=["arm", "score", "female"],
      value=cell(1), cause=cell(0))
    sparse = ["site", "sex", "diabetes", "complication", "grade", "likert", "visits", "score"]
    s("table1_sparse", "table1_sparse.csv", 40, sparse, "table1", group="sex", chosen=["site", "diabetes", "grade", "visits", "score"])
    s("table1_sparse_fisher_wilcoxon", "table1_sparse.csv", 40, sparse, "table1", group="site",
      chosen=["sex", "complication", "likert", "score"], switches=PAIRWISE, tests=FISHER | WILCOXON)
    s("table1_sparse_auto_kruskal", "table1_sparse.csv", 40, sparse, "table1", group="site",
      chosen=["grade", "likert", "visits"], tests=AUTO_TEST | KRUSKAL | FORCE_CATEGORICAL)
    s("table1_many_levels_simulated", "table1_many_levels.csv", 60, ["arm", "arm3", "centre", "stage"], "table1", group="arm",
      chosen=["centre", "stage"], tests=FISHER | FEW_REPLICATES)
    s("table1_tea_yates", "tea.csv", 8, None, "table1", group="truth", chosen=["guess"], tests=YATES)
    s("table1_veteran_anova", "veteran.csv", 40, ["celltype", "trt", "karno", "age", "prior"], "table1", group="celltype",
      chosen=["karno", "age", "prior", "trt"], switches=PAIRWISE, tests=ANOVA)
    s("table1_veteran_welch_anova", "veteran.csv", 40, ["celltype", "trt", "karno", "age"], "table1", group="celltype",
      chosen=["karno", "age"], tests=WELCH_ANOVA)
    s("table1_ovarian_student", "ovarian.csv", 26, None, "table1", group="rx", chosen=["age", "resid.ds", "ecog.ps"], tests=STUDENT | YATES)
    # Hostile files behind an otherwise sensible request.
    hostile = {
        "hostile_unterminated_quote": b'time,status,x\n1,1,"a\n2,0,b\n3,1,a\n',
        "hostile_sep_line": b"sep=;\ntime;status;x\n1;1;a\n2;0;b\n3;1;a\n4;1;b\n",
        "hostile_nul": b"time,status,x\n1,1,a\x00\n2,0,b\n3,\x001,a\n",
        "hostile_cr_only": b"time,status,x\r1,1,a\r2,0,b\r3,1,a\r4,1,b\r",
        "hostile_utf16le": b"\xff\xfe" + "time,status,x\n1,1,a\n2,0,b\n".encode("utf-16-le"),
        "hostile_utf16be_no_bom": "time,status,x\n1,1,a\n2,0,b\n3,1,b\n".encode("utf-16-be"),
        "hostile_windows1252_groups": b"time,status,x\n1,1,caf\xe9\n2,0,caf\xe8\n3,1,caf\xe9\n4,1,caf\xe8\n",
        "hostile_huge_times": b"time,status,x\n1e308,1,a\n1.7976931348623157e308,1,b\n5e-324,0,a\n0,1,b\n",
        "hostile_negative_nan_times": b"time,status,x\n-1,1,a\nNaN,1,b\ninf,0,a\n2,1,b\n",
        "hostile_all_censored": b"time,status,x\n1,0,a\n2,0,b\n3,0,a\n4,0,b\n",
        "hostile_one_row": b"time,status,x\n1,1,a\n",
        "hostile_status_2_only": b"time,status,x\n1,2,a\n2,2,b\n3,2,a\n",
        "hostile_same_time": b"time,status,x\n5,1,a\n5,1,b\n5,0,a\n5,1,b\n5,1,a\n",
    }
    for name, body in hostile.items():
        for kind in ("km", "logrank", "cox", "cif", "finegray", "table1"):
            head = bytes([AUTO, KINDS[kind] | ALSO_AS_BYTES, 0, 1, 3, 0, 0b100, PAIRWISE | ZPH, AT_FIXED, 0, V_ONE, 0])
            write("analyses", f"{name}_{kind}.bin", head + body)


def main():
    for target in ("csv_ingestion", "request_json", "analyses"):
        shutil.rmtree(CORPUS / target, ignore_errors=True)
    csv_seeds()
    json_seeds()
    analysis_seeds()
    files = [p for p in CORPUS.rglob("*") if p.is_file()]
    print(f"{len(files)} seed files, {sum(p.stat().st_size for p in files)} bytes")


if __name__ == "__main__":
    main()
