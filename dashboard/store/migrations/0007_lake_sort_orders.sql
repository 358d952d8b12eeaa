-- On a lake, the order each table's Parquet files are written in. DuckLake sorts the rows of every
-- insert, flush of inlined rows and merge of files by it, so that the min/max statistics of each
-- file and row group let a query skip those that cannot match: a word's postings, an entity's or a
-- topic's rows, a range of days, one article's mentions. Articles go newest first: the pages' lists
-- of the newest articles (and of the quotes of the newest articles) then read the first row groups
-- and skip the rest (on a million articles, 140 ms of CPU to 40 ms for the newest 50).
-- A DuckDB file has no such setting (its tables keep their insertion order): there, these
-- statements are left out (db.for_file) and the migration is only recorded.
ALTER TABLE articles SET SORTED BY (published DESC NULLS LAST, id);
ALTER TABLE search_terms SET SORTED BY (term, article_key);
ALTER TABLE search_pending SET SORTED BY (term, article_key);
ALTER TABLE term_counts SET SORTED BY (term, day);
ALTER TABLE daily_counts SET SORTED BY (day);
ALTER TABLE article_topics SET SORTED BY (topic_id, article_key);
ALTER TABLE article_entities SET SORTED BY (entity_id, day);
ALTER TABLE mentions SET SORTED BY (article_id);
ALTER TABLE quotes SET SORTED BY (article_key);
