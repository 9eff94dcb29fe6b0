"""Shared test setup: hypothesis profiles.

    HYPOTHESIS_PROFILE=ci|dev|fuzz   picks a profile explicitly;
    otherwise `ci` when the CI variable is set, else `dev`.

`ci` is derandomized (the same examples on every run) and prints the blob needed to
reproduce a failure; `fuzz` is for long local runs hunting for bugs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

# `tests/strategies.py` is imported as a plain module by the property tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=50,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "fuzz",
    max_examples=5000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
