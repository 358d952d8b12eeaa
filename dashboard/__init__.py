"""Newsdesk: monitor news topics over time."""

__version__ = "0.1.0"
