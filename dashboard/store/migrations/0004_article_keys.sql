-- Integer article keys for the joins. `articles.id` (a content hash, what links and exports
-- carry) stays the public id; `articles.key` is a number given once, when the article is stored,
-- and the tables a page's selection joins on (the search index, each article's topic, each
-- article's entities) carry it as `article_key`. Joining a million articles on integers instead of
-- strings is what makes a search for a common word fast (see selection.py).
-- Idempotent, like every migration: an article, a topic assignment or an entity row that already
-- has its key keeps it, and the index is rebuilt from whichever of its columns a database has.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS key BIGINT;
UPDATE articles SET key = k.key
FROM (SELECT id, (SELECT coalesce(max(key), 0) FROM articles) + row_number() OVER (ORDER BY ingested_at, id) AS key
      FROM articles WHERE key IS NULL) k
WHERE articles.id = k.id;

ALTER TABLE article_topics ADD COLUMN IF NOT EXISTS article_key BIGINT;
UPDATE article_topics SET article_key = a.key FROM articles a
WHERE a.id = article_topics.article_id AND article_topics.article_key IS NULL;

ALTER TABLE article_entities ADD COLUMN IF NOT EXISTS article_key BIGINT;
UPDATE article_entities SET article_key = a.key FROM articles a
WHERE a.id = article_entities.article_id AND article_entities.article_key IS NULL;

-- The search index: (term, article_key) rows, pending ones merged in, sorted by term (search.py).
ALTER TABLE search_terms ADD COLUMN IF NOT EXISTS article_id VARCHAR;
ALTER TABLE search_terms ADD COLUMN IF NOT EXISTS article_key BIGINT;
ALTER TABLE search_pending ADD COLUMN IF NOT EXISTS article_id VARCHAR;
ALTER TABLE search_pending ADD COLUMN IF NOT EXISTS article_key BIGINT;
SET memory_limit = '1GB';  -- the sort spills to disk beyond it (75 M rows at a million articles)
-- Built beside the old table, which is then dropped (DuckLake cannot replace a table by a query of itself).
CREATE OR REPLACE TABLE search_keyed AS
    SELECT p.term, coalesce(p.article_key, a.key) AS article_key
    FROM (SELECT term, article_id, article_key FROM search_terms
          UNION ALL SELECT term, article_id, article_key FROM search_pending) p
    LEFT JOIN articles a ON a.id = p.article_id
    WHERE coalesce(p.article_key, a.key) IS NOT NULL
    ORDER BY p.term, article_key;
RESET memory_limit;
DROP VIEW search_postings;
DROP TABLE search_terms;
DROP TABLE search_pending;
ALTER TABLE search_keyed RENAME TO search_terms;
CREATE TABLE search_pending (
    term        VARCHAR NOT NULL,
    article_key BIGINT NOT NULL
);
CREATE VIEW search_postings AS
    SELECT term, article_key FROM search_terms UNION ALL SELECT term, article_key FROM search_pending;
