"""The link builder's rules one by one, outside the app: typed dates, the selection read from the widgets'
state, the URL's values of a view, series, summaries and the reasons a selection may be empty.

Streamlit's own session state and query parameters are used as they are outside a running script (its
"bare mode"); the database's answers the functions ask for (`data.get`) are given by a small stand-in, so
each expected value below is worked out by hand from the rule it names.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
import streamlit as st

from dashboard.store.queries import Filters
from dashboard.views import filters


@pytest.fixture(autouse=True)
def fresh_state():
    """Each test starts from an empty session and an address without parameters."""
    st.session_state.clear()
    st.query_params.clear()
    yield
    st.session_state.clear()
    st.query_params.clear()


def given(monkeypatch, **answers) -> None:
    """What the database answers to `data.get(name, ...)` in one test."""
    monkeypatch.setattr(filters, "data", SimpleNamespace(get=lambda name, *args: answers[name](*args) if callable(answers[name])
                                                         else answers[name]))


# --- typed dates: a day, a month or a year; From reads its first day, To its last ---------------

@pytest.mark.parametrize(("text", "start", "end"), [
    ("2024-02-10", date(2024, 2, 10), date(2024, 2, 10)),
    ("  2024-02-10 ", date(2024, 2, 10), date(2024, 2, 10)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # a leap February ends on the 29th
    ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
    ("2024-4", date(2024, 4, 1), date(2024, 4, 30)),  # one digit for the month
    ("2024-12", date(2024, 12, 1), date(2024, 12, 31)),
    ("2024-01", date(2024, 1, 1), date(2024, 1, 31)),
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("1800", date(1800, 1, 1), date(1800, 12, 31)),  # the first and last years a date may have
    ("2100", date(2100, 1, 1), date(2100, 12, 31)),
    ("1800-01", date(1800, 1, 1), date(1800, 1, 31)),
    ("2100-12", date(2100, 12, 1), date(2100, 12, 31)),
])
def test_a_typed_day_month_or_year_reads_as_its_first_or_last_day(text, start, end):
    assert filters.parse_date(text) == start
    assert filters.parse_date(text, end=True) == end


@pytest.mark.parametrize("text", ["", "1799", "2101", "1799-12", "2101-01", "2024-13", "2024-00", "2024-0", "24", "2024-",
                                  "2024-02-30", "2024/02", "march", "20245"])
def test_what_is_not_a_day_month_or_year_is_no_date(text):
    assert filters.parse_date(text) is None and filters.parse_date(text, end=True) is None


def test_a_date_committed_with_enter_is_written_out_whole():
    st.session_state.update({"from": "2024-02", "to": "2024-02"})
    filters._commit_date("from")
    filters._commit_date("to")
    assert (st.session_state["from"], st.session_state["to"]) == ("2024-02-01", "2024-02-29")
    st.session_state["to"] = "soon"  # not a date: left as typed, for the sidebar to say so
    filters._commit_date("to")
    assert st.session_state["to"] == "soon"


# --- the selection held in the widgets' state ---------------------------------------------------

def test_the_selection_is_read_from_the_widgets():
    st.session_state.update({"topic": ["12", "3", "x"], "entity": ["Germany", "Angela Merkel"], "from": "2024-01", "to": "2024",
                             "source": "Daily Ledger", "q": "  oil  ", "story": ["7", "2", "?"], "lang": ["fr", "de"]})
    assert filters.current() == Filters(topics=(3, 12), entities=("Germany", "Angela Merkel"), start=date(2024, 1, 1),
                                        end=date(2024, 12, 31), source="Daily Ledger", q="oil", stories=(2, 7), langs=("de", "fr"))


def test_an_empty_sidebar_is_no_selection():
    assert filters.current() == Filters()
    st.session_state.update({"topic": [], "entity": [], "from": "", "to": "", "source": None, "q": "   ", "story": [], "lang": []})
    assert filters.current() == Filters()


def test_a_search_is_cut_to_its_longest_and_dates_may_be_dates_already():
    st.session_state.update({"q": "w" * (filters.MAX_QUERY + 5), "from": date(2024, 3, 1), "to": date(2024, 3, 9)})
    f = filters.current()
    assert f.q == "w" * filters.MAX_QUERY and (f.start, f.end) == (date(2024, 3, 1), date(2024, 3, 9))


def test_a_period_set_by_a_page_is_in_order_and_within_the_dates_a_link_may_carry():
    filters.set_period(date(2024, 3, 9), date(2024, 3, 1))
    assert (st.session_state["from"], st.session_state["to"]) == ("2024-03-01", "2024-03-09")
    filters.set_period(date(1700, 5, 1), date(2200, 1, 1))
    assert (st.session_state["from"], st.session_state["to"]) == ("1800-01-01", "2100-12-31")
    filters.set_period(date(2024, 3, 1), date(2024, 3, 1))
    assert (st.session_state["from"], st.session_state["to"]) == ("2024-03-01", "2024-03-01")
    filters.set_period(None, date(2024, 3, 1))
    assert (st.session_state["from"], st.session_state["to"]) == ("", "2024-03-01")
    filters.set_period(date(2024, 3, 1), None)
    assert (st.session_state["from"], st.session_state["to"]) == ("2024-03-01", "")


def test_the_presets_count_back_from_the_datas_last_day(monkeypatch):
    given(monkeypatch, date_span=(date(2024, 1, 1), date(2024, 3, 31)))
    filters._preset(7)
    assert (st.session_state["from"], st.session_state["to"]) == ("2024-03-25", "2024-03-31")  # seven days, the last included
    filters._preset(30)
    assert (st.session_state["from"], st.session_state["to"]) == ("2024-03-02", "2024-03-31")
    filters._preset(None)
    assert (st.session_state["from"], st.session_state["to"]) == ("", "")
    filters._preset(7)
    given(monkeypatch, date_span=(None, None))  # no dated article: the preset clears the dates
    filters._preset(7)
    assert (st.session_state["from"], st.session_state["to"]) == ("", "")


def test_around_a_date_is_that_date_plus_or_minus_the_window():
    st.session_state.update({"around": " 2024-03-10 ", "around-window": 3})
    filters._around()
    assert (st.session_state["from"], st.session_state["to"]) == ("2024-03-07", "2024-03-13")
    assert "around-problem" not in st.session_state
    st.session_state.update({"around": "2024-03-10", "around-window": None})  # the window's default: 7 days
    filters._around()
    assert (st.session_state["from"], st.session_state["to"]) == ("2024-03-03", "2024-03-17")
    st.session_state.update({"around": "2024-03-40", "from": "2024-01-01"})
    filters._around()
    assert st.session_state["around-problem"] == "“2024-03-40” is not a date (YYYY-MM-DD)."
    assert st.session_state["from"] == "2024-01-01"  # unchanged
    st.session_state["around"] = "  "
    filters._around()  # an emptied field: nothing to say, nothing changed
    assert "around-problem" not in st.session_state and st.session_state["from"] == "2024-01-01"


# --- the URL: what is taken from it, and what a view writes to it -------------------------------

def test_the_widgets_take_the_url_when_it_changed_by_itself():
    st.query_params["topic"] = ["3", "x", "3", "5"]
    filters._seed("topic", str.isdigit, False)
    assert st.session_state["topic"] == ["3", "5"]  # the valid values, once each, in the link's order
    st.session_state["topic"] = ["9"]  # the user's own choice, the URL as last written
    st.session_state["_url_topic"] = ["3", "x", "3", "5"]
    filters._seed("topic", str.isdigit, False)
    assert st.session_state["topic"] == ["9"]
    st.query_params["source"] = ["Wire", "Ledger"]
    filters._seed("source", {"Wire", "Ledger"}.__contains__, False, one=True)
    assert st.session_state["source"] == "Wire"  # one value: the first valid one
    st.query_params["source"] = "Nowhere"
    filters._seed("source", {"Wire", "Ledger"}.__contains__, False, one=True)
    assert st.session_state["source"] is None  # a source's "none" is None, a text field's is ""
    st.query_params["q"] = "x" * 300
    filters._seed("q", lambda text: len(text) <= filters.MAX_QUERY, False, one=True)
    assert st.session_state["q"] == ""


def test_a_kept_setting_stays_on_a_page_whose_link_does_not_carry_it():
    st.session_state.update({"grain": "month", "_url_grain": ["month"]})
    filters._seed("grain", filters.GRAIN_OPTIONS.__contains__, True, one=True)
    assert st.session_state["grain"] == "month"
    filters._seed("grain", filters.GRAIN_OPTIONS.__contains__, False, one=True)  # not kept: the link's "no grain" wins
    assert st.session_state["grain"] == ""
    st.session_state["_url_grain"] = []
    st.query_params["grain"] = "day"
    filters._seed("grain", filters.GRAIN_OPTIONS.__contains__, True, one=True)  # kept, but the link names one
    assert st.session_state["grain"] == "day"


def test_the_kept_settings_come_from_the_url_or_their_defaults():
    st.query_params.update({"grain": "month", "measure": "share", "chart": "pie"})
    filters.seed_settings(False)
    assert {k: st.session_state[k] for k in filters.KEPT} == {"grain": "month", "top": "volume", "measure": "share", "chart": "lines",
                                                             "style": "lines"}


def test_a_pages_own_parameter_and_its_default():
    st.query_params["speaker"] = ["Angela Merkel", "Olaf Scholz"]
    filters.own_param("speaker", bool, [], one=False)
    assert st.session_state["speaker"] == ["Angela Merkel", "Olaf Scholz"] and st.session_state["_own"] == {}
    filters.own_param("says", bool, "nothing")
    assert st.session_state["says"] == "nothing"  # absent from the link: the default
    st.query_params["says"] = "rates"
    filters.own_param("says", bool, "nothing")
    assert st.session_state["says"] == "rates"
    filters.show_param("says", ["rates", ""])
    assert st.session_state["_own"] == {"says": ["rates"]}


@pytest.mark.parametrize(("in_url", "before", "pages", "page"), [
    (["3"], None, 5, 3),
    (["9"], None, 5, 5),  # past the last page: the last
    (["0"], None, 5, 1),
    (["-2"], None, 5, 1),
    (["x"], None, 5, 1),
    (["123456789"], None, 5, 1),  # nine digits: not a page anyone links to
    (["2", "4"], None, 5, 2),
])
def test_the_lists_page_from_the_url(in_url, before, pages, page):
    if in_url:
        st.query_params["page"] = in_url
    filters.seed_page(pages)
    assert st.session_state["page"] == page


def test_a_link_without_a_page_leaves_the_page_to_its_widget():
    filters.seed_page(5)
    assert "page" not in st.session_state
    st.session_state.update({"page": 3, "_url_page": ["3"]})  # Back to a link without a page: the first
    filters.seed_page(5)
    assert st.session_state["page"] == 1


def test_the_lists_page_follows_a_shorter_list_and_is_otherwise_left():
    st.session_state.update({"page": 4, "_url_page": ["4"]})
    st.query_params["page"] = "4"
    filters.seed_page(6)
    assert st.session_state["page"] == 4
    filters.seed_page(3)
    assert st.session_state["page"] == 3
    st.session_state["_url_page"] = None
    st.query_params.clear()
    st.session_state["page"] = 2
    filters.seed_page(3)  # the URL as last written had no page either: left as it is
    assert st.session_state["page"] == 2


def test_a_views_values_in_the_url():
    f = Filters(topics=(3,), entities=("Angela Merkel",), end=date(2024, 3, 15))
    assert filters.page_params(f, "s9") == {"topic": ["3"], "entity": ["Angela Merkel"], "to": ["2024-03-15"], "article": ["s9"]}
    assert filters.url_values(f) == {"topic": ["3"], "entity": ["Angela Merkel"], "from": [], "to": ["2024-03-15"], "source": [],
                                     "q": [], "story": [], "lang": []}
    st.session_state.update({"grain": "day", "top": "volume", "measure": "share", "chart": "pie", "style": "multiples"})
    assert filters.view_values("") == {"grain": ["day"], "measure": ["share"]}  # the defaults and a bad value leave the link
    assert filters.view_values("topics") == {"grain": ["day"]}
    assert filters.view_values("compare") == {"grain": ["day"], "measure": ["share"], "style": ["multiples"]}
    assert filters.view_values("quotes") == {}
    assert filters.nav_params("topics", f) == {"topic": ["3"], "entity": ["Angela Merkel"], "to": ["2024-03-15"], "grain": ["day"]}
    st.session_state["series"] = ["q:oil", "entity:Angela Merkel"]
    assert filters.view_query("compare") == "grain=day&measure=share&style=multiples&series=q:oil&series=entity:Angela+Merkel"
    assert filters.view_query("topics") == "grain=day"  # the series are the Compare page's only


def test_the_reader_opens_and_closes_in_the_url(monkeypatch):
    given(monkeypatch, article_exists=lambda value: value == "s1")
    filters.open_article("s1")
    assert st.query_params.get_all("article") == ["s1"] and filters.article_param() == "s1"
    st.query_params["article"] = "s2"
    assert filters.article_param() is None  # no such article
    filters.open_article(None)
    assert "article" not in st.query_params and filters.article_param() is None
    filters.open_article(None)  # closing a closed reader is nothing
    assert "article" not in st.query_params


# --- series, summaries, notices ----------------------------------------------------------------

@pytest.mark.parametrize(("value", "parsed"), [
    ("q:oil", ("q", "oil")), ("entity: Angela Merkel ", ("entity", "Angela Merkel")), ("topic:12", ("topic", "12")),
    ("source:Daily Ledger", ("source", "Daily Ledger")), ("q:a:b", ("q", "a:b")), ("q:" + "w" * 200, ("q", "w" * 200)),
    ("q:" + "w" * 201, None), ("topic:123456789", ("topic", "123456789")), ("topic:1234567890", None), ("topic:x", None),
    ("q:", None), ("q: ", None), ("oil", None), ("word:oil", None), (":oil", None),
])
def test_a_series_is_kind_colon_value(value, parsed):
    assert filters.parse_series(value) == parsed


def test_the_compared_series_from_the_url_and_what_is_said_of_the_rest():
    st.query_params["series"] = ["q:oil", "oil", "q:oil", "topic:1", "topic:2", "topic:3", "topic:4", "topic:5", "entity:"]
    assert filters.series_from_url() == ["q:oil", "topic:1", "topic:2", "topic:3", "topic:4"]
    assert st.session_state["series-notices"] == [
        "“oil” is not a series (kind:value with kind q, entity, topic or source): ignored.",
        "“entity:” is not a series (kind:value with kind q, entity, topic or source): ignored.",
        "Only 5 series are compared: the last 1 ignored."]
    st.session_state["series"] = ["q:gas"]  # changed on the page since: the URL as last written keeps them
    st.session_state["_url_series"] = st.query_params.get_all("series")
    assert filters.series_from_url() == ["q:gas"]
    filters.publish_series()
    assert st.session_state["_own"] == {"series": ["q:gas"]}


def test_five_series_are_no_notice():
    st.query_params["series"] = [f"topic:{n}" for n in range(1, 6)]
    assert len(filters.series_from_url()) == 5 and st.session_state["series-notices"] == []


def test_the_summary_names_every_filter_in_words(monkeypatch):
    given(monkeypatch, topics=pd.DataFrame({"id": [3, 5], "label": ["oil · opec", "rates"]}))
    f = Filters(topics=(3, 9), entities=("Angela Merkel", "Germany"), stories=(4, 2), start=date(2024, 1, 1), source="Wire", q="gas")
    assert filters.summary(f) == ("Topic: oil · opec, 9 · Entity: Angela Merkel + Germany · Story: 4, 2 · Dates: 2024-01-01 to … · "
                                  "Source: Wire · Search: gas")
    assert filters.summary(Filters(end=date(2024, 2, 1))) == "Dates: … to 2024-02-01"
    assert filters.summary(Filters()) == ""


@pytest.mark.parametrize(("f", "reason"), [
    (Filters(start=date(2024, 3, 2), end=date(2024, 3, 1)), "The dates are reversed: “From” (2024-03-02) is after “To” (2024-03-01)."),
    (Filters(start=date(2024, 4, 1)), "The data ends on 2024-03-31: nothing is dated on or after 2024-04-01."),
    (Filters(end=date(2023, 12, 31)), "The data begins on 2024-01-01: nothing is dated on or before 2023-12-31."),
    (Filters(start=date(2024, 3, 31), end=date(2024, 3, 31)), None),  # the data's last day
    (Filters(start=date(2023, 1, 1), end=date(2024, 1, 1)), None),  # ends on the data's first day
    (Filters(), None),
])
def test_why_a_selection_may_be_empty(monkeypatch, f, reason):
    given(monkeypatch, date_span=(date(2024, 1, 1), date(2024, 3, 31)))
    assert filters.empty_reason(f) == reason


def test_no_dated_data_gives_no_date_reason_but_reversed_dates_still_do(monkeypatch):
    given(monkeypatch, date_span=(None, None))
    assert filters.empty_reason(Filters(start=date(2024, 4, 1))) is None
    assert filters.empty_reason(Filters(start=date(2024, 4, 2), end=date(2024, 4, 1))).startswith("The dates are reversed")


def test_every_parameter_a_link_gets_wrong_is_named(monkeypatch):
    given(monkeypatch, article_exists=lambda value: value == "s1")
    st.query_params.update({"lang": ["de", "xx"], "story": ["4", "5"], "topic": ["3", "8"], "entity": ["Germany", "Atlantis"],
                            "from": "2024-13-01", "to": "2024-03-01", "source": "Nowhere", "article": "s2"})
    assert filters.notices({"3"}, {"Germany"}, ["Wire"], {"4"}, {"de"}) == [
        "No articles in language “xx” (an ISO 639-1 code such as en, de, zh): ignored.",
        "Unknown story “5” ignored.",
        "Unknown topic “8” ignored.",
        "Unknown entity “Atlantis” ignored.",
        "“2024-13-01” is not a date (YYYY-MM-DD): “from” ignored.",
        "Unknown source “Nowhere” ignored.",
        "No article “s2”."]
    st.query_params.clear()
    st.query_params.update({"to": "2024-99-01", "source": "Wire", "article": "s1"})
    assert filters.notices(set(), set(), ["Wire"], set()) == ["“2024-99-01” is not a date (YYYY-MM-DD): “to” ignored."]


def test_the_stories_a_link_names_are_those_that_exist(monkeypatch):
    asked: list[int] = []
    stories = {4: {"headline": "Storm"}, 6: {"headline": None}, 1234567890: {"headline": "Too long an id"}}
    given(monkeypatch, story=lambda story_id: asked.append(story_id) or stories.get(story_id))
    st.query_params["story"] = ["4", "5", "x", "1234567890", "123456789"]
    st.session_state["story"] = [6]
    assert filters._story_labels() == {"4": "Storm", "6": "(untitled)"}  # from the link and from the page
    assert asked == [4, 5, 123456789, 6]  # ten digits or more are no story id: not looked up


def test_stories_and_languages_in_the_query_string():
    assert filters.query_string(Filters(stories=(4, 2), langs=("de", "fr"), q="oil")) == "q=oil&story=4&story=2&lang=de&lang=fr"


def test_a_view_is_published_whole_with_the_pages_own_parameters():
    st.session_state["grain"] = "month"
    filters.show_param("says", ["rates"])
    filters.publish_view("topics", Filters(q="oil"))
    assert {key: st.query_params.get_all(key) for key in st.query_params} == {"q": ["oil"], "grain": ["month"], "says": ["rates"]}
    assert "_own" not in st.session_state  # shown once: the next run's page says it again
    assert (st.session_state["_url_says"], st.session_state["_url_q"], st.session_state["_url_topic"]) == (["rates"], ["oil"], [])
