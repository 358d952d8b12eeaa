class IngestError(Exception):
    """A whole input cannot be read; the message says what is wrong with it, in one line."""


class NotAnArticle(IngestError):
    """The input is readable but is not news (a README, a metadata file, a word list)."""
