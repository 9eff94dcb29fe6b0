"""Issue 15, items 14, 18 and 20: rule files that are large in some direction — many arms,
long chains of lets, deep or long expressions, thousands of errors, megabytes of blanks —
get a diagnostic or a score, never a RecursionError, and in time linear in their size (or
are refused at once, PF008); Ctrl-C stops a batch with exit 130 and no traceback.

Nothing here asserts a tight wall-clock time: linearity is asserted by structure (the text
is split once, overlap tests grow with the bands, not their square), and the big cases run
under a generous alarm that catches a return to quadratic time.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest

import pingfen
from big_rules import HEADER, bands, matches, whens
from pingfen import diagnostics
from pingfen.check import intervals
from pingfen.cli import main
from pingfen.lang import Lang
from pingfen.syntax.parser import MAX_ARMS, MAX_CHARS
from pingfen.syntax.scan import top_level_items, without_tests


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail (rather than hang) when the block takes longer than a generous bound."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def codes(text: str) -> list[str]:
    return [d.code for d in pingfen.diagnose(text, "x.rule")]


# ---------------------------------------------------------------- item 14: size and nesting


@pytest.mark.parametrize("make", [bands, whens, matches])
def test_a_rule_with_as_many_arms_as_allowed_scores(make) -> None:  # type: ignore[no-untyped-def]
    rubric = pingfen.loads(make(MAX_ARMS), tests=False)
    assert rubric.evaluate({"x": 3, "b": True, "k": "L3"}).total == 1


@pytest.mark.parametrize("make", [bands, whens, matches])
def test_a_rule_with_more_arms_is_refused_at_once(make) -> None:  # type: ignore[no-untyped-def]
    found = pingfen.diagnose(make(MAX_ARMS + 1), "x.rule")
    assert [d.code for d in found] == ["PF008"]
    assert found[0].span.line == (6 if make is matches else 7)
    assert "301, more than the limit of 300" in found[0].render("en")
    assert "超过上限 300" in found[0].render("zh")


def test_more_grades_than_allowed_are_refused() -> None:
    grades = "".join(f"  grade g{i} >= {MAX_ARMS + 1 - i}\n" for i in range(MAX_ARMS + 1))
    text = f'rubric "r" {{\n  total 1000\n{grades}}}\ninput b: bool\nindicator 甲 1000 {{\n  award 1000 if b\n}}\n'
    assert codes(text) == ["PF008"]


@pytest.mark.parametrize("kind", ["award", "deduct"])
def test_thousands_of_checklist_items_in_one_indicator_score(kind: str) -> None:
    # these once crashed eval: `0 + a + b + …` of 3000 terms nested past Python's compiler
    items = "".join(f"  {kind} 0.01 if x > {i}\n" for i in range(3000))
    rubric = pingfen.loads(HEADER + f"indicator 甲 100 {{\n{items}}}\n", tests=False)
    result = rubric.evaluate({"x": 10, "b": True})
    assert result.total == (Decimal("0.10") if kind == "award" else Decimal("99.90"))
    assert result["甲"].reasons  # the explaining code compiles too


def test_thousands_of_indicators_in_one_group_and_at_the_top_score() -> None:
    # a sum of 3,500 scores once nested past Python's compiler (RecursionError)
    inner = "".join(f"  indicator 内{i} 1 {{\n    award 1 if b\n  }}\n" for i in range(3500))
    top = "".join(f"indicator 顶{i} 1 {{\n  award 1 if b\n}}\n" for i in range(3500))
    text = f'rubric "r" {{\n}}\ninput b: bool\ngroup 组 3500 {{\n{inner}}}\n{top}'
    result = pingfen.loads(text, tests=False).evaluate({"b": True})
    assert result.total == 7000
    assert result["组"].score == 3500


@pytest.mark.parametrize("reverse", [False, True])
def test_a_long_chain_of_lets_checks_and_scores(reverse: bool) -> None:
    # 980 chained lets once crashed `check` itself (RecursionError marking them used)
    chain = [f"let y{i} = y{i - 1} + 1\n" for i in range(1, 3000)]
    lets = "".join(reversed(chain) if reverse else chain)
    text = HEADER + "let y0 = x\n" + lets + "indicator 甲 100 {\n  score = min(y2999, 100)\n}\n"
    assert codes(text) == ["PF104"]  # `b` is unused; nothing else to say
    rubric = pingfen.loads(text, tests=False)
    assert rubric.evaluate({"x": -2950, "b": True}).total == 49
    assert rubric.score_node("甲", {"x": -2950}).score == 49


def test_a_cycle_among_many_lets_is_still_reported() -> None:
    chain = "".join(f"let y{i} = y{i - 1} + 1\n" for i in range(1, 2000))
    text = HEADER + "let y0 = y1999\n" + chain + "indicator 甲 100 {\n  score = min(y5, 100)\n}\n"
    assert "PF106" in codes(text)


def test_deep_and_long_expressions_get_a_diagnostic() -> None:
    deep = HEADER + f"indicator 甲 100 {{\n  score = {'(' * 10_000}x{')' * 10_000}\n}}\n"
    long = HEADER + f"indicator 甲 100 {{\n  score = min({' + '.join(['x'] * 50_000)}, 100)\n}}\n"
    with within(60):
        assert codes(deep) == ["PF005"]
        assert codes(long) == ["PF005"]


# ---------------------------------------------------------------- item 20: linear time


def test_rendering_many_diagnostics_splits_the_text_once() -> None:
    body = "".join(f"indicator 指标{i} 1 {{\n  award 1 if 无此{i}\n}}\n" for i in range(2000))
    text = 'rubric "r" {\n}\ninput b: bool\n' + body
    found = pingfen.diagnose(text, "x.rule")
    assert len(found) > 2000
    diagnostics._lines.cache_clear()
    rendered = [d.render("en") for d in found]
    assert diagnostics._lines.cache_info().misses == 1  # once, not once per diagnostic
    assert any("无此1999" in r for r in rendered)


def test_a_long_line_is_shown_as_a_window_around_the_caret() -> None:
    text = HEADER + " " * 1_000_000 + "}\n"
    text = text[: MAX_CHARS - 10] + "}"  # under the size limit, so the syntax error is found
    found = pingfen.diagnose(text, "x.rule")
    assert [d.code for d in found] == ["PF002"]
    shown = found[0].render("en")
    assert len(shown) < 1000
    line, carets = shown.splitlines()[3:5]
    assert line.endswith(" }") and line.split("| ", 1)[1].startswith("…")
    assert len(carets) == len(line)  # the caret stands under the `}`


def test_scanning_megabytes_of_blanks_is_linear() -> None:
    text = 'rubric "r" {}\n' + " \n" * 20_000_000 + 'example "e" { }\nindicator 甲 1 { }'
    with within(20):  # a character at a time this took a minute
        items = top_level_items(text)
        blank = without_tests(text)
    assert [text[a:b].split(None, 1)[0] for a, b in items] == ["rubric", "example", "indicator"]
    assert len(blank) == len(text) and blank.endswith("               \nindicator 甲 1 { }")


def test_scanning_finds_the_items_it_found_before() -> None:
    text = (
        'rubric "r" { }\n# input in a comment\ninput a: bool "letters { and # }"\n'
        "let`let x` = 1\nlet b = 2\ngroup g 1 { indicator i 1 { } }\nletter\n}example \"e\" { }"
    )
    assert [text[a : a + 7] for a, _ in top_level_items(text)] == [
        "rubric ", "input a", "let b =", "group g", "example",
    ]  # fmt: skip


def test_a_file_over_the_size_limit_is_refused_at_once() -> None:
    text = HEADER + "#" * MAX_CHARS + "\n"
    start = time.process_time()
    found = pingfen.diagnose(text, "x.rule")
    assert [d.code for d in found] == ["PF008"]
    assert time.process_time() - start < 30
    assert f"characters in the file: {len(text)}, more than the limit of {MAX_CHARS}" in found[0].render("en")
    assert found[0].span.line == 6  # where the file passes the limit
    with pytest.raises(pingfen.RubricError):
        pingfen.loads(text)


def test_overlap_tests_grow_with_the_bands_not_their_square(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = intervals.Interval.intersect

    def counted(self: intervals.Interval, other: intervals.Interval) -> intervals.Interval:
        nonlocal calls
        calls += 1
        return real(self, other)

    monkeypatch.setattr(intervals.Interval, "intersect", counted)
    counts = []
    for n in (30, 300):
        calls = 0
        assert "PF402" not in codes(bands(n))
        counts.append(calls)
    assert counts[1] < 15 * counts[0]  # linear gives 10×; comparing every pair of bands gave 100×


def test_overlapping_bands_are_still_each_reported() -> None:
    text = HEADER + "indicator 甲 100 {\n  bands x {\n    >= 0 -> 1\n    >= 1 -> 2\n    >= 2 -> 3\n    < 0 -> 0\n  }\n}\n"
    found = [d for d in pingfen.diagnose(text, "x.rule") if d.code == "PF402"]
    assert [(d.span.line, d.args["other"]) for d in found] == [(9, ">= 0"), (10, ">= 0"), (10, ">= 1")]


# ---------------------------------------------------------------- item 18: Ctrl-C


def test_ctrl_c_during_a_batch_exits_130_without_a_traceback(tmp_path: Path) -> None:
    rule = tmp_path / "r.rule"
    rule.write_text(HEADER + "indicator 甲 100 {\n  award 100 if b\n}\nlet unused = x\n", encoding="utf-8")
    data = tmp_path / "big.csv"
    with data.open("w", encoding="utf-8") as handle:
        handle.write("id,x,b\n")
        handle.writelines(f"{i},{i},是\n" for i in range(2_000_000))
    out = tmp_path / "out" / "scores.csv"
    out.parent.mkdir()
    src = str(Path(pingfen.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=src, PINGFEN_LANG="en")
    code = "import sys; from pingfen.cli import main; sys.exit(main())"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "eval", str(rule), str(data), "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # rows are being written
        if any(f.stat().st_size > 0 for f in out.parent.iterdir()):
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    text = stderr.decode("utf-8")
    assert process.returncode == 130, text
    assert "Traceback" not in text
    assert "interrupted" in text
    assert list(out.parent.iterdir()) == []  # no partial output, no temporary file


def test_ctrl_c_is_reported_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    rule = tmp_path / "r.rule"
    rule.write_text(HEADER, encoding="utf-8")
    monkeypatch.setattr("pingfen.loader.diagnose", interrupted)
    assert main(["check", "--lang", "zh", str(rule)]) == 130
    assert capsys.readouterr().err == "pingfen: 已中断\n"


def test_what_a_node_reads_through_a_chain_of_lets_takes_linear_memory() -> None:
    from pingfen.check.passes import check
    from pingfen.evaluate.reads import node_reads
    from pingfen.syntax.parser import parse

    chain = "".join(f"let y{i} = y{i - 1} + 1\n" for i in range(1, 4000))
    module, _ = parse(HEADER + "let y0 = x\n" + chain + "indicator 甲 100 {\n  score = min(y3999, 100)\n}\n")
    assert module is not None
    checked = check(module)
    tracemalloc.start()
    try:
        reads = node_reads(module, checked)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reads["甲"][0] == ("x",) and len(reads["甲"][1]) == 4000
    assert peak < 20_000_000  # keeping every let's closure took n²/2 names: 8 million, 500 MB


def test_a_huge_rule_file_is_not_read_past_the_limit(tmp_path: Path) -> None:
    """The size limit bounds the read itself: a file of gigabytes is not read into memory."""
    from pingfen.loader import MAX_RULE_BYTES, read_rule

    huge = tmp_path / "huge.rule"
    with huge.open("wb") as file:
        file.truncate(MAX_RULE_BYTES * 50)  # sparse: large on paper, nothing on disk
    tracemalloc.start()
    try:
        with pytest.raises(pingfen.RubricError) as refused:
            read_rule(huge)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * MAX_RULE_BYTES  # the limit's bytes and their text, not the file's 100 MB
    assert [d.code for d in refused.value.diagnostics] == ["PF008"]
    with pytest.raises(pingfen.RubricError) as refused:
        pingfen.load(huge)
    assert [d.code for d in refused.value.diagnostics] == ["PF008"]


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "文件字节数为 {size}，超过上限 {limit}"),
    ("en", "bytes in the file: {size}, more than the limit of {limit}"),
])  # fmt: skip
def test_a_file_past_the_read_limit_is_refused_by_its_size_not_by_what_was_read(tmp_path: Path, lang: Lang, said: str) -> None:
    """A rule file of 9.5 million characters was refused as `文件字符数为 1904344`: the
    characters in the part read, a count of nothing. Now its size in bytes is named."""
    from pingfen.loader import MAX_RULE_BYTES, read_rule

    big = tmp_path / "大.rule"
    line = "# 评分表注释" + "a" * 93 + "\n"  # 100 characters, 112 bytes
    big.write_text(HEADER + line * 95_000, encoding="utf-8")
    size = big.stat().st_size
    assert len(big.read_text(encoding="utf-8")) > 9_500_000
    for read in (read_rule, pingfen.load):
        with pytest.raises(pingfen.RubricError) as refused:
            read(big)
        (found,) = refused.value.diagnostics
        assert found.code == "PF008"
        assert found.message(lang) == said.format(size=size, limit=MAX_RULE_BYTES)
        assert "500000" in (found.help(lang) or "").replace(",", "")  # the limit users are told is of characters
        assert found.span.known  # where the part read passes the limit of characters, shown
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", "--lang", lang, str(big)], out, err) == 2  # not read: as a file not UTF-8
    assert said.format(size=size, limit=MAX_RULE_BYTES) in out.getvalue()
    with big.open("rb") as opened:  # an open file: fstat says its size too
        with pytest.raises(pingfen.RubricError) as refused:
            pingfen.load(opened)
    assert refused.value.diagnostics[0].message(lang) == said.format(size=size, limit=MAX_RULE_BYTES)


@pytest.mark.parametrize(("bom", "end"), [("\ufeff", "\n"), ("", "\r\n"), ("\ufeff", "\r\n")], ids=["bom", "crlf", "both"])
def test_the_caret_of_a_file_past_the_read_limit_is_where_the_lf_files_is(tmp_path: Path, bom: str, end: str) -> None:
    """The caret marks where the text passes the limit of characters as the parser counts them
    (a line end one, a BOM none): the part read was counted raw, so a CRLF file's caret stood
    49 lines above the LF file's, and mid-line."""
    line = "# 评分表注释" + "a" * 93  # 100 characters
    spans = []
    for first, ends in (("", "\n"), (bom, end)):
        big = tmp_path / f"大{len(spans)}.rule"
        big.write_bytes((first + HEADER.replace("\n", ends) + (line + ends) * 40_000).encode("utf-8"))
        with pytest.raises(pingfen.RubricError) as refused:
            pingfen.load(big)
        spans.append((refused.value.diagnostics[0].span.line, refused.value.diagnostics[0].span.column))
    assert spans[1] == spans[0]


def test_a_stream_past_the_read_limit_names_what_was_read_as_read(tmp_path: Path) -> None:
    """A stream has no size to name: what was read is named as read, not as the file's length."""
    from pingfen.loader import MAX_RULE_BYTES

    stream = io.BytesIO(b"#" * (MAX_RULE_BYTES * 3))
    with pytest.raises(pingfen.RubricError) as refused:
        pingfen.load(stream)
    assert refused.value.diagnostics[0].message("zh") == f"已读取的字节数为 {MAX_RULE_BYTES + 1}，超过上限 {MAX_RULE_BYTES}"
    text = io.StringIO("#" * (MAX_RULE_BYTES * 3))
    with pytest.raises(pingfen.RubricError) as refused:
        pingfen.load(text)
    assert refused.value.diagnostics[0].message("en") == f"characters read from the file: {MAX_RULE_BYTES + 1}, more than the limit of {MAX_CHARS}"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_reader_that_must_not_wait_reads_only_a_regular_file_and_only_so_far(tmp_path: Path) -> None:
    """`read_regular_rule` (an `extends`, the editor's file not opened): a FIFO is refused
    without waiting for a writer, /dev/zero (through a link) without reading it, a huge file
    is read no further than the limit, and a folder is the folder it is."""
    from pingfen.loader import MAX_RULE_BYTES, NotRegularFile, read_regular_rule

    os.mkfifo(tmp_path / "管道.rule")
    (tmp_path / "零.rule").symlink_to("/dev/zero")
    for odd in ("管道.rule", "零.rule"):
        with pytest.raises(NotRegularFile):
            read_regular_rule(tmp_path / odd)
    with pytest.raises(IsADirectoryError):
        read_regular_rule(tmp_path)
    huge = tmp_path / "huge.rule"
    with huge.open("wb") as file:
        file.truncate(MAX_RULE_BYTES * 50)
    with pytest.raises(pingfen.RubricError) as refused:  # read no further than the limit
        read_regular_rule(huge)
    assert refused.value.diagnostics[0].args["count"] == MAX_RULE_BYTES * 50  # its size, not what was read
    bom = tmp_path / "bom.rule"
    bom.write_bytes(b"\xef\xbb\xbf# \xe8\xaf\x84\n")
    assert (read_regular_rule(bom), read_regular_rule(bom, bom=True)) == ("# 评\n", "\ufeff# 评\n")


def test_did_you_mean_is_asked_a_bounded_number_of_times() -> None:
    """Each suggestion compares a name with every declared one: 4,000 misspelt names against
    4,000 inputs took minutes to check. The first SUGGESTED are suggested, the rest not."""
    from pingfen.check.suggest import SUGGESTED

    n = SUGGESTED + 30
    text = ('rubric "r" { total 1 }\n' + "".join(f"input 输入项目{i}: number\n" for i in range(n))
            + "indicator 甲 1 { score = min(1, " + " + ".join(f"输入项木{i}" for i in range(n)) + ") }\n")  # fmt: skip
    found = [d for d in pingfen.diagnose(text) if d.code == "PF102"]
    assert len(found) == n
    assert [d.hint for d in found] == ["did_you_mean"] * SUGGESTED + ["declare_input"] * 30


def test_a_long_line_is_made_visible_only_where_it_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """4,000 diagnostics on one line of 100 KB: each translated the whole line, 17 s."""
    from pingfen import diagnostics

    seen: list[int] = []
    visible = diagnostics.visible
    monkeypatch.setattr(diagnostics, "visible", lambda text: seen.append(len(text)) or visible(text))
    text = 'rubric "r" { total 1 }\nlet 甲 = ' + " + ".join(f"未知{i}" for i in range(3000)) + "\n"
    rendered = [d.render("zh") for d in pingfen.diagnose(text)[:5]]
    assert all("^" in r for r in rendered)
    assert seen and max(seen) < 1000


def test_check_exits_2_for_a_file_too_long_whether_counted_in_characters_or_bytes(tmp_path: Path) -> None:
    """PF008 had two exit statuses: a 1.5 MB rule file (too many characters, the parser's PF008)
    exited 1, a 3 MB one (too many bytes to read, the loader's) 2. Both are files that cannot be
    read as a rubric, as one not UTF-8: exit 2. Too many arms is a finding in a rubric: still 1,
    and so is a readable file that extends one too long (it exited 2 for its base's PF008)."""
    line = "# 评分表注释" + "a" * 93 + "\n"  # 100 characters
    chars = tmp_path / "字符.rule"
    chars.write_text(HEADER + line * 15_000, encoding="utf-8")  # 1.5 million characters, under the byte limit
    size = tmp_path / "字节.rule"
    size.write_text(HEADER + line * 30_000, encoding="utf-8")
    arms = tmp_path / "分档.rule"
    arms.write_text(bands(MAX_ARMS + 1), encoding="utf-8")
    extending = tmp_path / "继承.rule"
    extending.write_text('extends "字符.rule"\n', encoding="utf-8")
    for path, status in ((chars, 2), (size, 2), (arms, 1), (extending, 1)):
        out, err = io.StringIO(), io.StringIO()
        assert main(["check", str(path)], out, err) == status, path.name
        assert "[PF008]" in out.getvalue(), path.name
    out = io.StringIO()
    assert main(["check", "--format", "json", str(chars)], out, io.StringIO()) == 2
    assert '"PF008"' in out.getvalue()


def test_fmt_still_formats_a_large_markdown_file_of_rule_blocks(tmp_path: Path) -> None:
    """A .md file is no rule file: past 500,000 characters `pingfen fmt` still formats its
    ```rule blocks (an attempt to refuse every read past the limit refused it)."""
    block = 'rubric "r" {\n  total 10\n}\ninput b: bool\nindicator 甲 10 {  award 10 if b }\n'
    text = "# 说明\n\n" + "Some prose.\n" * 50_000 + "\n```rule\n" + block + "```\n"  # under the 2 MB read
    assert len(text) > 600_000
    big = tmp_path / "大.md"
    big.write_text(text, encoding="utf-8")
    assert main(["fmt", str(big)], io.StringIO(), io.StringIO()) == 0
    formatted = big.read_text(encoding="utf-8")
    assert "indicator 甲 10 {\n" in formatted and formatted.startswith("# 说明\n\nSome prose.\n")


def test_the_editor_gives_pf008_for_a_large_file_not_opened(tmp_path: Path) -> None:
    """The language server reads a file not opened (`_on_disk`) as an `extends` is read: a file
    of 1.5 million characters is read, and its analysis says PF008, not nothing."""
    from pingfen.editor.analysis import analyse
    from pingfen.editor.server import _on_disk

    big = tmp_path / "大.rule"
    big.write_text(HEADER + ("#" + "a" * 99 + "\n") * 15_000, encoding="utf-8")
    text = _on_disk(big.as_uri())
    assert len(text) > MAX_CHARS
    assert [d.code for d in analyse(text, str(big)).diagnostics] == ["PF008"]
