"""A rubric scoring a Spark DataFrame: the generated Spark SQL over the frame as a view.

Spark keeps the query exact only with `spark.sql.decimalOperations.allowPrecisionLoss`
off (by default it narrows the scale of a wide decimal sum or product to 6 digits) and
with ANSI mode on (an overflow is then an error, never a wrapped or NULL number): the
helper sets both on the session. docs/scale.md states the contract.

pyspark is not imported here: the frame's own session runs the query, so pingfen needs
no Spark to be installed unless this helper is used.
"""

from __future__ import annotations

import itertools
from typing import Any

from pingfen.evaluate.rubric import given_rubric
from pingfen.sql import to_sql

# The session settings the query needs on Spark, for `spark-submit --conf` as for the helper.
EXACT_CONF = {
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",
    "spark.sql.ansi.enabled": "true",
}

# And one the query's depth needs: each CTE layer (a long division takes a dozen) costs the
# analyzer passes, and a deep rubric's query, panels' list functions above all, goes past
# Spark's default 100 (`Max iterations (100) reached for batch Resolution`).
DEPTH_CONF = {"spark.sql.analyzer.maxIterations": "1000"}

_views = itertools.count()


def score(frame: Any, rubric: Any, *, reasons: bool = True) -> Any:
    """The scored DataFrame of `frame` (a pyspark DataFrame with a column per input of
    `rubric`, a pingfen.Rubric): its other columns, a column per node, total, grade,
    reasons (unless reasons=False) and the refusal columns, as `pingfen sql` describes."""
    given_rubric(rubric, "pingfen.spark.score")  # before the session is changed; named as called
    session = frame.sparkSession
    for key, value in (EXACT_CONF | DEPTH_CONF).items():
        session.conf.set(key, value)
    view = f"pingfen_records_{next(_views)}"
    frame.createOrReplaceTempView(view)
    return session.sql(to_sql(rubric, "spark", table=view, reasons=reasons))
