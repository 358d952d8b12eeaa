"""The URL is the state: the sidebar's filters are bound to query parameters, both ways.

This is the only module that reads st.query_params. The link format is a public contract:
pages by path (/, /topics, /entities, /quotes, /articles) and the parameters
`topic` (id, repeatable), `entity` (canonical name, repeatable), `from`, `to` (YYYY-MM-DD),
`source`, `q`, `article` (an article id: opens the reader), `story` (a story id, repeatable:
the articles of that story) and `lang` (an ISO 639-1 code, repeatable: articles in any of them).
The charts add `grain` (day, week, month), `top`, `measure` and `chart` (how the volume chart
is drawn), and the Compare page `series` (repeatable, `kind:value`) and `style`.
"""

from __future__ import annotations

import re
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
    """Draw the global filters (bound to the URL) and return the selection."""
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
    _seed("topic", topic_labels, page_changed)
    _seed("entity", entity_labels, page_changed)
    _seed("story", story_labels, page_changed)
    _seed("lang", lang_labels, page_changed)
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Topics", list(topic_labels), format_func=topic_labels.get, key="topic", placeholder="All topics")
        st.multiselect("Entities", list(entity_labels), format_func=entity_labels.get, key="entity",
                       placeholder="Type a name or alias", help="Articles that mention every chosen entity")
        first, last = data.get("date_span")
        left, right = st.columns(2)
        left.date_input("From", value=None, min_value=EARLIEST, max_value=LATEST, key="from", bind="query-params",
                        format="YYYY-MM-DD", help=f"Data from {first}" if first else None)
        right.date_input("To", value=None, min_value=EARLIEST, max_value=LATEST, key="to", bind="query-params",
                         format="YYYY-MM-DD", help=f"Data to {last}" if last else None)
        st.selectbox("Source", [None, *sources], format_func=lambda s: "All sources" if s is None else s, key="source",
                     bind="query-params")
        if len(lang_labels) > 1 or st.session_state.get("lang"):
            st.multiselect("Languages", list(lang_labels), format_func=lang_labels.get, key="lang", placeholder="All languages")
        st.text_input("Search", key="q", bind="query-params", max_chars=MAX_QUERY, placeholder="Words in title or text",
                      help="Articles with every word, in any case; end a word with * to match its beginning (oil* finds oilfields)")
        _story_box(story_labels)
        date_presets(last)
    _publish("topic")
    _publish("entity")
    _publish("story")
    _publish("lang")
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


# Topics and entities show labels (names with aliases) but their links carry ids and canonical
# names, so they are synced by hand rather than with bind="query-params" (which puts labels in the URL).
def _seed(key: str, options: dict[str, str], page_changed: bool) -> None:
    """Take the widget's value from the URL when the URL changed by itself (a link, back button)."""
    in_url = st.query_params.get_all(key)
    if page_changed and not in_url and st.session_state.get(f"_url_{key}"):
        return  # switching pages drops the query string: keep the selection, _publish restores it
    if in_url != st.session_state.get(f"_url_{key}") or key not in st.session_state:
        st.session_state[key] = [v for v in dict.fromkeys(in_url) if v in options]


def _publish(key: str) -> None:
    """Write the widget's value to the URL (repeated parameters), remembering what was written."""
    value = list(st.session_state.get(key) or [])
    if st.query_params.get_all(key) != value:
        if value:
            st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state[f"_url_{key}"] = value


def current() -> Filters:
    """The selection held in the widgets' state."""
    state = st.session_state
    topics = tuple(sorted(int(t) for t in state.get("topic") or [] if str(t).isdigit()))
    return Filters(
        topics=topics,
        entities=tuple(state.get("entity") or []),
        start=state.get("from"),
        end=state.get("to"),
        source=state.get("source") or None,
        q=(state.get("q") or "").strip()[:MAX_QUERY] or None,
        stories=tuple(sorted(int(s) for s in state.get("story") or [] if str(s).isdigit())),
        langs=tuple(sorted(state.get("lang") or [])),
    )


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
# Kept apart from the sidebar's filters above: these are view settings, bound to the URL too.

GRAIN_OPTIONS = ("day", "week", "month")
CHART_OPTIONS = {"top": ("volume", "change", "all"), "measure": ("count", "share"), "chart": ("lines", "stacked", "multiples"),
                 "style": ("lines", "multiples")}  # style: the Compare page's, where stacking overlapping series would mislead
CHART_DEFAULTS = {"grain": "week", "top": "volume", "measure": "count", "chart": "lines", "style": "lines"}
# A bound control writes the option itself to the URL, so options are the link's words (no format_func).
CHART_TITLES = {"top": "Show", "measure": "Measure", "chart": "Chart", "style": "Chart"}
VIEW_PARAMS = {"": ("grain", "top", "measure", "chart"), "topics": ("grain",), "compare": ("grain", "measure", "style")}
CHART_HELP = {"top": "The 6 topics with most articles (volume) or whose peak stands furthest above their own average "
                     "(change), plus everything else summed; or all topics",
              "measure": "Articles (count), or their share of all articles of the period",
              "chart": "Lines, stacked areas, or one small chart per series (multiples)",
              "style": "Lines, or one small chart per series (multiples)"}
SERIES_KINDS = {"q": "Search", "entity": "Entity", "topic": "Topic", "source": "Source"}
MAX_SERIES = 5
WINDOWS = (3, 7, 14, 30)


def grain_control(container=None, key: str = "grain") -> str:
    """Day, week or month, bound to `grain=` in the URL (week when absent)."""
    box = container or st
    value = box.segmented_control("Grain", GRAIN_OPTIONS, default="week", key=key, bind="query-params", persist_state="session",
                                  help="Articles per day, week (from Monday) or month")
    return value if value in GRAIN_OPTIONS else "week"


def chart_control(name: str, container=None) -> str:
    """One of the charts' settings (top, measure, chart, style), bound to the URL under that name."""
    box = container or st
    options = CHART_OPTIONS[name]
    value = box.segmented_control(CHART_TITLES[name], options, default=CHART_DEFAULTS[name], key=name, bind="query-params",
                                  persist_state="session", help=CHART_HELP[name])
    return value if value in options else CHART_DEFAULTS[name]


def view_query(path: str) -> str:
    """The view settings the page at `path` shows, for its link: those that differ from the default, and the series."""
    state = st.session_state
    pairs = [(key, str(state[key])) for key in VIEW_PARAMS.get(path, ())
             if state.get(key) in CHART_OPTIONS.get(key, GRAIN_OPTIONS) and state.get(key) != CHART_DEFAULTS[key]]
    if path == "compare":
        pairs += [("series", value) for value in state.get("series") or []]
    return urlencode(pairs, safe=":")  # series=q:oil reads as written


def set_period(start: date | None, end: date | None) -> None:
    """Filter to a period: the From and To fields (and so `from=`/`to=`) follow. Call from a callback only."""
    if start and end and start > end:
        start, end = end, start
    st.session_state["from"] = max(start, EARLIEST) if start else None
    st.session_state["to"] = min(end, LATEST) if end else None


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
    """Write the compared series to the URL (repeated `series=`), remembering what was written."""
    _publish("series")


# The pages' own parameters and summaries --------------------------------------------------------
# Besides the global filters, a link carries the Quotes page's filters, `speaker` (a speaker's
# canonical name, repeatable) and `says` (words the quote contains), and `page` (the page of the
# page's list, from 1). Those widgets are bound to the URL by Streamlit (bind="query-params"),
# which replaces the URL rather than adding a browser-history entry.
PAGE_PARAMS = ("speaker", "says", "page")


def page_params(f: Filters, article: str | None = None) -> dict[str, list[str]]:
    """The view's parameters as st.page_link / st.switch_page take them (repeated ones as lists)."""
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
