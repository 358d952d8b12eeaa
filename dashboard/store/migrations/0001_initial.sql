-- The schema as it stood when migrations began. Every statement is idempotent, so that a database
-- made before the `migrations` table existed is upgraded by running it again.
CREATE TABLE IF NOT EXISTS articles (
    id               VARCHAR PRIMARY KEY,
    external_id      VARCHAR,
    source           VARCHAR NOT NULL,
    url              VARCHAR,
    title            VARCHAR,
    kicker           VARCHAR,
    body             VARCHAR NOT NULL,
    published        TIMESTAMP,          -- UTC; NULL when the source gives no date
    published_approx BOOLEAN NOT NULL DEFAULT false,
    truncated        BOOLEAN NOT NULL DEFAULT false,
    photo_credit     VARCHAR,
    labels           VARCHAR[] NOT NULL DEFAULT [],
    duplicate_of     VARCHAR,            -- the original of a near-duplicate
    content_hash     VARCHAR NOT NULL,
    origin           VARCHAR,            -- the file or URL it was read from
    ingested_at      TIMESTAMP NOT NULL,
    author           VARCHAR             -- the byline, when the source gives one
);
-- For databases made before the column; a no-op on new ones.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS author VARCHAR;

-- Full-text search (see search.py): one row per (term, article). `search_terms` is kept sorted
-- by term; new articles' rows wait in `search_pending` until they are merged in.
CREATE TABLE IF NOT EXISTS search_terms (
    term       VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS search_pending (
    term       VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL
);
-- Run again on a database past 0004_article_keys (whose index holds keys, not ids), the view
-- still binds: these columns come back empty, and 0004 run again drops them.
ALTER TABLE search_terms ADD COLUMN IF NOT EXISTS article_id VARCHAR;
ALTER TABLE search_pending ADD COLUMN IF NOT EXISTS article_id VARCHAR;
CREATE VIEW IF NOT EXISTS search_postings AS
    SELECT term, article_id FROM search_terms UNION ALL SELECT term, article_id FROM search_pending;
DROP TABLE IF EXISTS article_search;  -- what search scanned before the index above

CREATE TABLE IF NOT EXISTS signatures (
    article_id VARCHAR PRIMARY KEY,
    minhash    UINTEGER[] NOT NULL
);

CREATE TABLE IF NOT EXISTS ingest_runs (
    origin     VARCHAR NOT NULL,
    finished   TIMESTAMP NOT NULL,
    status     VARCHAR NOT NULL,        -- ok | failed | skipped
    read       INTEGER NOT NULL,
    new        INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    rejected   INTEGER NOT NULL,
    message    VARCHAR
);

CREATE TABLE IF NOT EXISTS entities (
    id      INTEGER PRIMARY KEY,
    name    VARCHAR NOT NULL,
    type    VARCHAR NOT NULL,
    aliases VARCHAR[] NOT NULL DEFAULT []
);

CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR NOT NULL,
    entity_id  INTEGER NOT NULL,
    start_char INTEGER NOT NULL,        -- offsets into model.article_text(title, body)
    end_char   INTEGER NOT NULL,
    text       VARCHAR NOT NULL,
    label      VARCHAR NOT NULL          -- the type this mention was read as
);

CREATE TABLE IF NOT EXISTS quotes (
    article_id   VARCHAR NOT NULL,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    text         VARCHAR NOT NULL,
    speaker_id   INTEGER,               -- NULL when no speaker can be identified
    speaker_text VARCHAR,
    cue          VARCHAR
);
-- One row per (article, entity): derived from mentions after each enrichment, so counts of
-- articles per entity need no DISTINCT over every mention. The article's day, source and topic
-- are copied in, so that filtering by them needs no join to the articles.
CREATE TABLE IF NOT EXISTS article_entities (
    article_id VARCHAR NOT NULL,
    entity_id  INTEGER NOT NULL,
    mentions   INTEGER NOT NULL,
    day        DATE,
    source     VARCHAR,
    topic_id   INTEGER
);
ALTER TABLE article_entities ADD COLUMN IF NOT EXISTS day DATE;
ALTER TABLE article_entities ADD COLUMN IF NOT EXISTS source VARCHAR;
ALTER TABLE article_entities ADD COLUMN IF NOT EXISTS topic_id INTEGER;
CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity_id);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes (article_id);

CREATE TABLE IF NOT EXISTS topics (
    id           INTEGER PRIMARY KEY,
    label        VARCHAR NOT NULL,      -- automatic, from the topic's distinctive terms
    custom_label VARCHAR,               -- set by a user; survives refits
    terms        VARCHAR[] NOT NULL DEFAULT [],
    is_other     BOOLEAN NOT NULL DEFAULT false
);

ALTER TABLE topics ADD COLUMN IF NOT EXISTS born DATE;            -- first day of a topic born between fits
ALTER TABLE topics ADD COLUMN IF NOT EXISTS created_at TIMESTAMP;  -- when it was born (NULL: from a fit)

-- A topic's life story: born, split (into other_id), merged (into other_id). `label` is the
-- topic's label when the event was recorded, so a topic merged away can still be named.
CREATE TABLE IF NOT EXISTS topic_events (
    topic_id    INTEGER NOT NULL,
    event       VARCHAR NOT NULL,
    other_id    INTEGER,
    day         DATE,
    recorded_at TIMESTAMP NOT NULL,
    label       VARCHAR
);

-- Stories: articles about one event within a few days (see nlp/stories.py). Ids never change.
CREATE TABLE IF NOT EXISTS article_stories (
    article_id VARCHAR PRIMARY KEY,
    story_id   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS stories (
    id               INTEGER PRIMARY KEY,
    headline_article VARCHAR,              -- its most central article: the headline is its title
    topic_id         INTEGER,              -- the topic most of its articles are in
    first_day        DATE,
    last_day         DATE,
    size             INTEGER NOT NULL,     -- original articles
    sources          VARCHAR[] NOT NULL DEFAULT []
);

CREATE TABLE IF NOT EXISTS article_topics (
    article_id VARCHAR PRIMARY KEY,
    topic_id   INTEGER NOT NULL,
    score      DOUBLE
);

CREATE TABLE IF NOT EXISTS enriched (
    article_id  VARCHAR PRIMARY KEY,
    enriched_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS models (
    name    VARCHAR PRIMARY KEY,
    payload BLOB NOT NULL,
    fitted  TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS feed_state (
    url           VARCHAR PRIMARY KEY,
    etag          VARCHAR,
    last_modified VARCHAR,
    polled        TIMESTAMP NOT NULL,
    status        VARCHAR NOT NULL
);

-- Original articles per day, source and topic (topic NULL until enriched; see daily.py).
CREATE TABLE IF NOT EXISTS daily_counts (
    day      DATE,
    source   VARCHAR NOT NULL,
    topic_id INTEGER,
    articles INTEGER NOT NULL
);
