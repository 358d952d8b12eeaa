"""The URL is the state: the filters and the pages' settings are synced with query parameters, both ways.

This is the only module that reads st.query_params. The link format is a public contract:
pages by path (/, /topics, /entities, /quotes, /articles, /compare) and the parameters
`topic` (id, repeatable), `entity` (canonical name, repeatable), `from`, `to` (YYYY-MM-DD),
`source`, `q`, `article` (an article id: opens the reader), `story` (a story id, repeatable:
the articles of that story) and `lang` (an ISO 639-1 code, repeatable: articles in any of them).
The charts add `grain` (day, week, month), `top`, `measure` and `chart` (how the volume chart
is drawn), and the Compare page `series` (repeatable, `kind:value`) and `style`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlencode, urlsplit

import streamlit as st

from dashboard.languages import name as language_name
from dashboard.store.queries import Filters
from dashboard.views import data

PARAMS = ("topic", "entity", "from", "to", "source", "q", "article", "story", "lang")
MAX_QUERY = 200
EARLIEST, LATEST = date(1800, 1, 1), date(2100, 12, 31)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2}))?$")


def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        return EARLIEST <= date.fromisoformat(text) <= LATEST
    except ValueError:
        return False


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "…"


def notices(topic_ids: set[str], entity_names: set[str], sources: list[str], story_ids: set[str], langs: set[str] = frozenset()) -> list[str]:
    """Messages about URL parameters that were not understood (they fall back to defaults)."""
    out = []
    for value in st.query_params.get_all("lang"):
        if value not in langs:
            out.append(f"No articles in language “{_short(value)}” (an ISO 639-1 code such as en, de, zh): ignored.")
    for value in st.query_params.get_all("story"):
        if value not in story_ids:
            out.append(f"Unknown story “{_short(value)}” ignored.")
    for value in st.query_params.get_all("topic"):
        if value not in topic_ids:
            out.append(f"Unknown topic “{_short(value)}” ignored.")
    for value in st.query_params.get_all("entity"):
        if value not in entity_names:
            out.append(f"Unknown entity “{_short(value)}” ignored.")
    for key in ("from", "to"):
        value = st.query_params.get(key)
        if value and not _valid_date(value):
            out.append(f"“{_short(value)}” is not a date (YYYY-MM-DD): “{key}” ignored.")
    source = st.query_params.get("source")
    if source and source not in sources:
        out.append(f"Unknown source “{_short(source)}” ignored.")
    article = st.query_params.get("article")
    if article and not data.get("article_exists", article):
        out.append(f"No article “{_short(article)}”.")
    return out


def _entity_label(row: dict) -> str:
    aliases = [a for a in row["aliases"] if a != row["name"]]
    return f"{row['name']} ({', '.join(aliases)})" if aliases else row["name"]


def sidebar() -> Filters:
    """Draw the global filters (taken from the URL; `publish_view` writes them back) and return the selection."""
    topics = data.get("topics")
    topic_labels = {str(r.id): f"{r.label} ({r.size})" for r in topics.itertuples()}
    choices = data.get("entity_choices")
    wanted = [v for v in st.query_params.get_all("entity") if v not in set(choices["name"])]
    if wanted:  # entities named in a link but outside the top of the list still load
        choices = data.pd.concat([choices, data.get("entities_named", wanted)], ignore_index=True)
    entity_labels = {r["name"]: _entity_label(r) for r in choices.to_dict("records")}
    sources = data.get("sources")
    story_labels = _story_labels()
    lang_labels = {code: f"{language_name(code)} ({code})" for code in data.get("languages")}
    st.session_state["notices"] = notices(set(topic_labels), set(entity_labels), sources, set(story_labels), set(lang_labels))

    page_changed = st.session_state.get("_synced_page") != st.session_state.get("page_path")
    _seed("topic", topic_labels.__contains__, False)
    _seed("entity", entity_labels.__contains__, False)
    _seed("story", story_labels.__contains__, False)
    _seed("lang", lang_labels.__contains__, False)
    _seed("from", _valid_date, False, one=True)
    _seed("to", _valid_date, False, one=True)
    _seed("source", set(sources).__contains__, False, one=True)
    _seed("q", lambda text: len(text) <= MAX_QUERY, False, one=True)
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Topics", list(topic_labels), format_func=topic_labels.get, key="topic", placeholder="All topics")
        st.multiselect("Entities", list(entity_labels), format_func=entity_labels.get, key="entity",
                       placeholder="Type a name or alias", help="Articles that mention every chosen entity")
        first, last = data.get("date_span")
        left, right = st.columns(2)
        left.text_input("From", key="from", max_chars=10, placeholder="YYYY-MM-DD", on_change=_commit_date, args=("from",),
                        help="A day (YYYY-MM-DD), a month (YYYY-MM) or a year; Enter applies it" + (f". Data from {first}" if first else ""))
        right.text_input("To", key="to", max_chars=10, placeholder="YYYY-MM-DD", on_change=_commit_date, args=("to",),
                         help="A day (YYYY-MM-DD), a month (YYYY-MM) or a year; Enter applies it" + (f". Data to {last}" if last else ""))
        for key in ("from", "to"):
            text = (st.session_state.get(key) or "").strip()
            if text and parse_date(text) is None:
                st.caption(f"“{_short(text)}” is not a date (YYYY-MM-DD, YYYY-MM or YYYY): “{key.title()}” ignored.")
        st.selectbox("Source", [None, *sources], format_func=lambda s: "All sources" if s is None else s, key="source",
                     placeholder="All sources")
        if len(lang_labels) > 1 or st.session_state.get("lang"):
            st.multiselect("Languages", list(lang_labels), format_func=lang_labels.get, key="lang", placeholder="All languages")
        st.text_input("Search", key="q", max_chars=MAX_QUERY, placeholder="Words in title or text",
                      help="Articles with every word, in any case; end a word with * to match its beginning (oil* finds oilfields)")
        _story_box(story_labels)
        date_presets(last)
    seed_settings(page_changed)
    st.session_state["_synced_page"] = st.session_state.get("page_path")
    return current()


def _story_labels() -> dict[str, str]:
    """The stories named in the link or chosen on a page (id -> headline), those that exist."""
    wanted = dict.fromkeys([*st.query_params.get_all("story"), *map(str, st.session_state.get("story") or [])])
    found = {value: data.get("story", int(value)) for value in wanted if value.isdigit() and len(value) < 10}
    return {value: story["headline"] or "(untitled)" for value, story in found.items() if story}


def _clear_story() -> None:
    st.session_state["story"] = []


def _story_box(labels: dict[str, str]) -> None:
    """The chosen story, shown above the filters it narrows, with a way out."""
    chosen = [value for value in st.session_state.get("story") or [] if value in labels]
    if chosen:
        st.info("Story: " + "; ".join(f"“{labels[v]}”" for v in chosen), icon=":material/newspaper:")
        st.button("Show all stories", on_click=_clear_story, key="clear-story", icon=":material/close:")


def choose_story(story_id: int) -> None:
    """Narrow the view to one story (a button's callback); the URL follows on the rerun."""
    st.session_state["story"] = [str(story_id)]


# The global filters are synced with the URL by hand rather than with bind="query-params": a bound
# multiselect puts its labels in the URL (not ids and canonical names), a bound widget set by the
# page (a chart click, a preset) writes each parameter in a message of its own, each a step in the
# browser's history, and Streamlit's navigation keeps only bound parameters from page to page.
# Here the whole selection goes to the URL in one message per move (`publish`), and the sidebar's
# page links carry it (shell.nav_links): every move is one history step, and Back undoes it.
def _seed(key: str, valid: Callable[[str], bool], keep: bool, one: bool = False) -> None:
    """Take the widget's value from the URL when the URL changed by itself (a link, back button).

    `keep`: on a page reached without this parameter, keep the value (a setting kept for the
    session, which the page does not show)."""
    in_url = st.query_params.get_all(key)
    if keep and not in_url and st.session_state.get(f"_url_{key}"):
        return
    if in_url != st.session_state.get(f"_url_{key}") or key not in st.session_state:
        values = [v for v in dict.fromkeys(in_url) if valid(v)]
        if one:
            st.session_state[key] = values[0] if values else (None if key == "source" else "")
        else:
            st.session_state[key] = values


def url_values(f: Filters) -> dict[str, list[str]]:
    """The selection as the URL's values, every global parameter present (empty when unset)."""
    return {key: [] for key in PARAMS if key != "article"} | page_params(f)


def write_url(wanted: dict[str, list[str]]) -> None:
    """Set these parameters (an empty list removes one) in one message, so the browser adds one history step.

    Streamlit 1.67 sends the browser a message for each assignment to or deletion from
    st.query_params, and the browser adds a history entry for each; `from_dict` replaces them all
    with one message, so the parameters this page does not own are carried over into it.
    """
    changed = {key: values for key, values in wanted.items() if st.query_params.get_all(key) != values}
    if not changed:
        return
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    merged = {**current, **changed}
    st.query_params.from_dict({key: values for key, values in merged.items() if values})


def parse_date(text: str, end: bool = False) -> date | None:
    """A typed date: YYYY-MM-DD, or a month (YYYY-MM) or year (YYYY), read as its first day, or its last
    when `end`; None when it is not one of those, or before 1800 or after 2100."""
    text = text.strip()
    if _valid_date(text):
        return date.fromisoformat(text)
    found = _PARTIAL.match(text)
    if not found:
        return None
    year, month = int(found["year"]), int(found["month"] or 0)
    if not (EARLIEST.year <= year <= LATEST.year and 0 <= month <= 12) or (found["month"] and month == 0):
        return None
    if not month:
        return date(year, 12, 31) if end else date(year, 1, 1)
    return date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def _commit_date(key: str) -> None:
    """From or To, committed with Enter (or on leaving the field): written out as YYYY-MM-DD."""
    day = parse_date(st.session_state.get(key) or "", end=key == "to")
    if day is not None:
        st.session_state[key] = day.isoformat()


def current() -> Filters:
    """The selection held in the widgets' state."""
    state = st.session_state
    topics = tuple(sorted(int(t) for t in state.get("topic") or [] if str(t).isdigit()))
    return Filters(
        topics=topics,
        entities=tuple(state.get("entity") or []),
        start=_state_date("from"),
        end=_state_date("to"),
        source=state.get("source") or None,
        q=(state.get("q") or "").strip()[:MAX_QUERY] or None,
        stories=tuple(sorted(int(s) for s in state.get("story") or [] if str(s).isdigit())),
        langs=tuple(sorted(state.get("lang") or [])),
    )


def _state_date(key: str) -> date | None:
    value = st.session_state.get(key)
    if isinstance(value, date):
        return value
    return parse_date(value or "", end=key == "to")


def query_string(f: Filters, article: str | None = None) -> str:
    """The query string of a view, in the public link format."""
    pairs: list[tuple[str, str]] = [("topic", str(t)) for t in f.topics]
    pairs += [("entity", e) for e in f.entities]
    if f.start:
        pairs.append(("from", f.start.isoformat()))
    if f.end:
        pairs.append(("to", f.end.isoformat()))
    if f.source:
        pairs.append(("source", f.source))
    if f.q:
        pairs.append(("q", f.q))
    pairs += [("story", str(s)) for s in f.stories]
    pairs += [("lang", code) for code in f.langs]
    if article:
        pairs.append(("article", article))
    return urlencode(pairs)


def link(path: str, f: Filters, article: str | None = None) -> str:
    """The full shareable link of a view (works behind a proxy's base path)."""
    current_url = st.context.url or ""
    parts = urlsplit(current_url)
    base_path = parts.path.rstrip("/")
    page_path = st.session_state.get("page_path", "")
    if page_path and base_path.endswith("/" + page_path):
        base_path = base_path[: -len(page_path) - 1]
    query = "&".join(part for part in (query_string(f, article), view_query(path)) if part)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    return f"{origin}{base_path}/{path}" + (f"?{query}" if query else "")


def article_param() -> str | None:
    """The article the URL opens in the reader, if it exists."""
    value = st.query_params.get("article")
    return value if value and data.get("article_exists", value) else None


def open_article(article_id: str | None) -> None:
    """Put the reader's article in the URL (or take it out)."""
    if article_id:
        st.query_params["article"] = article_id
    elif "article" in st.query_params:
        del st.query_params["article"]


# --- Charts: grain, how the volume chart is drawn, date presets, compared series ---------------
# Kept apart from the sidebar's filters above: these are view settings, in the URL too, synced by
# hand like the filters (see `_seed`): a setting bound by Streamlit is carried by its menu to pages
# that do not show it, then dropped there in a second history step.

GRAIN_OPTIONS = ("day", "week", "month")
CHART_OPTIONS = {"top": ("volume", "change", "all"), "measure": ("count", "share"), "chart": ("lines", "stacked", "multiples"),
                 "style": ("lines", "multiples")}  # style: the Compare page's, where stacking overlapping series would mislead
CHART_DEFAULTS = {"grain": "week", "top": "volume", "measure": "count", "chart": "lines", "style": "lines"}
# The option itself is written to the URL, so options are the link's words (no format_func).
CHART_TITLES = {"top": "Show", "measure": "Measure", "chart": "Chart", "style": "Chart"}
VIEW_PARAMS = {"": ("grain", "top", "measure", "chart"), "topics": ("grain",), "entities": ("grain",),
               "compare": ("grain", "measure", "style")}
CHART_HELP = {"top": "The 6 topics with most articles (volume) or whose peak stands furthest above their own average "
                     "(change), plus everything else summed; or all topics",
              "measure": "Articles (count), or their share of all articles of the period",
              "chart": "Lines, stacked areas, or one small chart per series (multiples)",
              "style": "Lines, or one small chart per series (multiples)"}
SERIES_KINDS = {"q": "Search", "entity": "Entity", "topic": "Topic", "source": "Source"}
MAX_SERIES = 5
WINDOWS = (3, 7, 14, 30)


def grain_control(container=None) -> str:
    """Day, week or month, in the URL as `grain=` (week when absent); kept from page to page."""
    box = container or st
    _hold("grain")
    value = box.segmented_control("Grain", GRAIN_OPTIONS, key="grain", persist_state="session", required=True,
                                  help="Articles per day, week (from Monday) or month")
    return value if value in GRAIN_OPTIONS else "week"


def _hold(key: str) -> None:
    """Give a kept setting's control its value explicitly: a control drawn anew on another page otherwise
    shows the kept value but returns its first option on that first run."""
    st.session_state[key] = st.session_state.get(key, CHART_DEFAULTS[key])


def chart_control(name: str, container=None) -> str:
    """One of the charts' settings (top, measure, chart, style), in the URL under that name."""
    box = container or st
    options = CHART_OPTIONS[name]
    _hold(name)
    value = box.segmented_control(CHART_TITLES[name], options, key=name, persist_state="session", required=True,
                                  help=CHART_HELP[name])
    return value if value in options else CHART_DEFAULTS[name]


# Settings kept for the session (`persist_state`), in the URL of the pages that use them (VIEW_PARAMS),
# and the pages' own parameters (PAGE_PARAMS, `series`), in the URL while their page shows them.
KEPT = tuple(CHART_DEFAULTS)
OWN = ("speaker", "says", "page", "series")  # PAGE_PARAMS and the Compare page's series


def seed_settings(page_changed: bool) -> None:
    """The kept settings from the URL when it changed by itself; their defaults in a new session."""
    for key in KEPT:
        options = CHART_OPTIONS.get(key, GRAIN_OPTIONS)
        _seed(key, options.__contains__, page_changed, one=True)
        if st.session_state.get(key) not in options:
            st.session_state[key] = CHART_DEFAULTS[key]


def own_param(key: str, valid: Callable[[str], bool], default: object, one: bool = True) -> None:
    """Seed a page's own parameter (Quotes' speaker, the list's page…) from the URL; call before its widget."""
    _seed(key, valid, False, one=one)
    if one and not st.session_state.get(key):
        st.session_state[key] = default
    st.session_state.setdefault("_own", {})


def seed_page(pages: int) -> None:
    """The list's page (`page=`) from the URL when it changed by itself (a link, Back), within the list."""
    state, in_url = st.session_state, st.query_params.get_all("page")
    if in_url != (state.get("_url_page") or []):
        value = in_url[0] if in_url else "1"
        state["page"] = min(max(int(value), 1), pages) if value.isdigit() and len(value) < 9 else 1
    elif isinstance(state.get("page"), int) and state["page"] > pages:  # the list got shorter
        state["page"] = pages


def show_param(key: str, values: list[str]) -> None:
    """Put one of the page's own parameters in this view's URL (written with the rest by `publish_view`)."""
    st.session_state.setdefault("_own", {})[key] = [v for v in values if v]


def view_values(path: str) -> dict[str, list[str]]:
    """The settings the page at `path` shows, as the URL's values: the kept ones that differ from the default."""
    state = st.session_state
    return {key: [str(state[key])] for key in VIEW_PARAMS.get(path, ())
            if state.get(key) in CHART_OPTIONS.get(key, GRAIN_OPTIONS) and state.get(key) != CHART_DEFAULTS[key]}


def nav_params(path: str, f: Filters) -> dict[str, list[str]]:
    """The query of the sidebar's link to the page at `path`: the selection and that page's kept settings."""
    return page_params(f) | view_values(path)


def publish_view(path: str, f: Filters) -> None:
    """Write the whole view to the URL in one message (one history step): the selection, the page's kept
    settings and its own parameters; every other setting leaves the URL."""
    wanted = url_values(f) | {key: [] for key in (*KEPT, *OWN)} | view_values(path) | st.session_state.pop("_own", {})
    write_url(wanted)
    for key, values in wanted.items():
        st.session_state[f"_url_{key}"] = values


def view_query(path: str) -> str:
    """The view settings the page at `path` shows, for its link: those that differ from the default, and the series."""
    state = st.session_state
    pairs = [(key, values[0]) for key, values in view_values(path).items()]
    if path == "compare":
        pairs += [("series", value) for value in state.get("series") or []]
    return urlencode(pairs, safe=":")  # series=q:oil reads as written


def set_period(start: date | None, end: date | None) -> None:
    """Filter to a period: the From and To fields (and so `from=`/`to=`) follow. Call from a callback only."""
    if start and end and start > end:
        start, end = end, start
    st.session_state["from"] = max(start, EARLIEST).isoformat() if start else ""
    st.session_state["to"] = min(end, LATEST).isoformat() if end else ""


def _preset(days: int | None) -> None:
    _, last = data.get("date_span")
    if days is None or last is None:
        set_period(None, None)
    else:
        set_period(last - timedelta(days=days - 1), last)


def _around() -> None:
    """The "Around a date" field, committed with Enter: that date plus or minus the chosen window."""
    text = (st.session_state.get("around") or "").strip()
    days = int(st.session_state.get("around-window") or 7)
    st.session_state.pop("around-problem", None)
    if not text:
        return
    if not _valid_date(text):
        st.session_state["around-problem"] = f"“{_short(text)}” is not a date (YYYY-MM-DD)."
        return
    day = date.fromisoformat(text)
    set_period(day - timedelta(days=days), day + timedelta(days=days))


def date_presets(last: date | None) -> None:
    """Quick date ranges under From and To: the data's last 7 or 30 days, all dates, a window around a date."""
    if last is None:
        return
    cols = st.columns(3, gap="small")
    cols[0].button("7d", on_click=_preset, args=(7,), key="preset-7", help=f"The last 7 days of the data, up to {last}",
                   width="stretch")
    cols[1].button("30d", on_click=_preset, args=(30,), key="preset-30", help=f"The last 30 days of the data, up to {last}",
                   width="stretch")
    cols[2].button("All", on_click=_preset, args=(None,), key="preset-all", help="Every date", width="stretch")
    left, right = st.columns([3, 2])
    left.text_input("Around a date", key="around", placeholder="YYYY-MM-DD, then Enter", on_change=_around, max_chars=10)
    right.selectbox("± days", WINDOWS, index=1, key="around-window", on_change=_around)
    if st.session_state.get("around-problem"):
        st.caption(st.session_state["around-problem"])


def parse_series(value: str) -> tuple[str, str] | None:
    """`kind:value` (q, entity, topic, source) as (kind, value); None when it is not one."""
    kind, sep, rest = value.partition(":")
    rest = rest.strip()
    if not sep or kind not in SERIES_KINDS or not rest or len(rest) > MAX_QUERY:
        return None
    if kind == "topic" and not (rest.isdigit() and len(rest) < 10):
        return None
    return kind, rest


def series_from_url() -> list[str]:
    """The compared series: taken from the URL when it changed by itself (a link, Back), else as the page left them."""
    in_url = st.query_params.get_all("series")
    if in_url != st.session_state.get("_url_series") or "series" not in st.session_state:
        st.session_state["series"] = [v for v in dict.fromkeys(in_url) if parse_series(v)][:MAX_SERIES]
    bad = [v for v in in_url if not parse_series(v)]
    extra = len([v for v in dict.fromkeys(in_url) if parse_series(v)]) - MAX_SERIES
    notes = [f"“{_short(v)}” is not a series (kind:value with kind q, entity, topic or source): ignored." for v in bad]
    if extra > 0:
        notes.append(f"Only {MAX_SERIES} series are compared: the last {extra} ignored.")
    st.session_state["series-notices"] = notes
    return list(st.session_state["series"])


def publish_series() -> None:
    """Put the compared series in the URL (repeated `series=`)."""
    show_param("series", list(st.session_state.get("series") or []))


# The pages' own parameters and summaries --------------------------------------------------------
# Besides the global filters, a link carries the Quotes page's filters, `speaker` (a speaker's
# canonical name, repeatable) and `says` (words the quote contains), and `page` (the page of the
# page's list, from 1), synced by hand like the rest (`own_param`, `show_param`).
PAGE_PARAMS = ("speaker", "says", "page")


def page_params(f: Filters, article: str | None = None) -> dict[str, list[str]]:
    """The view's parameters for st.page_link and st.query_params (repeated ones as lists)."""
    from urllib.parse import parse_qsl

    pairs: dict[str, list[str]] = {}
    for key, value in parse_qsl(query_string(f, article)):
        pairs.setdefault(key, []).append(value)
    return pairs


def summary(f: Filters) -> str:
    """The active filters in words ('Topic: … · From 2003-03-01 · Search: oil'); empty when there are none."""
    parts = []
    if f.topics:
        labels = dict(zip(data.get("topics")["id"], data.get("topics")["label"], strict=True))
        parts.append("Topic: " + ", ".join(str(labels.get(t, t)) for t in f.topics))
    if f.entities:
        parts.append("Entity: " + " + ".join(f.entities))
    if f.stories:
        parts.append("Story: " + ", ".join(map(str, f.stories)))
    if f.start or f.end:
        parts.append(f"Dates: {f.start or '…'} to {f.end or '…'}")
    if f.source:
        parts.append(f"Source: {f.source}")
    if f.q:
        parts.append(f"Search: {f.q}")
    return " · ".join(parts)


def empty_reason(f: Filters) -> str | None:
    """Why a selection may hold nothing, in plain words: reversed dates, or dates outside the data."""
    first, last = data.get("date_span")
    if f.start and f.end and f.start > f.end:
        return f"The dates are reversed: “From” ({f.start}) is after “To” ({f.end})."
    if first is None:
        return None
    if f.start and f.start > last:
        return f"The data ends on {last}: nothing is dated on or after {f.start}."
    if f.end and f.end < first:
        return f"The data begins on {first}: nothing is dated on or before {f.end}."
    return None
