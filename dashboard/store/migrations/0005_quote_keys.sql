-- Each quote carries its article's key (see 0004_article_keys.sql): the pages' latest quotes and
-- speakers join the selection's articles to the quotes on it, not on the string ids.
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS article_key BIGINT;
UPDATE quotes SET article_key = a.key FROM articles a WHERE a.id = quotes.article_id AND quotes.article_key IS NULL;
