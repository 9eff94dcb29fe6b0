"""Readers and writers for data files: one record (JSON, YAML), batch files (CSV, XLSX,
JSON Lines) read row by row, and batch results written atomically."""

from pingfen.io.records import read_department, read_record, read_records
from pingfen.io.tables import Row, Rows, read_rows
from pingfen.io.write import atomic_open, atomic_path, write_results

__all__ = ["Row", "Rows", "atomic_open", "atomic_path", "read_department", "read_record", "read_records", "read_rows", "write_results"]
