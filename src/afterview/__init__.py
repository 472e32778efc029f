"""Afterview: a coaching workbook for recovering from an interview that went badly."""

import afterview._startup  # noqa: F401  (first: makes importing nbformat 2.7 s faster)
from afterview.record.errors import AfterviewError, RecordError
from afterview.record.schema import SCHEMA_VERSION, Record
from afterview.record.store import load, save

__version__ = "0.1.0"

__all__ = ["SCHEMA_VERSION", "AfterviewError", "Record", "RecordError", "load", "save"]
