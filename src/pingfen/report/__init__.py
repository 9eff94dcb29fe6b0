"""Human reports of a Result."""

from pingfen.report.table import render_table

__all__ = ["render_table"]
