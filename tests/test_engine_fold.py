"""Names as DuckDB folds them: ASCII letters only (`A` is `a`; `Ä` and `ä`, `Σ` and `σ`, `ǅ` and
`ǆ` are two names). Every name the engine and the query's checks compare is folded so
(`pingfen.sql.compiler.fold`). Before, the engine folded with Python's `str.lower()`/`casefold()`,
which fold all of Unicode: a file's column `Ä` beside a node `ä` was left out of the output
(PF731), a CSV header `Ä,ä` was refused (PF729), a column `RÄTE` for the input `räte` stopped
the run (PF733) where DuckDB, as `pingfen eval`, finds the input missing, and a CSV output
lost the file's column `Ä` where the query left out an input `ä`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import pingfen
from duckdb_helpers import duckdb, needs_duckdb
from pingfen.cli import main
from pingfen.sql import SqlRefusal, to_sql
from pingfen.sql.compiler import fold

KELVIN = "\u212a"  # KELVIN SIGN: str.lower() makes it `k`
PAIRS = [("A", "a", True), ("Ä", "ä", False), ("Σ", "σ", False), ("Σ", "ς", False), ("ǅ", "ǆ", False), ("ǅ", "Ǆ", False),
         (KELVIN, "k", False), ("İ", "i", False), ("ß", "ẞ", False), ("Ａ", "ａ", False), ("é", "e\u0301", False)]  # fmt: skip
BEYOND = [(a, b) for a, b, same in PAIRS if not same and a.lower() == b.lower()] + [(b, a) for a, b, same in PAIRS if not same and a.lower() == b.lower()]


def _rule(first: str, second: str, rate: str = "rate") -> str:
    return ('rubric "名" {\n  total 20\n}\n' f"input {rate}: percent\n"
            f"indicator {first} 10 {{\n  bands {rate} {{\n    >= 90% -> 10\n    else -> 0\n  }}\n}}\n"
            f"indicator {second} 10 {{ award 10 if {rate} > 0 }}\n")  # fmt: skip


def _engine(tmp_path: Path, rule: str, data: Path, output: str = "o.csv") -> tuple[int, list[dict[str, str]], str]:
    (tmp_path / "a.rule").write_text(rule, encoding="utf-8")
    out, err = tmp_path / output, io.StringIO()
    code = main(["eval", "--engine", "duckdb", str(tmp_path / "a.rule"), str(data), "-o", str(out)], io.StringIO(), err)
    if not out.exists():
        return code, [], err.getvalue()
    if out.suffix == ".parquet":
        cursor = duckdb.connect().execute(f"SELECT * FROM read_parquet('{out}')")
        names = [d[0] for d in cursor.description]
        return code, [{n: "" if v is None else str(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()], err.getvalue()
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return code, list(csv.DictReader(handle)), err.getvalue()


@needs_duckdb
@pytest.mark.parametrize(("first", "second", "same"), PAIRS)
def test_fold_is_duckdbs(first: str, second: str, same: bool) -> None:
    """`fold` says two names are one exactly where DuckDB binds the one to the other, both ways."""
    con = duckdb.connect()
    for a, b in [(first, second), (second, first)]:
        try:
            con.execute(f'SELECT "{b}" FROM (SELECT 1 AS "{a}")').fetchall()
            bound = True
        except duckdb.BinderException:
            bound = False
        assert bound is same and (fold(a) == fold(b)) is same, (a, b)


@needs_duckdb
@pytest.mark.parametrize(("column", "node"), BEYOND)
def test_a_files_column_beside_a_node_alike_beyond_ascii_is_kept(tmp_path: Path, column: str, node: str) -> None:
    data = tmp_path / "d.csv"
    data.write_text(f"id,rate,{column}\n1,95%,x\n2,50%,y\n", encoding="utf-8")
    for output in ("o.csv", "o.parquet"):
        code, rows, said = _engine(tmp_path, _rule(node, "乙"), data, output)
        assert code == 0 and "PF731" not in said, said
        assert [(r["id"], r[column], r[node], r["total"]) for r in rows] == [("1", "x", "10", "20.00"), ("2", "y", "0", "10.00")]


@needs_duckdb
def test_a_files_column_alike_but_for_ascii_case_is_still_left_out(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,rate,A\n1,95%,x\n", encoding="utf-8")
    code, rows, said = _engine(tmp_path, _rule("a", "乙"), data)
    assert code == 0 and "PF731" in said and "`A`" in said
    assert list(rows[0]) == ["id", "a", "乙", "total", "grade", "refusal", "refusal_input"]


@needs_duckdb
@pytest.mark.parametrize(("first", "second"), BEYOND)
def test_header_names_alike_beyond_ascii_are_two_columns(tmp_path: Path, first: str, second: str) -> None:
    """Both written as the file has them, beside a node named as the second (left out: PF731)."""
    data = tmp_path / "d.csv"
    data.write_text(f"id,rate,{first},{second}\n1,95%,x,z\n", encoding="utf-8")
    code, rows, said = _engine(tmp_path, _rule("甲", "乙"), data)
    assert code == 0 and "PF729" not in said, said
    assert [(r[first], r[second]) for r in rows] == [("x", "z")]
    code, rows, said = _engine(tmp_path, _rule(second, "乙"), data)
    assert code == 0 and "PF729" not in said and f"`{second}`" in said and f"`{first}`" not in said, said
    assert [(r[first], r[second], r["total"]) for r in rows] == [("x", "10", "20.00")]


@needs_duckdb
@pytest.mark.parametrize(("column", "rate"), [("RÄTE", "räte"), ("räte", "RÄTE"), ("ΣΑ", "σα")])
def test_a_column_alike_an_input_beyond_ascii_is_another_column(tmp_path: Path, column: str, rate: str) -> None:
    """The file names no input: refused whole (PF531), as `pingfen eval` refuses it; not PF733."""
    data = tmp_path / "d.csv"
    data.write_text(f"id,{column}\n1,95%\n2,50%\n", encoding="utf-8")
    code, rows, said = _engine(tmp_path, _rule("甲", "乙", rate), data)
    assert code == 2 and "PF531" in said and "PF733" not in said and rows == [], said
    err = io.StringIO()
    main(["--lang", "en", "eval", str(tmp_path / "a.rule"), str(data), "--format", "csv"], io.StringIO(), err)
    assert "PF531" in err.getvalue()


@needs_duckdb
def test_a_csv_output_keeps_a_column_alike_an_input_left_out(tmp_path: Path) -> None:
    """The query leaves the input `ä` out of its output (`* EXCLUDE ("ä")`); DuckDB keeps the
    file's `Ä`, and so does the CSV the engine writes (its columns found apart: `_columns`)."""
    data = tmp_path / "d.parquet"
    duckdb.connect().execute(f"""COPY (SELECT * FROM (VALUES ('1', '95%', 'x'), ('2', '50%', 'y')) t(id, "ä", "Ä")) TO '{data}' (FORMAT parquet)""")
    for output in ("o.csv", "o.parquet"):
        code, rows, said = _engine(tmp_path, _rule("甲", "乙", "ä"), data, output)
        assert code == 0, said
        assert [(r["id"], r["Ä"], r["甲"]) for r in rows] == [("1", "x", "10"), ("2", "y", "0")], output
        assert "ä" not in rows[0]


@pytest.mark.parametrize(("first", "second"), [*BEYOND, ("ＴＯＴＡＬ", "乙"), ("Grâde", "乙"), ("ＲＥＦＵＳＡＬ", "乙"), ("_ｐｆ_x", "乙"), ("_PＦ_x", "乙")])
def test_the_querys_checks_refuse_no_name_duckdb_tells_apart(first: str, second: str) -> None:
    """PF805 and PF809 refuse no pair of names, PF810 no input, that differ beyond ASCII."""
    to_sql(pingfen.loads(_rule(first, second), "a.rule", tests=False))
    to_sql(pingfen.loads(_rule("甲", "乙", first), "a.rule", tests=False))


@pytest.mark.parametrize(("first", "second", "code"), [("Ab", "aB", "PF809"), ("甲", "TOTAL", "PF805"), ("_Pf_x", "乙", "PF805")])
def test_the_querys_checks_refuse_names_duckdb_takes_as_one(first: str, second: str, code: str) -> None:
    with pytest.raises(SqlRefusal) as refused:
        to_sql(pingfen.loads(_rule(first, second), "a.rule", tests=False))
    assert refused.value.code == code
    with pytest.raises(SqlRefusal) as refused:
        to_sql(pingfen.loads(_rule("甲", "乙", "_pF_rate"), "a.rule", tests=False))
    assert refused.value.code == "PF810"


@needs_duckdb
@pytest.mark.parametrize(("first", "second"), BEYOND[: len(BEYOND) // 2])
def test_nodes_alike_beyond_ascii_are_scored_each_in_its_column(tmp_path: Path, first: str, second: str) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,rate\n1,95%\n2,50%\n", encoding="utf-8")
    code, rows, said = _engine(tmp_path, _rule(first, second), data)
    assert code == 0, said
    assert [(r[first], r[second], r["total"]) for r in rows] == [("10", "10", "20.00"), ("0", "10", "10.00")]
