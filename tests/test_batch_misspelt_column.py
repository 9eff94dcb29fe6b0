"""A batch whose column is named slightly otherwise than the input (`资金到位率(%)` for `资金到位率`): each
row was refused "缺少输入项 `资金到位率`", and the hint a single record gets — the data has `资金到位率(%)`:
is it misspelt? — was dropped from the error column and standard error. Now both say it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pingfen.cli import main

RULE = """rubric "t" { total 10 }
input 资金到位率: percent
input 产出: percent
indicator 甲 5 { bands 资金到位率 { >= 90% -> 5  else -> 0 } }
indicator 乙 5 { bands 产出 { >= 90% -> 5  else -> 0 } }
"""


def test_the_column_is_named_in_the_error_column_and_on_standard_error(tmp_path: Path) -> None:
    rule, data, out = tmp_path / "r.rule", tmp_path / "表.csv", tmp_path / "out.csv"
    rule.write_text(RULE, encoding="utf-8")
    data.write_text("id,资金到位率(%),产出\na,95%,95%\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["eval", str(rule), str(data), "-o", str(out)], io.StringIO(), err) == 1
    (row,) = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    told = "PF501: 缺少输入项 `资金到位率`（数据中有 `资金到位率(%)`，是否拼写有误？）"
    assert row["错误"] == f"[a] {told}"
    assert f"[a]: {told}" in err.getvalue()
    err = io.StringIO()
    main(["eval", "--lang", "en", str(rule), str(data)], io.StringIO(), err)
    assert "PF501: missing input `资金到位率` (the data has `资金到位率(%)`: is it misspelt?)" in err.getvalue()
