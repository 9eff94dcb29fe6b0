"""The tuned hand-written Decimal scorer, preceded by the checks pingfen makes of every
input before scoring: the value's type (a Decimal or an int; a bool), a finite number,
a count whole and not negative, an amount not negative, and the declared bounds (a
judgment score within [0, its max]). A record that fails a check raises ValueError.

It shows how much of pingfen's time per record is the checking that the tuned scorer
leaves out. `score(record)` returns what hand_tuned.score does.
"""

from __future__ import annotations

from decimal import Decimal

import hand_tuned
import records2021

_D = Decimal
_ZERO = _D(0)

# (input, kind, lowest allowed, whether the lowest is allowed, highest allowed)
_CHECKS: list[tuple[str, str, Decimal | None, bool, Decimal | None]] = [
    ("在职人数", "count", None, True, None),
    ("编制人数", "count", _ZERO, False, None),
    ("本年三公经费", "amount", None, True, None),
    ("上年三公经费", "amount", _ZERO, False, None),
    ("三公经费预算数", "amount", _ZERO, False, None),
    ("重点支出安排率", "percent", _ZERO, True, None),
    ("预算调整率", "percent", _ZERO, True, None),
    ("未按进度下达专项数", "count", None, True, None),
    ("结余", "amount", None, True, None),
    ("上年结转", "amount", None, True, None),
    *((name, "bool", None, True, None) for name in records2021.FLAGS[:3]),
    ("资金使用不合规例数", "count", None, True, None),
    *((name, "bool", None, True, None) for name in records2021.FLAGS[3:8]),
    ("政府采购执行率", "percent", _ZERO, True, None),
    ("公务卡刷卡率", "percent", _ZERO, True, None),
    *((name, "bool", None, True, None) for name in records2021.FLAGS[8:]),
    ("资产管理不合规例数", "count", None, True, None),
    ("固定资产利用率", "percent", _ZERO, True, None),
    *((name, "score", _ZERO, True, _D(top)) for name, top in records2021.JUDGMENTS.items()),
    ("满意度", "percent", _ZERO, True, _D(1)),
]


def score(r: dict[str, object]) -> tuple[Decimal, str, tuple[Decimal, ...]]:
    for name, kind, low, low_allowed, high in _CHECKS:
        value = r[name]
        if kind == "bool":
            if value is not True and value is not False:
                raise ValueError(name)
            continue
        kind_of = type(value)
        if kind_of is int:
            value = _D(value)  # type: ignore[arg-type]
        elif kind_of is not Decimal or not value.is_finite():  # type: ignore[union-attr]
            raise ValueError(name)
        if kind in ("count", "amount") and value < 0:  # type: ignore[operator]
            raise ValueError(name)
        if kind == "count" and value != value.to_integral_value():  # type: ignore[union-attr]
            raise ValueError(name)
        if low is not None and (value < low or (value == low and not low_allowed)):  # type: ignore[operator]
            raise ValueError(name)
        if high is not None and value > high:  # type: ignore[operator]
            raise ValueError(name)
    return hand_tuned.score(r)
