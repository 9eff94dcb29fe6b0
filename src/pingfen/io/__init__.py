"""Readers and writers for data files."""

from pingfen.io.records import read_record

__all__ = ["read_record"]
