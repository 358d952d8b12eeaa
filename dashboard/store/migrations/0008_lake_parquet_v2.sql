-- On a lake, the tables the pages join on an article key are written as Parquet version 2, whose
-- DELTA_BINARY_PACKED encoding stores a sorted or clustered integer column as small differences:
-- article_entities' article_key (4.5 million rows on a million articles, stored in entity order)
-- then takes 12 MB instead of 23 and DuckDB decodes it in 20 ms of CPU instead of 54 (version 1:
-- PLAIN values, snappy-compressed). Every join of a search's or an entity's articles to their
-- entities or topics reads that column whole. The files written before are written again by the
-- first process that applies this migration (db.rewrite_for_options); the answers do not change.
-- A DuckDB file has no such setting: there, these statements are left out (db.for_file).
CALL set_option('parquet_version', '2', table_name => 'article_entities');
CALL set_option('parquet_version', '2', table_name => 'article_topics');
CALL set_option('parquet_version', '2', table_name => 'quotes');
