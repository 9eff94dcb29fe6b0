"""The 2021 rubric scored by hand, in Decimal, tuned: one straight-line function, every
constant hoisted into a fast local (default arguments), rates folded (0.5 per percentage
point is 50 per unit), checklists read from precomputed tables, no calls but the few
Decimal() conversions of int counts. The fastest plain Python we know how to write.

`score(record)` returns (total, grade, (score of each of the 25 indicators, in order));
`score_every(record)` also every group's score.
"""

# ruff: noqa: B008 - the constants are default arguments on purpose: fast locals, made once

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_D = Decimal


def score(  # noqa: PLR0912, PLR0915 - straight-line on purpose
    r: dict[str, object],
    D: type[Decimal] = Decimal,
    Z: Decimal = _D(0),
    ONE: Decimal = _D(1),
    HALF: Decimal = _D("0.5"),
    TWO: Decimal = _D(2),
    THREE: Decimal = _D(3),
    FOUR: Decimal = _D(4),
    FIVE: Decimal = _D(5),
    SIX: Decimal = _D(6),
    TEN: Decimal = _D(10),
    TWENTY: Decimal = _D(20),
    FIFTY: Decimal = _D(50),
    HUNDRED: Decimal = _D(100),
    P10: Decimal = _D("0.1"),
    P20: Decimal = _D("0.2"),
    P30: Decimal = _D("0.3"),
    P50: Decimal = _D("0.5"),
    P60: Decimal = _D("0.6"),
    P70: Decimal = _D("0.7"),
    P75: Decimal = _D("0.75"),
    P80: Decimal = _D("0.8"),
    P85: Decimal = _D("0.85"),
    P90: Decimal = _D("0.9"),
    P95: Decimal = _D("0.95"),
    COUNT3: tuple[Decimal, ...] = (_D(0), _D(1), _D(2), _D(3)),
    HALVES: tuple[Decimal, ...] = tuple(_D(n) / 2 for n in range(7)),
    CENT: Decimal = _D("0.01"),
    UP: str = ROUND_HALF_UP,
) -> tuple[Decimal, str, tuple[Decimal, ...]]:
    x = D(r["在职人数"]) / r["编制人数"]
    if x > ONE:
        s1 = FIVE - (x - ONE) * FIFTY
        if s1 < Z:
            s1 = Z
    else:
        s1 = FIVE
    a = r["本年三公经费"]
    b = r["上年三公经费"]
    if a > b:
        s2 = FIVE - (a - b) / b * FIFTY
        if s2 < Z:
            s2 = Z
    else:
        s2 = FIVE
    v = r["重点支出安排率"]
    s3 = FIVE if v >= P90 else FOUR if v >= P80 else THREE if v >= P70 else TWO if v >= P60 else Z
    v = r["预算调整率"]
    s4 = THREE if v == Z else TWO if v <= P10 else ONE if v <= P20 else HALF if v <= P30 else Z
    n = r["未按进度下达专项数"]
    s5 = THREE - HALF * n if n < 6 else Z
    v = r["结余"]
    s6 = THREE if v == Z else TWO if v <= r["上年结转"] else Z
    x = a / r["三公经费预算数"]
    if x > ONE:
        s7 = SIX - (x - ONE) * HUNDRED
        if s7 < Z:
            s7 = Z
    else:
        s7 = SIX
    s8 = COUNT3[r["已制定预算管理制度"] + r["预算管理制度合法合规"] + r["预算管理制度有效执行"]]
    n = r["资金使用不合规例数"]
    s9 = THREE - n if n < 3 else Z
    s10 = HALVES[
        2 * r["按规定内容公开"] + r["按规定时限公开"] + r["基础数据真实"] + r["基础数据完整"] + r["基础数据准确"]
    ]
    v = r["政府采购执行率"]
    if v < ONE:
        s11 = THREE - (ONE - v) * TWENTY
        if s11 < Z:
            s11 = Z
    else:
        s11 = THREE
    v = r["公务卡刷卡率"]
    if v < P50:
        s12 = THREE - (P50 - v) * TWENTY
        if s12 < Z:
            s12 = Z
    else:
        s12 = THREE
    s13 = COUNT3[2 * r["资产管理制度健全"] + r["资产管理制度有效执行"]]
    n = r["资产管理不合规例数"]
    s14 = FOUR - n if n < 4 else Z
    v = r["固定资产利用率"]
    if v < ONE:
        s15 = THREE - (ONE - v) * TEN
        if s15 < Z:
            s15 = Z
    else:
        s15 = THREE
    s16 = r["推进全面小康建设指标任务完成情况"]
    s17 = r["建设湖南新增极目标任务完成情况"]
    s18 = r["《政府工作报告》目标任务完成情况"]
    s19 = r["省市区民生实事完成情况"]
    s20 = r["省市区重点工程和重大项目建设完成情况"]
    s21 = r["其他工作实绩指标完成情况"]
    s22 = r["经济效益"]
    s23 = r["社会效益"]
    s24 = r["生态效益"]
    v = r["满意度"]
    s25 = FIVE if v >= P95 else THREE if v >= P85 else ONE if v >= P75 else Z
    total = (
        s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13
        + s14 + s15 + s16 + s17 + s18 + s19 + s20 + s21 + s22 + s23 + s24 + s25
    ).quantize(CENT, UP)  # fmt: skip
    grade = "优秀" if total >= 90 else "良好" if total >= 80 else "中" if total >= 60 else "差"
    scores = (s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15, s16, s17, s18, s19, s20, s21, s22,
              s23, s24, s25)  # fmt: skip
    return total, grade, scores


def score_every(r: dict[str, object]) -> tuple[Decimal, str, tuple[Decimal, ...], tuple[Decimal, ...]]:
    """`score`, and every group's score too, summed by hand (issue 11's reference: a
    scorer that returns every indicator and group score): (total, grade, the 25
    indicators' scores, the 10 groups' scores in rubric order)."""
    total, grade, s = score(r)
    budget = s[0] + s[1] + s[2]
    execution = s[3] + s[4] + s[5] + s[6]
    management = s[7] + s[8] + s[9] + s[10] + s[11]
    assets = s[12] + s[13] + s[14]
    duties = s[15] + s[16] + s[17] + s[18] + s[19] + s[20]
    benefits = s[21] + s[22] + s[23] + s[24]
    groups = (budget, budget, execution + management + assets, execution, management, assets, duties, duties,
              benefits, benefits)  # fmt: skip
    return total, grade, s, groups
