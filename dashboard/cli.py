"""The command line: python -m dashboard ingest|enrich|export|poll|check|migrate (cron-friendly).

Exit codes: 0 success; 1 some input failed or some records were malformed (the rest was
stored); 2 usage errors or a database that cannot be opened; 3 an unexpected internal error
(one line on stderr; `python -X dev -m dashboard ...` shows the traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from dashboard import config
from dashboard.ingest import IngestError
from dashboard.ingest.detect import FORMATS
from dashboard.ingest.options import OptionError, ReadOptions, parse_map, parse_timezone
from dashboard.load import Summary, ingest
from dashboard.store import StoreError, engine
from dashboard.store.exports import EXPORT_FIELDS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Newsdesk: monitor news topics over time.")
    commands = parser.add_subparsers(dest="command", required=True)

    def with_db(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--db", help="DuckDB file, or a lake: ducklake:postgres:dbname=... host=... data_path=... "
                                      "(default: $NEWSDESK_DB or data/newsdesk.duckdb)")
        return sub

    p = with_db(commands.add_parser("ingest", help="read files, folders, feeds or URLs into the database"))
    p.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--source", help="source name for every article read")
    p.add_argument("--format", default="auto", choices=FORMATS)
    p.add_argument("--no-enrich", action="store_true", help="skip entities, quotes and topics for the new articles")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN,...|FILE",
                   help="which column holds a field, e.g. published=Date,body=Subject; or a file of field = \"Column\" lines")
    p.add_argument("--timezone", metavar="ZONE", help="time zone of dates that name none (Europe/Paris, +08:00; default UTC)")
    p.add_argument("--dayfirst", action="store_true", help="read ambiguous dates such as 01/02/2003 as day/month")

    p = with_db(commands.add_parser("enrich", help="entities, quotes and topics for articles not yet enriched"))
    p.add_argument("--refit", action="store_true", help="refit the topic model on every article")
    p.add_argument("--topics", type=int, metavar="K", help="number of topics (default: chosen from the data)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = with_db(commands.add_parser("export", help="write articles, topics, entities or quotes, one per line"))
    p.add_argument("what", choices=sorted(EXPORT_FIELDS))
    p.add_argument("--format", default="jsonl", choices=("jsonl", "csv"))
    p.add_argument("--out", default="-", help="output file, or - for standard output")

    p = with_db(commands.add_parser("poll", help="fetch every feed in feeds.toml once"))
    p.add_argument("--feeds", default=str(config.DEFAULT_FEEDS), help="feeds file (default: feeds.toml)")
    p.add_argument("--no-enrich", action="store_true", help="skip entities, quotes and topics for the new articles")

    with_db(commands.add_parser("check", help="check the database is consistent"))

    p = commands.add_parser("migrate", help="copy a database into an empty one, e.g. a file into a lake")
    p.add_argument("--from", dest="source", required=True, metavar="FILE_OR_LAKE", help="the database to copy")
    p.add_argument("--to", dest="target", required=True, metavar="LAKE_OR_FILE", help="where to copy it (must hold no articles)")
    return parser


def _finish(summary: Summary) -> int:
    print(summary.line())
    if not summary.read and not summary.failed and not summary.skipped:
        print("nothing to ingest", file=sys.stderr)
    return 0 if summary.ok else 1


def _enrich_after(db: Path, summary: Summary, quiet: bool) -> None:
    from dashboard.nlp.pipeline import enrich

    if summary.new_ids:  # near-duplicates are among the new ids too
        print(enrich(db, progress=False if quiet else None).line())


def _read_options(args: argparse.Namespace) -> ReadOptions:
    return ReadOptions(
        columns=parse_map(args.map),
        timezone=parse_timezone(args.timezone) if args.timezone is not None else ReadOptions().timezone,
        dayfirst=True if args.dayfirst else None,
    )


def cmd_ingest(args: argparse.Namespace) -> int:
    db = config.db_path(args.db)
    options = _read_options(args)
    summary = ingest(args.targets, db, args.format, args.source, progress=False if args.quiet else None, options=options)
    code = _finish(summary)
    if not args.no_enrich:
        _enrich_after(db, summary, args.quiet)
    return code


def cmd_enrich(args: argparse.Namespace) -> int:
    from dashboard.nlp.pipeline import enrich

    report = enrich(config.db_path(args.db), refit=args.refit, n_topics=args.topics, progress=False if args.quiet else None)
    print(report.line())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from dashboard.export import export

    db = config.db_path(args.db)
    if args.out == "-":
        export(db, args.what, sys.stdout, args.format)
        return 0
    target = Path(args.out)
    partial = target.with_name(f".{target.name}.partial")  # renamed over the target once whole
    try:
        with open(partial, "w", encoding="utf-8", newline="") as out:
            count = export(db, args.what, out, args.format)
        os.replace(partial, target)
    except OSError as exc:
        print(f"error: {args.out}: cannot write the export: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:  # a failed export leaves the target as it was, not a header without rows
        partial.unlink(missing_ok=True)
    print(f"wrote {count:,} {args.what} to {args.out}", file=sys.stderr)
    return 0


def cmd_poll(args: argparse.Namespace) -> int:
    from dashboard.poll import poll, read_feeds

    db = config.db_path(args.db)
    summary = poll(read_feeds(Path(args.feeds)), db)
    code = _finish(summary)
    if not args.no_enrich:
        _enrich_after(db, summary, quiet=True)
    return code


def cmd_check(args: argparse.Namespace) -> int:
    from dashboard.store.check import check

    problems = check(config.db_path(args.db))
    for problem in problems:
        print(f"problem: {problem}")
    print("consistent" if not problems else f"{len(problems)} problem(s)")
    return 0 if not problems else 1


def cmd_migrate(args: argparse.Namespace) -> int:
    from dashboard.store.check import check
    from dashboard.store.copy import copy

    source, target = config.db_path(args.source), config.db_path(args.target)
    for table, count in copy(source, target).items():
        print(f"{table}: {count:,} rows")
    problems = check(target)
    for problem in problems:
        print(f"problem: {problem}")
    print(f"copied to {os.fspath(target)}: " + ("consistent" if not problems else f"{len(problems)} problem(s)"))
    return 0 if not problems else 1


COMMANDS = {"ingest": cmd_ingest, "enrich": cmd_enrich, "export": cmd_export, "poll": cmd_poll, "check": cmd_check,
            "migrate": cmd_migrate}


def _check_db_arg(args: argparse.Namespace) -> None:
    """A --db that is a folder or a pipe is a usage error (opening a pipe would block forever)."""
    db = getattr(args, "db", None)
    if db is not None and not db.startswith(engine.PREFIX):
        path = Path(db)
        if path.exists() and not path.is_file():
            raise OptionError(f"--db {db}: not a regular file (a DuckDB database file or a ducklake: address is expected)")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        _check_db_arg(args)
        return COMMANDS[args.command](args)
    except (OptionError, StoreError, IngestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted: every input finished so far is stored", file=sys.stderr)
        return 130
    except duckdb.Error as exc:  # a --db that DuckDB opens but that is no Newsdesk database (a CSV file, say)
        print(f"error: {getattr(args, 'db', None) or args.command}: not a usable Newsdesk database: "
              f"{str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file next to the database (a lock, an export) cannot be made or written
        where = exc.filename or getattr(args, "db", None) or args.command
        print(f"error: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # one line, never a traceback, unless asked for
        if sys.flags.dev_mode:
            raise
        detail = str(exc).splitlines()[0] if str(exc).strip() else ""
        print(f"error: {args.command}: unexpected {type(exc).__name__}{': ' + detail if detail else ''} "
              "(an internal error: python -X dev shows where)", file=sys.stderr)
        return 3
