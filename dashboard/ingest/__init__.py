"""Readers that turn sources (files, folders, URLs) into Article records. No database here."""

from dashboard.ingest.errors import IngestError
from dashboard.ingest.sources import Input, read_input

__all__ = ["IngestError", "Input", "read_input"]
