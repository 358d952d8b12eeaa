-- Each article's language, an ISO 639-1 code detected from its text (NULL: not yet, or cannot tell).
ALTER TABLE articles ADD COLUMN IF NOT EXISTS lang VARCHAR;
