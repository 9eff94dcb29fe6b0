"""What scoring reads of a rule file: the text without its `example` and `property` items
(`syntax.scan.without_tests`, as `pingfen eval` and every command but check and test load a
file). It must score exactly as the whole file does."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import pingfen

HEAD = 'rubric "示例" {\n  total 5\n  grade 合格 >= 3\n  grade 不合格 otherwise\n}\n'
INPUTS = "input 得分: score\ninput 违规: bool\ninput 次数: count\n"
ROW = "indicator 评价 5 { judgment 得分 }\n"
EXAMPLE = 'example "满分" { given { 得分: 5, 违规: false, 次数: 0 } expect total = 5 }\n'
PROPERTY = "property total <= 7\n"
RECORD = {"得分": 4, "违规": True, "次数": 1}

# After an example or a property, each item the scan did not know as one: it was blanked with
# the test before it, so `pingfen eval` scored without it while `pingfen check` passed.
AFTER_TESTS = [
    ("veto 否决 if 违规 -> zero\n", "0"),
    ("bonus 加分 2 { award 2 if 违规 }\n", "6"),  # no `cap total`: past the max
    ("penalty 扣分 2 { deduct 1 per 次数 }\n", "3"),
    ("adjust 调整 -1 .. +1 { award 1 if 违规 }\n", "5"),
]


@pytest.mark.parametrize(("item", "total"), AFTER_TESTS)
@pytest.mark.parametrize("test", [EXAMPLE, PROPERTY])
def test_an_item_after_a_test_is_scored(tmp_path: Path, item: str, total: str, test: str) -> None:
    path = tmp_path / "r.rule"
    path.write_text(HEAD + INPUTS + ROW + test + item, encoding="utf-8")
    whole, scoring = pingfen.load(path), pingfen.load(path, tests=False)
    assert whole.evaluate(RECORD).raw_total == scoring.evaluate(RECORD).raw_total
    assert scoring.evaluate(RECORD).raw_total == Decimal(total)


def test_a_change_after_a_test_is_made(tmp_path: Path) -> None:
    """`max NAME N` in a file that extends another, after an example of its own."""
    (tmp_path / "base.rule").write_text(HEAD + INPUTS + "group 组 5 { indicator 评价 5 { judgment 得分 } }\n",
                                        encoding="utf-8")  # fmt: skip
    path = tmp_path / "r.rule"
    example = 'example "满分" { given { 得分: 3, 违规: false, 次数: 0 } expect total = 3 }\n'
    path.write_text('extends "base.rule"\n' + example + "max 评价 3\nmax 组 3\n"
                    'rubric "示例" { total 3 }\n', encoding="utf-8")  # fmt: skip
    assert pingfen.load(path, tests=False).max == pingfen.load(path).max == 3


def test_a_name_spelt_as_a_test_keyword_is_read_as_a_name(tmp_path: Path) -> None:
    """`min(5, example )`: the scan took the name for an example, and eval said PF002."""
    path = tmp_path / "r.rule"
    path.write_text(HEAD + "input example: number\nlet y = min(5, example )\nindicator 甲 5 { score = y }\n",
                    encoding="utf-8")  # fmt: skip
    assert pingfen.load(path, tests=False).evaluate({"example": 3}).total == 3


def test_max_called_with_a_space_is_no_change(tmp_path: Path) -> None:
    path = tmp_path / "r.rule"
    path.write_text(HEAD + INPUTS + "indicator 甲 5 { score = max (得分, 1) }\n" + PROPERTY, encoding="utf-8")
    assert pingfen.load(path, tests=False).evaluate(RECORD).total == 4
