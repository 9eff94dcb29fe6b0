"""The constructions that make the DuckDB query fast (issue 11), each held to what it replaces:
a clamp as one CASE (no GREATEST/LEAST, which sqlglot writes for DuckDB with a NULL test that
repeats its operand), NULL kept NULL where a score or a twin is missing."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlglot import exp

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.sql import exact, to_sql, to_sql_tree

ROOT = Path(__file__).resolve().parent.parent
TWENTY = pingfen.load(ROOT / "rulesets" / "dept-overall-2021.rule", tests=False)


def _one(e: exp.Expr, value: str | None) -> object:
    """`e` over a one-row relation whose column x holds `value` (NULL for None), on DuckDB."""
    x = "NULL" if value is None else value
    query = exp.select(e).from_(exp.select(exact.cast(exp.Literal.number(x) if value is not None else exp.Null(), exact.NUM).as_("x")).subquery())
    return duckdb.connect().execute(query.sql(dialect="duckdb")).fetchall()[0][0]


@needs_duckdb
def test_a_clamp_keeps_a_score_within_its_bounds_and_a_null_null() -> None:
    clamp = exact.within(exp.column("x"), exact.literal(Decimal(0)), exact.literal(Decimal(5)))
    assert _one(clamp, "-0.00000000000000000001") == 0
    assert _one(clamp, "5.00000000000000000001") == 5
    assert _one(clamp, "3.25") == Decimal("3.25")
    assert _one(clamp, "0") == 0 and _one(clamp, "5") == 5
    assert _one(clamp, None) is None  # GREATEST(LEAST(NULL, 5), 0) would be 0 with DuckDB's own, NULL-skipping GREATEST
    at_least = exact.at_least(exp.column("x"), exact.literal(Decimal(0)))
    assert _one(at_least, "-7") == 0 and _one(at_least, "7") == 7 and _one(at_least, None) is None


def test_the_2021_query_writes_no_greatest_nor_least() -> None:
    for dialect in ("duckdb", "spark"):
        text = to_sql(TWENTY, dialect, reasons=False)
        assert not re.search(r"\b(GREATEST|LEAST)\(", text), dialect  # each clamp one CASE, its operand read in it


def test_the_tree_is_built_and_written_without_copying_it_whole_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each layer's expressions are built for their one place: wrapping them in the SELECTs
    copies none, nor does writing the tree (sqlglot's alias_, select and sql copy by default:
    the 2021 query was copied 3.7 times its size, 0.3 s of every run)."""
    size = sum(1 for _ in to_sql_tree(TWENTY, "duckdb", reasons=False).walk())
    copied = [0]
    original = exp.Expression.copy

    def counting(self: exp.Expression) -> exp.Expression:
        new = original(self)
        copied[0] += sum(1 for _ in new.walk())
        return new

    monkeypatch.setattr(exp.Expression, "copy", counting)
    to_sql(TWENTY, "duckdb", reasons=False)
    monkeypatch.undo()
    # the text's reading of each input (sql/warehouse.py, sql/spelt.py) copies its small pieces
    # (1.58 the size, as the engine's CSV query); one more copy of the whole would pass 2.5
    assert copied[0] < 1.7 * size


# Each indicator's score before its clamp, as the checker bounds it: within [0, max] (bands,
# awards, a judgment), at most the max (a deduction from it), at least 0 (a formula of a
# bounded-below input), or unbounded both ways (a difference of two plain numbers).
CLAMPS = """
rubric "clamps" {
  total 20
  round total 2
}
input r: percent >= 0
input n: count
input a: number
input b: number
input c: amount
group 组 20 {
  indicator 档 5 {
    bands r {
      >= 90% -> 5
      < 90%  -> 2
    }
  }
  indicator 扣 5 { deduct 1 per n }
  indicator 差 5 { score = a - b }
  indicator 额 5 { score = c }
}
"""


def _clamps(source: str) -> dict[str, str]:
    """What the compiler keeps of each row's clamp: 'none', 'low' (at 0), 'high' (at max), 'both'."""
    from pingfen import ast
    from pingfen.sql.compiler import Compiler, Frag

    rubric = pingfen.loads(source, tests=False)
    compiler = Compiler(rubric, "records", "duckdb")
    raw = Frag(exp.column("x"), 0)
    kept = {}
    for node, _depth in ast.walk_nodes(rubric.module.top):
        got = compiler.clamped(node, raw).sql
        ifs = got.args.get("ifs", []) if isinstance(got, exp.Case) else []
        ends = {type(i.this).__name__ for i in ifs}  # LT: the 0 end, GT: the max
        kept[node.name.text] = "none" if got is raw.sql else {"LT": "low", "GT": "high"}.get("".join(sorted(ends)), "both")
    return kept


def test_a_clamp_is_written_only_where_the_checkers_ranges_say_it_can_bite() -> None:
    assert _clamps(CLAMPS) == {
        "组": "none",  # 5 + 5 + 5 + 5 = 20 (PF302): its parts, each within its own [0, max], cannot pass it
        "档": "none", "扣": "low", "差": "both", "额": "high",
    }  # fmt: skip


@needs_duckdb
def test_scores_without_their_clamps_agree_with_evaluate_at_both_ends() -> None:
    import sqlhelp

    rubric = pingfen.loads(CLAMPS, tests=False)
    values = [Decimal(v) for v in ("-1000000", "-5.5", "-0.000001", "0", "0.5", "4.999999", "5", "15.000001", "99999999")]
    records = []
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            records.append({"r": Decimal(j % 3) / 2, "n": (i + j) % 8, "a": a, "b": b, "c": abs(values[(i * 3 + j) % len(values)])})
    rows = sqlhelp.score(duckdb.connect(), rubric, records)
    for record, row in zip(records, rows, strict=True):
        sqlhelp.agree(rubric, record, row)
    totals = {row["total"] for row in rows}
    assert Decimal(0) in {row["差"] for row in rows} and Decimal(5) in {row["差"] for row in rows} and len(totals) > 10


def test_the_2021_rubric_keeps_only_the_clamps_that_can_bite() -> None:
    kept = _clamps((ROOT / "rulesets" / "dept-overall-2021.rule").read_text(encoding="utf-8"))
    deductions = {"财政供养人员控制率", "“三公经费”变动率", "支付进度", "“三公经费”控制率", "资金使用合规性", "政府采购执行率",
                  "公务卡刷卡率", "资产管理安全性", "固定资产利用率"}  # fmt: skip
    assert {name for name, k in kept.items() if k != "none"} == deductions  # groups, bands, awards, judgments: none
    assert {kept[name] for name in deductions} == {"low"}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@needs_duckdb
def test_the_engine_counts_the_rows_only_for_a_bar_it_draws() -> None:
    """A CSV's row count is a whole reading of it: only a progress bar on a terminal needs it."""
    from pingfen.engine import _bar

    con = duckdb.connect()  # no relation `records`: a count would be an error
    with _bar(con, io.StringIO(), "zh"):
        pass
    with _bar(con, None, "zh"):
        pass
    with pytest.raises(duckdb.CatalogException), _bar(con, _Terminal(), "zh"):
        pass
