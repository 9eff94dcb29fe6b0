"""`extends`: a rubric built on another file (docs/language.md §18).

Each test writes its files into a temporary folder: a base and the file that extends it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from pingfen.syntax.formatter import format_text

TEMPLATE = """\
rubric "国家模板" { total 20 }
input 执行率: percent >= 0% and <= 100%
input 制度健全: bool
input 地方特色指标: score  # pending: judged until each province writes its own rule
let 目标 = 95%
group 产出指标 10 {
  indicator 预算执行率 5 {
    when 执行率 >= 目标 -> 5
    else -> 0
  }
  indicator 地方特色指标 5 { judgment }  # 由各省自行制定
}
indicator 管理制度 10 { award 10 if 制度健全 }
example "模板" { given { 执行率: 96%, 制度健全: true, 地方特色指标: 3 } expect total = 18 }
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def province(tmp_path: Path, changes: str) -> Path:
    write(tmp_path, "national/模板.rule", TEMPLATE)
    return write(tmp_path, "省/本省.rule", 'extends "../national/模板.rule"\n' + changes)


def scores(rubric: pingfen.Rubric, record: dict[str, object]) -> dict[str, Decimal]:
    result = rubric.evaluate(record)
    return {node.name: node.score for node in result.nodes()} | {"total": result.total}


def names(rubric: pingfen.Rubric) -> list[str]:
    return [spec.name for top in rubric.tree for spec in top.walk()]


RECORD = {"执行率": "92%", "制度健全": True, "地方特色指标": 3}


def test_the_base_alone_is_the_base(tmp_path: Path) -> None:
    rubric = pingfen.load(province(tmp_path, ""))
    assert scores(rubric, RECORD) == scores(pingfen.loads(TEMPLATE), RECORD)
    assert rubric.module.examples == ()  # the base's examples are not inherited


def test_a_province_fills_in_a_pending_row(tmp_path: Path) -> None:
    path = province(
        tmp_path,
        'rubric "某省部门整体绩效评价" { total 20 }\n'
        "input 特色完成率: percent >= 0%\n"
        "indicator 地方特色指标 5 { bands 特色完成率 { >= 80% -> 5  else -> 2 } }\n"
        "remove input 地方特色指标\n",  # judged no more
    )
    rubric = pingfen.load(path)
    assert rubric.name == "某省部门整体绩效评价"
    got = scores(rubric, {"执行率": "92%", "制度健全": True, "特色完成率": "85%"})
    assert got["地方特色指标"] == 5 and got["total"] == 15
    assert pingfen.diagnose(path.read_text(encoding="utf-8"), str(path)) == []
    # replaced in place: still the second row of 产出指标
    assert names(rubric) == ["产出指标", "预算执行率", "地方特色指标", "管理制度"]
    assert [i.name for i in rubric.inputs] == ["执行率", "制度健全", "特色完成率"]


def test_override_a_threshold_through_a_let(tmp_path: Path) -> None:
    base = pingfen.load(province(tmp_path, ""))
    changed = pingfen.load(province(tmp_path, "let 目标 = 90%\n"))
    assert scores(base, RECORD)["预算执行率"] == 0
    assert scores(changed, RECORD)["预算执行率"] == 5


def test_override_a_threshold_by_replacing_the_row(tmp_path: Path) -> None:
    rubric = pingfen.load(province(tmp_path, "indicator 预算执行率 5 { bands 执行率 { >= 90% -> 5  else -> 1 } }\n"))
    assert scores(rubric, RECORD)["预算执行率"] == 5
    assert scores(rubric, {**RECORD, "执行率": "80%"})["预算执行率"] == 1


def test_change_a_max_add_and_remove_rows(tmp_path: Path) -> None:
    path = province(
        tmp_path,
        'rubric "本年" { total 25 }\n'
        "input 公开: bool\n"
        "max 产出指标 15\n"
        "add to 产出指标 { indicator 预算公开 5 { award 5 if 公开 } }\n"
        "remove 地方特色指标\nremove input 地方特色指标\n"
        "indicator 新的一级指标 5 { award 5 if 公开 }\n"
        "max 产出指标 10\n",  # the last word on a max wins
    )
    rubric = pingfen.load(path)
    order = names(rubric)
    assert "地方特色指标" not in order
    assert order.index("预算公开") == order.index("预算执行率") + 1  # at the end of its group
    assert order[-1] == "新的一级指标"  # a new row goes at the end of the tree
    got = scores(rubric, {"执行率": "96%", "制度健全": True, "公开": True})
    assert got == {"产出指标": 10, "预算执行率": 5, "预算公开": 5, "管理制度": 10, "新的一级指标": 5, "total": 25}


def test_remove_an_input_and_header_settings(tmp_path: Path) -> None:
    path = province(
        tmp_path,
        'rubric "本年" { total 10  round total 1  grade 好 >= 8  grade 差 otherwise }\n'
        "remove 管理制度\nremove input 制度健全\n",
    )
    rubric = pingfen.load(path)
    assert [i.name for i in rubric.inputs] == ["执行率", "地方特色指标"]
    assert rubric.max == 10 and [g[0] for g in rubric.grades] == ["好", "差"]
    result = rubric.evaluate({"执行率": "96%", "地方特色指标": 4})
    assert str(result.total) == "9.0" and result.grade == "好"


def test_the_result_is_checked_whole(tmp_path: Path) -> None:
    """A max changed without the rows below it: the sum no longer holds (PF302)."""
    found = pingfen.diagnose('extends "../national/模板.rule"\nmax 产出指标 12\n', str(province(tmp_path, "")))
    assert "PF302" in {d.code for d in found}


def test_errors_point_into_the_right_file(tmp_path: Path) -> None:
    base = TEMPLATE.replace("award 10 if 制度健全", "award 10 if 制度健全了")  # an undefined name in the base
    write(tmp_path, "base.rule", base)
    ext = write(tmp_path, "ext.rule", 'extends "base.rule"\nindicator 预算执行率 5 { award 5 if 执行力 > 1 }\n')
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.load(ext)
    by_code = {d.args.get("name"): d for d in info.value.diagnostics if d.code == "PF102"}
    in_base, in_ext = by_code["制度健全了"], by_code["执行力"]
    assert in_base.source is not None and in_base.source.path == str(tmp_path / "base.rule")
    assert in_base.span.line == base.splitlines().index("indicator 管理制度 10 { award 10 if 制度健全了 }") + 1
    shown = in_base.render("en")
    assert "base.rule:" in shown and "award 10 if 制度健全了" in shown and "^^^^^" in shown
    assert in_ext.source is not None and in_ext.source.path == str(ext)
    assert "ext.rule:2:" in in_ext.render("zh") and "award 5 if 执行力" in in_ext.render("zh")


def test_check_json_and_sarif_name_the_base_file(tmp_path: Path) -> None:
    from pingfen.report.findings import to_json, to_sarif

    write(tmp_path, "base.rule", TEMPLATE.replace("award 10 if 制度健全", "award 10 if 制度健全了"))
    ext = str(write(tmp_path, "ext.rule", 'extends "base.rule"\n'))
    checked = [(ext, pingfen.diagnose('extends "base.rule"\n', ext))]
    assert {f["file"] for f in to_json(checked)["diagnostics"] if f["code"] == "PF102"} == {str(tmp_path / "base.rule")}
    results = to_sarif(checked, "0")["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results if r["ruleId"] == "PF102"}
    assert uris == {str(tmp_path / "base.rule")}


def test_a_syntax_error_in_the_base_is_shown_in_the_base(tmp_path: Path) -> None:
    write(tmp_path, "base.rule", TEMPLATE.replace("total 20", "total 20 }}"))
    found = pingfen.diagnose('extends "base.rule"\n', str(tmp_path / "ext.rule"))
    assert found and all(d.source is not None and d.source.path.endswith("base.rule") for d in found)
    assert found[0].span.line == 1


def test_reasons_quote_the_base_file(tmp_path: Path) -> None:
    """A reason quoting its rule's text reads it from the file the rule came from."""
    base = TEMPLATE.replace(
        "indicator 管理制度 10 { award 10 if 制度健全 }",
        "indicator 管理制度 10 { bands 执行率 * 100% { >= 90% -> 10  else -> 0 } }",
    ).replace("input 制度健全: bool\n", "")
    write(tmp_path, "base.rule", base)
    rubric = pingfen.load(write(tmp_path, "ext.rule", 'extends "base.rule"\n# a longer first line to shift offsets\n'))
    record = {"执行率": "50%", "地方特色指标": 3}
    compiled = rubric.evaluate(record)["管理制度"].reasons
    walked = rubric.walker().evaluate(rubric.coerce(record))["管理制度"].reasons
    assert compiled == walked and any("执行率 * 100%" in r for r in compiled), compiled


def test_a_missing_base_has_a_caret_at_extends(tmp_path: Path) -> None:
    ext = write(tmp_path, "ext.rule", '# 本年\nextends "去年.rule"\n')
    found = pingfen.diagnose(ext.read_text(encoding="utf-8"), str(ext))
    assert [(d.code, d.span.line, d.span.column) for d in found] == [("PF120", 2, 1)]
    assert "去年.rule" in found[0].render("zh") and "文件不存在" in found[0].render("zh")


def test_a_base_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "base.rule").write_bytes('rubric "去年" { total 5 }\n'.encode("gbk"))
    found = pingfen.diagnose('extends "base.rule"\n', str(tmp_path / "ext.rule"))
    assert [d.code for d in found] == ["PF006"]
    assert found[0].source is not None and found[0].source.path.endswith("base.rule")


def test_cycles_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.rule", 'extends "b.rule"\n')
    write(tmp_path, "b.rule", 'extends "./sub/../a.rule"\n')
    found = pingfen.diagnose('extends "a.rule"\n', str(tmp_path / "top.rule"))
    assert [d.code for d in found] == ["PF121"]
    assert found[0].source is not None and found[0].source.path.endswith("b.rule")


def test_depth_over_eight_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "f9.rule", TEMPLATE)
    for i in range(1, 9):
        write(tmp_path, f"f{i}.rule", f'extends "f{i + 1}.rule"\n')
    assert pingfen.load(write(tmp_path, "top.rule", 'extends "f2.rule"\n')).name == "国家模板"  # 8 deep
    found = pingfen.diagnose('extends "f1.rule"\n', str(tmp_path / "top.rule"))  # 9 deep
    assert [d.code for d in found] == ["PF122"]


def test_relative_paths_from_another_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = province(tmp_path, "let 目标 = 90%\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    rel = os.path.relpath(path, elsewhere)
    assert scores(pingfen.load(rel), RECORD)["预算执行率"] == 5
    assert pingfen.diagnose(path.read_text(encoding="utf-8"), rel) == []


def test_the_cache_keys_on_the_base_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = province(tmp_path, "")
    assert scores(pingfen.load(path), RECORD)["预算执行率"] == 0
    write(tmp_path, "national/模板.rule", TEMPLATE.replace("let 目标 = 95%", "let 目标 = 90%"))
    assert scores(pingfen.load(path), RECORD)["预算执行率"] == 5


def test_changes_without_extends(tmp_path: Path) -> None:
    found = pingfen.diagnose(TEMPLATE + "max 产出指标 12\n")
    assert "PF126" in {d.code for d in found}


def test_fmt_formats_each_file_on_its_own() -> None:
    text = 'extends  "../模板.rule"\nmax 产出指标   15\nremove   input 甲\nadd to 产出指标 { indicator 乙 5 { judgment } }\n'
    assert format_text(text) == (
        'extends "../模板.rule"\n'
        "max 产出指标 15\n"
        "remove input 甲\n\n"
        "add to 产出指标 {\n  indicator 乙 5 { judgment }\n}\n"
    )


def test_unsound_loading_extends_too(tmp_path: Path) -> None:
    from pingfen.loader import loads_unsound

    path = province(tmp_path, "let 目标 = 90%\n")
    rubric, _found = loads_unsound(path.read_text(encoding="utf-8"), str(path))
    assert scores(rubric, RECORD)["预算执行率"] == 5


BASE_AFTER_TREE = """\
rubric "base" {
  total 10
  cap total 10
  round total 1
  grade A >= 9
  grade B otherwise
}
input a: score
input n: count
indicator I 10 { judgment a }
bonus X 2 { award 2 if n > 0 }
penalty P 2 { deduct 1 per n }
veto V if n > 5 -> zero
"""


@pytest.mark.parametrize(("header", "total"), [
    ('rubric "e" { total 10 }', "10.0"),  # the base's cap kept
    ('rubric "e" { cap total 10.5 }', "10.5"),  # the extending file's
])  # fmt: skip
def test_the_cap_of_the_total_is_kept_or_replaced(tmp_path: Path, header: str, total: str) -> None:
    """The header merged from base and extending file dropped `cap total`: 11.0, past the cap."""
    write(tmp_path, "base.rule", BASE_AFTER_TREE)
    rubric = pingfen.load(write(tmp_path, "e.rule", f'extends "base.rule"\n{header}\n'))
    assert str(rubric.evaluate({"a": "9.96", "n": 1}).total) == total


def test_rows_outside_the_tree_and_vetoes_are_replaced_or_removed(tmp_path: Path) -> None:
    """A veto written again was added beside the base's, and both fired; a bonus row written
    again was PF101, and `remove` of either PF124."""
    write(tmp_path, "base.rule", BASE_AFTER_TREE)
    softer = write(tmp_path, "softer.rule", 'extends "base.rule"\nveto V if n > 5 -> below A\nbonus X 2 { award 1 if n > 0 }\n')
    result = pingfen.load(softer).evaluate({"a": "9.5", "n": 7})
    assert [v.name for v in result.vetoes()] == ["V"]
    assert (str(result.total), result.grade) == ("8.5", "B")  # 9.5 + 1 (the new X) - 2 (P); below A
    removed = write(tmp_path, "removed.rule", 'extends "base.rule"\nremove V\nremove X\nremove P\n')
    result = pingfen.load(removed).evaluate({"a": "9.5", "n": 7})
    assert (str(result.total), result.grade, result.vetoes()) == ("9.5", "A", ())
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.load(write(tmp_path, "none.rule", 'extends "base.rule"\nremove W\n'))
    assert [d.code for d in info.value.diagnostics] == ["PF124"]


@pytest.mark.parametrize("text", [
    'rubric "r" {\n  total 1\n  grade A >= 1\n  grade A otherwise\n}\nindicator I 1 { award 1 if true }\n',
    'rubric "r" { total 1 }\ninput n: count\nindicator I 1 { award 1 if n > 0 }\nveto V if n > 5 -> zero\nveto V if n > 9 -> zero\n',
])  # fmt: skip
def test_a_grade_or_veto_written_twice_is_pf101(text: str) -> None:
    assert [d.code for d in pingfen.diagnose(text) if d.severity == "error"] == ["PF101"]


@pytest.mark.parametrize("base", ["fifo", "/dev/stdin"])
def test_a_base_that_is_no_regular_file_is_pf120_not_a_wait(tmp_path: Path, base: str) -> None:
    """`extends` a named pipe, or /dev/stdin: check waited for ever."""
    if base == "fifo":
        os.mkfifo(tmp_path / "管道.rule")
        base = "管道.rule"
    path = write(tmp_path, "r.rule", f'extends "{base}"\nrubric "本年" {{ year 2024 }}\n')
    done = subprocess.run([sys.executable, "-m", "pingfen", "check", str(path)], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.PIPE)  # fmt: skip
    assert done.returncode == 1 and "PF120" in done.stdout and "不是普通文件" in done.stdout, done.stdout


def test_a_base_name_no_file_can_have_is_pf120(tmp_path: Path) -> None:
    """A lone surrogate in the path (a JavaScript string may hold one): UnicodeEncodeError
    reached the user as an internal error."""
    text = 'extends "x\ud800.rule"\nrubric "本年" { year 2024 }\n'
    [refused] = pingfen.diagnose(text, str(tmp_path / "r.rule"))
    assert refused.code == "PF120"
    assert "文件名中有文件名不能含有的字符" in refused.message("zh") and "no file can have this name" in refused.message("en")


def test_a_name_written_twice_in_the_extending_file_is_an_error(tmp_path: Path) -> None:
    """The second replaced the first silently (the last one won), where a plain file says PF101/PF103."""
    path = province(tmp_path, "indicator 管理制度 10 { award 10 if 制度健全 }\nindicator 管理制度 10 { award 1 if 制度健全 }\n"
                              "let 目标 = 90%\nlet 目标 = 80%\n")  # fmt: skip
    with pytest.raises(pingfen.RubricError) as info:
        pingfen.load(path)
    found = [(d.code, d.span.line) for d in info.value.diagnostics]
    assert found == [("PF101", 3), ("PF103", 5)]
