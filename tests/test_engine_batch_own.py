"""A file's column named as a batch value (`基准价` of `let 基准价 = batch min(报价)`): a row
that gives the value itself keeps its own, a blank cell gives none and the row takes the
batch's (docs/language.md, `rubric.with_batch`), in a CSV as in a Parquet file: the engine
scores as `pingfen eval` does, where it failed (PF831 "ceil(VARCHAR)") or refused (PF541)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.cli import main
from pingfen.evaluate.rubric import with_batch

RULE = """rubric "报价" { total 40 }
input 报价: amount > 0
input 完成率: percent >= 0 and <= 100%
let 基准价 = batch min(报价)
let 平均完成率 = batch mean(完成率)
indicator 价格分 30 { score = min(基准价 / 报价, 100%) * 30 }
indicator 完成情况 10 {
  when 完成率 >= 平均完成率 -> 10
  else -> 4
}
"""


def _out(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def _python(rubric: pingfen.Rubric, records: list[dict[str, object]], ratios: bool) -> list[tuple[str, str]]:
    out = []
    for record, batch in zip(records, rubric.batch_values(records), strict=True):
        try:
            result = rubric.evaluate(with_batch(record, batch), ratios=ratios)
        except pingfen.DataError as error:
            out.append(("", error.problems[0].code))
            continue
        out.append((f"{result.total:.2f}", ""))
    return out


@needs_duckdb
def test_a_csv_column_of_a_batch_value_gives_a_rows_own(tmp_path: Path) -> None:
    rule, data, out = tmp_path / "r.rule", tmp_path / "in.csv", tmp_path / "out.csv"
    rule.write_text(RULE, encoding="utf-8")
    rows = [("A", "100", "90%", "50"), ("B", "80", "95%", ""), ("C", "120", "80%", " "), ("D", "90", "85%", "abc"), ("E", "110", "70%", "1_0")]
    data.write_text("id,报价,完成率,基准价\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) in (0, 1)
    got = _out(out)
    records: list[dict[str, object]] = [{"报价": r[1], "完成率": r[2], "基准价": r[3]} for r in rows]
    expected = _python(pingfen.load(rule), records, ratios=False)
    assert [(got[r[0]]["total"], got[r[0]]["refusal"]) for r in rows] == expected
    assert got["B"]["total"] == "40.00" and got["D"]["refusal"] == "PF502" and got["E"]["refusal"] == "PF502"


@needs_duckdb
def test_a_parquet_column_of_a_batch_value_gives_a_rows_own(tmp_path: Path) -> None:
    rule, data, out = tmp_path / "r.rule", tmp_path / "in.parquet", tmp_path / "out.csv"
    rule.write_text(RULE, encoding="utf-8")
    rows = [(1, Decimal("100"), Decimal("0.9"), Decimal("50")), (2, Decimal("80"), Decimal("0.95"), None), (3, Decimal("120"), Decimal("0.8"), None)]
    con = duckdb.connect()
    con.execute('CREATE TABLE t (id INT, "报价" DECIMAL(18, 2), "完成率" DECIMAL(18, 4), "基准价" DECIMAL(18, 2))')
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    con.execute(f"COPY (SELECT * FROM t ORDER BY id) TO '{data}' (FORMAT parquet)")
    con.close()
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) in (0, 1)
    got = _out(out)
    records: list[dict[str, object]] = [{"报价": r[1], "完成率": r[2], **({"基准价": r[3]} if r[3] is not None else {})} for r in rows]
    expected = _python(pingfen.load(rule), records, ratios=True)
    assert [(got[str(r[0])]["total"], got[str(r[0])]["refusal"]) for r in rows] == expected
    assert [got[k]["refusal"] for k in ("2", "3")] == ["", ""]  # never PF541
    assert "基准价" not in got["1"] and not any(k.startswith("_pf") for k in got["1"])


@needs_duckdb
def test_a_row_that_does_not_line_up_is_no_record_of_the_batch(tmp_path: Path) -> None:
    """`G,1,2,3` (PF520) was counted in `batch min(报价)` as 1: every other row's 价格分 fell."""
    rule, data, out = tmp_path / "r.rule", tmp_path / "in.csv", tmp_path / "out.csv"
    rule.write_text(RULE, encoding="utf-8")
    data.write_text("id,报价,完成率\nA,100,90%\nB,80,95%\nC,abc,80%\nG,1,2,3\n", encoding="utf-8")
    assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) == 1
    got = _out(out)
    records: list[dict[str, object]] = [{"报价": "100", "完成率": "90%"}, {"报价": "80", "完成率": "95%"}, {"报价": "abc", "完成率": "80%"}]
    expected = _python(pingfen.load(rule), records, ratios=False)
    assert [(got[k]["total"], got[k]["refusal"]) for k in "ABC"] == expected
    assert got["G"]["refusal"] == "PF520" and got["A"]["total"] == "34.00"
