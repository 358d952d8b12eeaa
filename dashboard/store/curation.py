"""An admin's corrections to the entities: merge two, rename one, hide one. Listed, reversible, and lasting.

Entities are rebuilt by enrichment (new articles, a re-enrichment from scratch), so a
correction is kept as a rule by *name* in `entity_curation`, applied when it is made and again
after every consolidation of the entities (`apply`, called by `enrichment.refresh_article_entities`):

- merge `name` into `target`: the mentions and quotes of `name` move to `target`, whose aliases
  gain `name` (so new articles that write it go straight to `target`); an entity called `name`
  that a later enrichment creates again is merged again.
- rename `name` to `target`: the entity is called `target` from then on, `name` stays an alias.
- hide `name`: the entity stays stored but is left out of article_entities, which every page's
  lists, charts and filters read, so it shows nowhere.

Undoing a merge puts back exactly the mentions and quotes it moved (kept in `curation_moves`)
under a re-created entity with the merged one's name, type and aliases.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

ACTIONS = ("merge", "rename", "hide")
HIDDEN_IDS = """SELECT e.id FROM entities e JOIN entity_curation c ON c.action = 'hide'
                AND (e.name = c.name OR list_contains(e.aliases, c.name))"""


class CurationError(ValueError):
    """A correction that cannot be made (an unknown entity, a merge into itself): the message says why."""


def exists(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the curation tables are there (migration 0003; a database not migrated yet has none)."""
    try:
        con.execute("SELECT 1 FROM entity_curation LIMIT 0")
    except duckdb.CatalogException:
        return False
    return True


def hidden_sql(con: duckdb.DuckDBPyConnection) -> str:
    """A subquery of the ids of hidden entities (none when nothing was ever curated)."""
    return HIDDEN_IDS if exists(con) else "SELECT NULL::INTEGER WHERE FALSE"


def _entity(con: duckdb.DuckDBPyConnection, name: str) -> tuple[int, str, str, list[str]] | None:
    """(id, name, type, aliases) of the entity called `name`, else of the one that has it as an alias."""
    row = con.execute("SELECT id, name, type, aliases FROM entities WHERE name = ? ORDER BY id LIMIT 1", [name]).fetchone()
    return row or con.execute("SELECT id, name, type, aliases FROM entities WHERE list_contains(aliases, ?) ORDER BY id LIMIT 1",
                              [name]).fetchone()


def _next_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(id), 0) + 1 FROM entity_curation").fetchone()[0]


def _record(con: duckdb.DuckDBPyConnection, action: str, name: str, target: str | None, now: datetime,
            entity_type: str | None = None, aliases: list[str] | None = None, added: list[str] | None = None) -> int:
    curation_id = _next_id(con)
    con.execute("INSERT INTO entity_curation VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [curation_id, action, name, target, now, entity_type, aliases, added])
    return curation_id


def merge(con: duckdb.DuckDBPyConnection, name: str, target: str, now: datetime) -> int:
    """Fold the entity `name` into `target`; returns the correction's id."""
    source, into = _entity(con, name), _entity(con, target)
    if source is None or into is None:
        raise CurationError(f"no entity called “{name if source is None else target}”")
    if source[0] == into[0]:
        raise CurationError(f"“{name}” and “{target}” are already one entity")
    added = sorted({source[1], *source[3]} - {into[1], *into[3]})
    curation_id = _record(con, "merge", source[1], into[1], now, source[2], list(source[3]), added)
    _merge_ids(con, curation_id, source[0], into[0])
    return curation_id


def _merge_ids(con: duckdb.DuckDBPyConnection, curation_id: int, source_id: int, target_id: int) -> None:
    from dashboard.store.enrichment import merge_entities

    con.execute("INSERT INTO curation_moves SELECT ?, 'mention', article_id, start_char FROM mentions WHERE entity_id = ?",
                [curation_id, source_id])
    con.execute("INSERT INTO curation_moves SELECT ?, 'quote', article_id, start_char FROM quotes WHERE speaker_id = ?",
                [curation_id, source_id])
    merge_entities(con, {source_id: target_id})
    refresh_rows(con, [source_id, target_id])


def rename(con: duckdb.DuckDBPyConnection, name: str, new_name: str, now: datetime) -> int:
    """Call the entity `name` `new_name` from now on (the old name stays an alias); returns the correction's id."""
    new_name = " ".join(new_name.split())[:200]
    entity = _entity(con, name)
    if entity is None:
        raise CurationError(f"no entity called “{name}”")
    if not new_name or new_name == entity[1]:
        raise CurationError("the new name is empty or the same")
    taken = con.execute("SELECT count(*) FROM entities WHERE name = ? AND id <> ?", [new_name, entity[0]]).fetchone()[0]
    if taken:
        raise CurationError(f"“{new_name}” is another entity: merge the two instead")
    added = [] if entity[1] in entity[3] else [entity[1]]
    curation_id = _record(con, "rename", entity[1], new_name, now, added=added)
    _rename_id(con, entity[0], entity[1], new_name)
    return curation_id


def _rename_id(con: duckdb.DuckDBPyConnection, entity_id: int, old: str, new: str) -> None:
    con.execute("UPDATE entities SET name = ?, aliases = list_sort(list_distinct(list_append(aliases, ?))) WHERE id = ?",
                [new, old, entity_id])


def hide(con: duckdb.DuckDBPyConnection, name: str, now: datetime) -> int:
    """Leave the entity `name` out of every page; returns the correction's id."""
    entity = _entity(con, name)
    if entity is None:
        raise CurationError(f"no entity called “{name}”")
    curation_id = _record(con, "hide", entity[1], None, now)
    refresh_rows(con, [entity[0]])
    return curation_id


def undo(con: duckdb.DuckDBPyConnection, curation_id: int) -> None:
    """Take a correction back: the merged entity returns with its mentions, the old name, the hidden entity."""
    row = con.execute("SELECT action, name, target, entity_type, aliases, added FROM entity_curation WHERE id = ?",
                      [curation_id]).fetchone()
    if row is None:
        raise CurationError(f"no correction {curation_id}")
    action, name, target, entity_type, aliases, added = row
    con.execute("DELETE FROM entity_curation WHERE id = ?", [curation_id])
    if action == "merge":
        _unmerge(con, curation_id, name, target, entity_type, list(aliases or []), list(added or []))
    elif action == "rename":
        entity = _entity(con, target)
        if entity is not None:
            con.execute("UPDATE entities SET name = ?, aliases = list_filter(aliases, a -> NOT list_contains(?, a)) WHERE id = ?",
                        [name, list(added or []), entity[0]])
    else:
        entity = _entity(con, name)
        if entity is not None:
            refresh_rows(con, [entity[0]])
    con.execute("DELETE FROM curation_moves WHERE curation_id = ?", [curation_id])


def _unmerge(con: duckdb.DuckDBPyConnection, curation_id: int, name: str, target: str, entity_type: str,
             aliases: list[str], added: list[str]) -> None:
    into = _entity(con, target)
    new_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM entities").fetchone()[0]
    con.execute("INSERT INTO entities (id, name, type, aliases) VALUES (?, ?, ?, ?)", [new_id, name, entity_type, aliases])
    if into is None:
        return
    for kind, table, column in (("mention", "mentions", "entity_id"), ("quote", "quotes", "speaker_id")):
        con.execute(f"""UPDATE {table} SET {column} = ? FROM curation_moves v
                        WHERE v.curation_id = ? AND v.kind = ? AND {table}.article_id = v.article_id
                          AND {table}.start_char = v.start_char AND {table}.{column} = ?""", [new_id, curation_id, kind, into[0]])
    con.execute("UPDATE entities SET aliases = list_filter(aliases, a -> NOT list_contains(?, a)) WHERE id = ?", [added, into[0]])
    refresh_rows(con, [new_id, into[0]])


def refresh_rows(con: duckdb.DuckDBPyConnection, entity_ids: list[int]) -> None:
    """Rebuild the article_entities rows of a few entities (what enrichment.refresh_article_entities does for all)."""
    con.execute("DELETE FROM article_entities WHERE entity_id IN (SELECT unnest(?::INTEGER[]))", [entity_ids])
    con.execute(f"""
        INSERT INTO article_entities (article_id, entity_id, mentions, day, source, topic_id, article_key)
        SELECT m.article_id, m.entity_id, m.mentions, a.published::DATE, a.source, x.topic_id, a.key
        FROM (SELECT article_id, entity_id, count(*) AS mentions FROM mentions
              WHERE entity_id IN (SELECT unnest(?::INTEGER[])) AND entity_id NOT IN ({hidden_sql(con)}) GROUP BY ALL) m
        JOIN articles a ON a.id = m.article_id LEFT JOIN article_topics x ON x.article_id = m.article_id
        ORDER BY m.entity_id""", [entity_ids])


def apply(con: duckdb.DuckDBPyConnection) -> None:
    """Make the stored corrections true again after enrichment rebuilt the entities (a no-op when they hold).

    Runs inside enrichment's transaction, before article_entities is rebuilt; the rebuild then
    leaves the hidden entities out.
    """
    if not exists(con):
        return
    for curation_id, action, name, target in con.execute(
            "SELECT id, action, name, target FROM entity_curation WHERE action <> 'hide' ORDER BY id").fetchall():
        again = con.execute("SELECT id FROM entities WHERE name = ? ORDER BY id LIMIT 1", [name]).fetchone()
        if again is None:
            continue
        into = _entity(con, target)
        if action == "merge" and into is not None and into[0] != again[0]:
            _merge_ids(con, curation_id, again[0], into[0])
        elif action == "rename" and into is None:
            _rename_id(con, again[0], name, target)
        elif action == "rename" and into[0] != again[0]:
            _merge_ids(con, curation_id, again[0], into[0])


def listing(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every correction, newest first: id, action, name, target, made_at."""
    if not exists(con):
        return pd.DataFrame(columns=["id", "action", "name", "target", "made_at"])
    return con.execute("SELECT id, action, name, target, made_at FROM entity_curation ORDER BY id DESC").df()
