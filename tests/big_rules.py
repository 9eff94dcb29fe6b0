"""Rule files of n parts each, for the size attacks: shared by tests/test_attack_limits.py and
benchmarks/limits.py (which times them at n and 10n)."""

from __future__ import annotations

HEADER = 'rubric "r" {\n  total 100\n}\ninput x: number\ninput b: bool\n'


def bands(n: int) -> str:
    arms = "".join(f"    [{i}, {i + 1}) -> 1\n" for i in range(n - 1))
    return HEADER + f"indicator 甲 100 {{\n  bands x {{\n{arms}    else -> 0\n  }}\n}}\n"


def whens(n: int) -> str:
    arms = "".join(f"  when x = {i} -> 1\n" for i in range(n - 1))
    return HEADER + f"indicator 甲 100 {{\n{arms}  else -> 0\n}}\n"


def awards(n: int) -> str:
    return HEADER + "indicator 甲 100 {\n" + "".join(f"  award 0.01 if x > {i}\n" for i in range(n)) + "}\n"


def lets(n: int) -> str:
    chain = "".join(f"let y{i} = y{i - 1} + 1\n" for i in range(n - 1, 0, -1))  # the deepest order
    return HEADER + chain + f"let y0 = x\nindicator 甲 100 {{\n  score = min(y{n - 1}, 100)\n}}\n"


def indicators(n: int) -> str:
    return 'rubric "r" {\n}\ninput b: bool\n' + "".join(f"indicator 指标{i} 1 {{\n  award 1 if b\n}}\n" for i in range(n))


def errors(n: int) -> str:
    return 'rubric "r" {\n}\ninput b: bool\n' + "".join(f"indicator 指标{i} 1 {{\n  award 1 if 无{i}\n}}\n" for i in range(n))


def blanks(n: int) -> str:
    return HEADER + " " * n + "}"  # a syntax error after n blanks: scanned for items, then shown


def matches(n: int) -> str:
    labels = ", ".join(f"L{i}" for i in range(n))
    arms = "".join(f"    L{i} -> 1\n" for i in range(n))
    return f'rubric "r" {{\n  total 100\n}}\ninput k: label {{ {labels} }}\nindicator 甲 100 {{\n  match k {{\n{arms}  }}\n}}\n'
