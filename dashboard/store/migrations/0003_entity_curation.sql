-- An admin's corrections to the entities, kept by name and made again after every enrichment
-- (see store/curation.py).
CREATE TABLE IF NOT EXISTS entity_curation (
    id          INTEGER PRIMARY KEY,
    action      VARCHAR NOT NULL,   -- merge | rename | hide
    name        VARCHAR NOT NULL,   -- the entity acted on, by its name at the time
    target      VARCHAR,            -- merge: the entity it went into; rename: its new name
    made_at     TIMESTAMP NOT NULL,
    entity_type VARCHAR,            -- merge: the merged entity's type and aliases, to restore it
    aliases     VARCHAR[],
    added       VARCHAR[]           -- merge, rename: the aliases the action gave (taken back on undo)
);
CREATE TABLE IF NOT EXISTS curation_moves (
    curation_id INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,   -- mention | quote
    article_id  VARCHAR NOT NULL,
    start_char  INTEGER NOT NULL
);
