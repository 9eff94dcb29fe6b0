"""`pingfen diff` shows what a file that `extends` another overrides of its base: rows
replaced, removed, added (or added to a group), maxima changed, inputs replaced, added or
removed, header settings — in the table (中文 and English) and in the JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pingfen
from pingfen.cli import main
from pingfen.overrides import extension
from test_extends import write

BASE = """\
rubric "国家模板" { total 20 }
input 执行率: percent >= 0% and <= 100%
input 制度健全: bool
input 地方特色指标: score
group 产出指标 10 {
  indicator 预算执行率 5 {
    when 执行率 >= 95% -> 5
    else -> 0
  }
  indicator 地方特色指标 5 { judgment }
}
indicator 管理制度 10 { award 10 if 制度健全 }
"""

PROVINCE = """\
extends "base.rule"
rubric "湖南省" { year 2022 }
input 执行率: percent >= 0%
indicator 管理制度 10 {
  bands 执行率 {
    >= 90% -> 10
    else -> 2
  }
}
remove 地方特色指标
remove input 地方特色指标
remove input 制度健全
add to 产出指标 { indicator 新增 3 { judgment 新增评分 } }
max 新增 5
input 新增评分: score
"""


def files(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "base.rule", BASE), write(tmp_path, "province.rule", PROVINCE)


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue()


def test_each_override_in_the_order_the_file_writes_it(tmp_path: Path) -> None:
    base, province = files(tmp_path)
    assert extension(pingfen.load(base)) is None  # a file that extends nothing overrides nothing
    found = extension(pingfen.load(province))
    assert found is not None and found.base == "base.rule" and found.path == str(province)
    assert [(o.kind, o.name, o.old, o.new, o.line) for o in found.overrides] == [
        ("header_set", None, None, '"湖南省"; year 2022', 2),
        ("input_replaced", "执行率", None, None, 3),
        ("row_replaced", "管理制度", "10", "10", 4),
        ("row_removed", "地方特色指标", "5", None, 10),
        ("input_removed", "地方特色指标", None, None, 11),
        ("input_removed", "制度健全", None, None, 12),
        ("rows_added_to", "产出指标", None, "新增", 13),
        ("max_set", "新增", None, "5", 14),
        ("input_added", "新增评分", None, None, 15),
    ]


def test_the_table_lists_the_overrides_in_both_languages(tmp_path: Path) -> None:
    base, province = files(tmp_path)
    code, text = run("diff", str(base), str(province))
    assert code == 1
    assert f"{province} 继承 base.rule，对所继承文件的修改：" in text
    assert any(line.split()[:3] == ["4", "替换指标", "管理制度"] for line in text.splitlines())
    assert any(line.split()[:3] == ["13", "向分组添加指标", "产出指标"] for line in text.splitlines())
    _, english = run("diff", "--lang", "en", str(base), str(province))
    assert f"{province} extends base.rule; what it changes of its base:" in english
    assert any(line.split()[:5] == ["10", "row", "removed", "地方特色指标", "5"] for line in english.splitlines())


def test_the_json_has_the_overrides_of_each_extending_version(tmp_path: Path) -> None:
    base, province = files(tmp_path)
    _, text = run("diff", "--format", "json", str(base), str(province))
    found = json.loads(text)
    (only,) = found["extends"]
    assert only["base"] == "base.rule" and only["path"] == str(province)
    assert {"kind": "max_set", "node": "新增", "old": None, "new": "5", "line": 14} in only["overrides"]
    _, same = run("diff", "--format", "json", str(base), str(base))
    assert json.loads(same)["extends"] == []


AFTER_TREE = """\
rubric "模板" { total 10 }
input a: percent >= 0% and <= 100%
input n: count
indicator A 10 { score = a * 10 }
penalty P 3 { deduct 1 per n }
veto V if n > 5 -> zero
veto W if n > 8 -> zero
"""


def test_rows_after_the_tree_and_vetoes_are_named_as_what_they_are(tmp_path: Path) -> None:
    """A penalty row written again was listed as a row added (the base's rows after the tree
    were not looked at), every veto as 新增指标 (a row added), `remove` of a veto as a row
    removed, and the header's `cap total` not at all."""
    write(tmp_path, "base.rule", AFTER_TREE)
    province = write(tmp_path, "province.rule", 'extends "base.rule"\nrubric "省" { cap total 12 }\n'
                     "penalty P 2 { deduct 1 per n }\nbonus B 2 { award 2 if n = 0 }\n"
                     "veto V if n > 3 -> zero\nveto X if n > 9 -> zero\nremove W\nremove P\n")  # fmt: skip
    found = extension(pingfen.load(province))
    assert found is not None
    assert [(o.kind, o.name, o.old, o.new) for o in found.overrides] == [
        ("header_set", None, None, '"省"; cap total 12'),
        ("row_replaced", "P", "3", "2"),
        ("row_added", "B", None, "2"),
        ("veto_replaced", "V", None, None),
        ("veto_added", "X", None, None),
        ("veto_removed", "W", None, None),
        ("row_removed", "P", "3", None),
    ]
    _, text = run("diff", str(write(tmp_path, "base.rule", AFTER_TREE)), str(province))
    assert any(line.split()[:3] == ["6", "新增一票否决", "X"] for line in text.splitlines())
