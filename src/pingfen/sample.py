"""Sample records for a rubric: valid random inputs, for tests and benchmarks.

`sample_record(rubric, rng)` draws every declared input from its type and domain, on a
grid (counts whole, amounts and percents to the hundredth, scores to the half point),
so that the record always scores and the numbers stay short and exact.
"""

from __future__ import annotations

import random
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from pingfen.evaluate.rubric import InputSpec, Rubric
from pingfen.values import ratio_limits

# type → (grid step, default low, default high)
_RANGES = {
    "count": (Decimal(1), Decimal(0), Decimal(5)),
    "amount": (Decimal("0.01"), Decimal(0), Decimal(500)),
    "percent": (Decimal("0.01"), Decimal(0), Decimal("1.5")),
    "score": (Decimal("0.5"), Decimal(0), Decimal(10)),
    "number": (Decimal("0.01"), Decimal(-100), Decimal(100)),
    "date": (Decimal(1), Decimal(45292), Decimal(45657)),  # a day of 2024
}


def sample_value(spec: InputSpec, rng: random.Random) -> Decimal | bool | str:
    """One valid value of a declared input."""
    if spec.type == "bool":
        return rng.random() < 0.8
    if spec.type == "label":
        return rng.choice(spec.labels)
    step, low, high = _RANGES[spec.type]
    bounds = spec.bounds + (ratio_limits(spec.bounds) if spec.type == "percent" else ())
    for op, bound in bounds:  # a percent's bare number beyond ±100% is PF523 unless its bounds reach there
        if op in (">", ">="):
            low = max(low, bound + step if op == ">" else bound)
        elif op in ("<", "<="):
            high = min(high, bound - step if op == "<" else bound)
    first = int((low / step).to_integral_value(rounding=ROUND_CEILING))
    last = int((high / step).to_integral_value(rounding=ROUND_FLOOR))
    return step * rng.randint(first, max(first, last))


def sample_record(rubric: Rubric, rng: random.Random) -> dict[str, object]:
    """A record with a valid value for every input of the rubric; a panel's, a score per expert."""
    return {
        spec.name: [sample_value(spec, rng) for _ in range(spec.size or 3)] if spec.is_list else sample_value(spec, rng)
        for spec in rubric.inputs
    }
