"""`pingfen eval --engine duckdb` reads a CSV's cells as `pingfen eval` reads them (sql/spelt.py).
Before, the engine's query cast each cell as DuckDB does: a bare `95` in a percent column
scored as 9500% where `pingfen eval` refuses it as ambiguous (PF523); `95%`, `是`, `１,２００`
were refused where `pingfen eval` reads them; `1_2` was 12 where it is a typo. Every cell here,
odd or plain, gets the same total or the same first refusal (code and input) on both paths."""

from __future__ import annotations

import csv
import io
import tempfile
from decimal import Context, Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import pingfen
from duckdb_helpers import needs_duckdb
from pingfen.cli import main
from pingfen.sql import compiler
from pingfen.sql.spelt import SpeltCompiler
from pingfen.values import to_decimal, to_percent

RUBRIC_TEXT = """rubric "读法" {
  total 45
}
input 率: percent
input 增长率: percent >= -50% and <= 300%
input 数: number
input 个数: count
input 金额: amount
input 有: bool
input 类: label { 甲类, 乙类 }
input 可选率: percent >= 0 and <= 100%

indicator 甲 10 {
  bands 率 {
    >= 90%     -> 10
    [50%, 90%) -> 5
    else       -> 0
  }
}
indicator 乙 5 {
  bands 增长率 {
    >= 100% -> 5
    else    -> 2
  }
}
indicator 丙 5 {
  deduct 0.5 per 个数
}
indicator 丁 5 {
  when 金额 >= 1000 -> 5
  when 数 >= 10     -> 3
  else              -> 1
}
indicator 戊 5 {
  award 5 if 有
}
indicator 己 10 {
  match 类 {
    甲类 -> 10
    乙类 -> 4
  }
}
indicator 庚 5 {
  applies if 有 else zero
  bands 可选率 {
    >= 80% -> 5
    else   -> 1
  }
}
"""
RUBRIC = pingfen.loads(RUBRIC_TEXT, "r.rule", tests=False)

NUMBERS = ["95", "0.95", "95%", "９５％", "95 %", "1,200", "１，２００", "1,2", "1_000", "1_2", "12,34,567", " 7 ", "\u30007\u3000",
           "1e2", "1E999", ".5", "5.", "+5", "-0", "−3", "－3", "0x10", "NaN", "inf", "Infinity", "不适用", "N/A", "无此项", "",
           "  ", "abc", "100%", "150%", "1.5", "-1.5", "-0.5%", "%", "5%%", "1.5E+1%", "0.00000000000000000001", "99999999999999",
           # digits past the 20th decimal that DuckDB would round, and the band or bound they sit at moved (were scored)
           "0.8999999999999999999999", "89.9999999999999999999999%", "5.0000000000000000000001", "1.5E-20",
           "0.000000000000000000015", "100.0000000000000000000001%", "12.500000000000000000000000",
           # zeros written past the 20th place: 0 (`0E-30` was refused as a digit past it)
           "0E-30", "0e5", "-0.0000000000000000000000", "0E-30%"]  # fmt: skip
BOOLS = ["是", "否", "true", "FALSE", "Yes", "n", "1", "0", "√", "×", "✓", "✗", "对", "错", "有", "无", "t", "f", "on", "2",
         "不适用", "", " 是 ", "１"]  # fmt: skip
LABELS = ["甲类", "乙类", " 甲类 ", "\u3000乙类", "丙类", "", "不适用", "甲类 乙类"]
ALPHABET = "0123456789.,_-+%％ eE１２，．−"


def _cell(spec: pingfen.InputSpec) -> st.SearchStrategy[str]:
    if spec.type == "bool":
        return st.sampled_from(BOOLS)
    if spec.type == "label":
        return st.sampled_from(LABELS)
    return st.sampled_from(NUMBERS) | st.text(alphabet=ALPHABET, max_size=8)


ROWS = st.lists(st.fixed_dictionaries({s.name: _cell(s) for s in RUBRIC.inputs}), min_size=1, max_size=12)


def _beyond(spec: pingfen.InputSpec, cell: str | None) -> bool:
    """Whether a cell's number is beyond what the query holds exactly (docs/scale.md, the
    contract): 10^14 or more (PF800), or not 0 with digits past the 20th place. The engine
    refuses such a value (its bounds' PF503, PF523, else PF800) where evaluate() may score it."""
    if spec.type in ("bool", "label") or cell is None:
        return False
    value = to_percent(cell) if spec.type == "percent" else to_decimal(cell)
    return value is not None and value != 0 and (abs(value) >= Decimal(10) ** 14 or value != value.quantize(Decimal("1e-20"), context=Context(prec=200)))


def _both(folder: Path, rows: list[dict[str, str]]) -> None:
    rule, data, out = folder / "r.rule", folder / "d.csv", folder / "o.csv"
    rule.write_text(RUBRIC_TEXT, encoding="utf-8")
    names = [s.name for s in RUBRIC.inputs]
    with data.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["id", *names], *([str(i), *(r[n] for n in names)] for i, r in enumerate(rows))])
    code = main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO())
    assert code in (0, 1)
    with out.open(encoding="utf-8-sig", newline="") as f:
        got = list(csv.DictReader(f))
    assert [g["id"] for g in got] == [str(i) for i in range(len(rows))]
    for row, said in zip(rows, got, strict=True):
        cells = {n: v.strip() or None for n, v in row.items()}  # as the batch's reader gives them (io.tables)
        if any(_beyond(spec, cells[spec.name]) for spec in RUBRIC.inputs):
            assert said["refusal"] != "" and said["total"] == "", (row, said)  # refused, never scored as another value
            continue
        try:
            result = RUBRIC.evaluate(cells)
        except pingfen.DataError as refused:
            first = refused.problems[0]
            assert (said["refusal"], said["refusal_input"], said["total"]) == (first.code, first.input, ""), (row, said)
            continue
        assert said["refusal"] == "" and Decimal(said["total"]) == result.total, (row, said)


@needs_duckdb
def test_each_odd_spelling_reads_alike_on_both_paths() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rows = [{s.name: (NUMBERS[(i + k) % len(NUMBERS)] if s.type not in ("bool", "label") else
                          BOOLS[(i + k) % len(BOOLS)] if s.type == "bool" else LABELS[(i + k) % len(LABELS)])
                 for k, s in enumerate(RUBRIC.inputs)} for i in range(len(NUMBERS))]  # fmt: skip
        _both(Path(folder), rows)


@needs_duckdb
def test_a_bare_percent_beyond_one_is_ambiguous_on_both_paths_and_a_sign_makes_it_sure() -> None:
    base = {"增长率": "150%", "数": "3", "个数": "1", "金额": "2,000", "有": "是", "类": "乙类", "可选率": "不适用"}
    with tempfile.TemporaryDirectory() as folder:
        _both(Path(folder), [{**base, "率": "95"}, {**base, "率": "95%"}, {**base, "率": "0.95", "增长率": "1.5"}])
    try:
        RUBRIC.evaluate({**base, "率": "95"})
    except pingfen.DataError as refused:
        assert refused.problems[0].code == "PF523"
    else:
        raise AssertionError("a bare 95 for a percent is ambiguous")


@needs_duckdb
@settings(max_examples=25)
@given(ROWS)
def test_any_cells_read_alike_on_both_paths(rows: list[dict[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _both(Path(folder), rows)


@needs_duckdb
def test_a_bare_percent_with_a_digit_past_the_20th_place_is_past_the_querys_range() -> None:
    """`0.950000000000000000000001` in a percent column was refused PF523 ("95% or 0.95?"), a
    plain ratio; it is beyond what the query holds exactly, PF800, as its `%` spelling is."""
    base = {"增长率": "150%", "数": "3", "个数": "1", "金额": "2,000", "有": "是", "类": "乙类", "可选率": "不适用"}
    with tempfile.TemporaryDirectory() as folder:
        rule, data, out = Path(folder) / "r.rule", Path(folder) / "d.csv", Path(folder) / "o.csv"
        rule.write_text(RUBRIC_TEXT, encoding="utf-8")
        names = [s.name for s in RUBRIC.inputs]
        rows = [{**base, "率": cell} for cell in ("0.950000000000000000000001", "95.0000000000000000000001%", "95")]
        with data.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([["id", *names], *([str(i), *(r[n] for n in names)] for i, r in enumerate(rows))])
        assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) == 1
        with out.open(encoding="utf-8-sig", newline="") as f:
            said = [(row["refusal"], row["refusal_input"]) for row in csv.DictReader(f)]
    assert said == [("PF800", "率"), ("PF800", "率"), ("PF523", "率")]


def test_the_warehouse_query_is_not_changed_by_it() -> None:
    """`pingfen sql` reads typed columns, as evaluate(ratios=True): only the engine's text files
    take the cells' spellings."""
    plain = pingfen.sql.to_sql(RUBRIC, "duckdb", reasons=False)
    spelt = compiler.to_sql(RUBRIC, "duckdb", reasons=False, kind=SpeltCompiler)
    assert "PF523" in spelt and "PF523" not in plain


@needs_duckdb
def test_a_count_with_a_digit_past_the_20th_place_is_refused_as_a_fraction() -> None:
    """It was PF800 (beyond the query's range); a count's such digit is a fraction, PF503, as
    evaluate() refuses it."""
    base = {"率": "95%", "增长率": "150%", "数": "3", "金额": "2000", "有": "是", "类": "乙类", "可选率": "不适用"}
    with tempfile.TemporaryDirectory() as folder:
        for cell in ("0.0000000000000000000001", "-2.0000000000000000000001", "1E-25"):
            rule, data, out = Path(folder) / "r.rule", Path(folder) / "d.csv", Path(folder) / "o.csv"
            rule.write_text(RUBRIC_TEXT, encoding="utf-8")
            names = [s.name for s in RUBRIC.inputs]
            row = {**base, "个数": cell}
            data.write_text("id," + ",".join(names) + "\n1," + ",".join(row[n] for n in names) + "\n", encoding="utf-8")
            assert main(["eval", "--engine", "duckdb", str(rule), str(data), "-o", str(out)], io.StringIO(), io.StringIO()) == 1
            with out.open(encoding="utf-8-sig", newline="") as f:
                said = next(csv.DictReader(f))
            try:
                RUBRIC.evaluate(row)
            except pingfen.DataError as refused:
                assert (said["refusal"], said["refusal_input"]) == (refused.code, refused.input) == ("PF503", "个数"), cell
            else:
                raise AssertionError(f"{cell} is no whole count")
