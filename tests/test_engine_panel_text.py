"""A panel's cell of text in a CSV (`8, 9, 7`, `90%, 80%`) under `pingfen eval --engine duckdb`:
each value read as `values.coerce_list` reads it (`coerce` on its text), not by DuckDB's cast:
`1_0` is no number (PF502, never 10), `８`, `90%` and `９０％` are read (never PF502)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.cli import main

RULE = """rubric "p" { total 20 }
input 专家评分: list of score <= 10
input 满意度: list of percent >= 0 and <= 100%
indicator 专家评审 10 { score = mean(专家评分) }
indicator 满意 10 { score = mean(满意度) * 10 }
"""

ROWS = [
    ("8, 9, 7", "0.9, 0.8"),
    ("８, 9, 7", "0.9, 0.8"),
    ("8, 9, 7", "90%, 80%"),
    ("8, 9, 7", "90%"),
    ("8, 9, 7", "９０％"),
    (" 8 , 9 ", "0.9"),
    ("+8, 9", "0.9"),
    ("8.0, 9.", "0.9"),
    ("1_0, 9", "0.9"),
    ("1e1, 9", "0.9"),
    ("１,２", "0.9"),
    ("8、9；7", "[90%, 0.5]"),
    ("8, abc", "0.9"),
    ("8, 9", "90"),
    ("8, 11", "0.9"),
    ("8, 9", "50 %"),
    ("8, 9.000000000000000000001", "0.9"),
]


@needs_duckdb
def test_each_value_of_a_panel_cell_is_read_as_pingfen_eval_reads_it(tmp_path: Path) -> None:
    rule, data, out = tmp_path / "r.rule", tmp_path / "in.csv", tmp_path / "out.csv"
    rule.write_text(RULE, encoding="utf-8")
    with data.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "专家评分", "满意度"])
        writer.writerows((i, *row) for i, row in enumerate(ROWS))
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) in (0, 1)
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = {row["id"]: row for row in csv.DictReader(f)}
    rubric = pingfen.load(rule)
    for i, (panel, rates) in enumerate(ROWS):
        try:
            result = rubric.evaluate({"专家评分": panel, "满意度": rates})
            expected = (f"{result.total:.2f}", "")
        except pingfen.DataError as error:
            expected = ("", error.problems[0].code)
        if i == len(ROWS) - 1:  # more than the query's 20 decimals: refused, never rounded
            assert got[str(i)]["total"] == "" and got[str(i)]["refusal"] in ("PF503", "PF800")
            continue
        assert (got[str(i)]["total"], got[str(i)]["refusal"]) == expected, (panel, rates)
    assert got["8"]["refusal"] == "PF502" and got["1"]["refusal"] == "" and got["4"]["refusal"] == ""


@needs_duckdb
def test_a_parquet_panel_of_text_is_read_so_too(tmp_path: Path) -> None:
    rule, data, out = tmp_path / "r.rule", tmp_path / "in.parquet", tmp_path / "out.csv"
    rule.write_text(RULE, encoding="utf-8")
    con = duckdb.connect()
    con.execute('CREATE TABLE t (id INT, "专家评分" VARCHAR, "满意度" VARCHAR)')
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, *row) for i, row in enumerate(ROWS)])
    con.execute(f"COPY (SELECT * FROM t ORDER BY id) TO '{data}' (FORMAT parquet)")
    con.close()
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) in (0, 1)
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = {row["id"]: row for row in csv.DictReader(f)}
    rubric = pingfen.load(rule)
    for i, (panel, rates) in enumerate(ROWS[:-1]):
        try:
            result = rubric.evaluate({"专家评分": panel, "满意度": rates}, ratios=True)
            expected = (f"{result.total:.2f}", "")
        except pingfen.DataError as error:
            expected = ("", error.problems[0].code)
        assert (got[str(i)]["total"], got[str(i)]["refusal"]) == expected, (panel, rates)


UNCAPPED = """rubric "k" { total 5 }
input 完成率: list of percent >= 0
indicator 完成 5 { bands mean(完成率) { >= 90% -> 5  else -> 0 } }
"""


@needs_duckdb
def test_a_percent_written_with_its_sign_is_not_capped_at_100_in_a_panel(tmp_path: Path) -> None:
    """`list of percent >= 0` takes 101%, as a percent input alone does (it was PF503 "<= 100%"
    on both engines); a bare 1.5 is still beyond what a bare number may mean."""
    rule, data, out = tmp_path / "k.rule", tmp_path / "k.csv", tmp_path / "out.csv"
    rule.write_text(UNCAPPED, encoding="utf-8")
    rows = ["0%, 0%, 101%", "0, 0, 1.5", "95%, 0.96, 100%", "300%"]
    with data.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["id", "完成率"], *((i, row) for i, row in enumerate(rows))])
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) == 1
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = [(row["total"], row["refusal"]) for row in csv.DictReader(f)]
    assert got == [("0.00", ""), ("", "PF503"), ("5.00", ""), ("5.00", "")]
