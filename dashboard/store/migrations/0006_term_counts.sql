-- Articles per day, source and topic for each of the most common words of the search index, as
-- daily_counts holds them for all articles: a search for a word found in most articles is then
-- counted from a few rows instead of a join of its articles (see daily.py and selection.py).
-- Filled here as daily.refresh_terms fills it (the same SQL); kept in step by daily.py.
CREATE TABLE IF NOT EXISTS counted_terms (
    term VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS term_counts (
    term     VARCHAR NOT NULL,
    day      DATE,
    source   VARCHAR,
    topic_id INTEGER,
    articles INTEGER NOT NULL
);
DELETE FROM term_counts;
DELETE FROM counted_terms;
INSERT INTO counted_terms
    SELECT term FROM search_postings GROUP BY term HAVING count(*) * 5 >= (SELECT count(*) FROM articles);
INSERT INTO term_counts
    SELECT s.term, a.published::DATE AS day, a.source, x.topic_id, count(*)::INTEGER AS articles
    FROM search_postings s JOIN articles a ON a.key = s.article_key LEFT JOIN article_topics x ON x.article_key = a.key
    WHERE a.duplicate_of IS NULL AND s.term IN (SELECT term FROM counted_terms) GROUP BY ALL
    ORDER BY s.term;
