"""The page's logic through Streamlit's AppTest: query params -> filters -> figure data."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from events.articles import load_paths, make_article
from events.lexicon import default_lexicon
from events.pipeline import extract_articles
from events.store import Store

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = '<b>bold</b> <a href="https://example.org">x</a> <img src=x onerror=alert(1)>'


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory, nlp):
    """A store holding the seeds and one article with HTML in its title and text."""
    path = tmp_path_factory.mktemp("store") / "events.sqlite"
    articles = list(load_paths([ROOT / "seeds"]))
    articles.append(make_article(
        "hostile", f"{HOSTILE}\nPeru and Chile signed a border treaty on Monday in Lima ({HOSTILE}).",
        title=f"Treaty {HOSTILE}", published="2024-03-06", url="javascript:alert(1)"))
    Store(path).replace(articles, extract_articles(articles, nlp, default_lexicon()).events)
    return path


@pytest.fixture
def app(seeded_store, tmp_path, monkeypatch):
    path = tmp_path / "events.sqlite"
    shutil.copy(seeded_store, path)
    monkeypatch.setenv("EVENTS_STORE", str(path))

    def run(**params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return run


def chart(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def drawn_ids(at: AppTest) -> set[str]:
    return {c[0] for trace in chart(at)["data"] for c in (trace.get("customdata") or []) if c and c[0]}


def table(at: AppTest):
    return at.dataframe[-1].value


def test_the_page_opens_on_the_stored_events_with_a_summary(app):
    at = app()
    assert any("20 events" in m.value for m in at.markdown)
    assert len(drawn_ids(at)) >= 15


def test_filters_from_the_url_select_what_is_drawn(app):
    at = app(type="meeting", actor="USA")
    shown = table(at)
    assert set(shown["type"]) == {"meeting"}
    assert all("USA" in (s, t) for s, t in zip(shown["source"], shown["target"]))
    assert drawn_ids(at) == set(shown["id"])


def test_between_mode_keeps_only_events_among_the_chosen_actors(app):
    shown = table(app(actor=["ISR", "UKR"], mode="between"))
    assert len(shown) and all({s, t} <= {"ISR", "UKR"} for s, t in zip(shown["source"], shown["target"]))


def test_the_view_is_written_back_to_the_url_without_defaults(app):
    at = app(type=["call", "visit"], lanes="actor", mode="any")
    assert at.query_params.get("type") == ["call", "visit"] or at.query_params.get_all("type") == ["call", "visit"]
    assert "mode" not in at.query_params and at.query_params["lanes"] == "actor"


def test_malformed_and_unknown_parameters_give_notices_and_a_valid_view(app):
    at = app(type=["meeting", "bogus"], **{"from": "2024-13-45"}, zzz="1", actor="ZZZ", lanes="sideways")
    notes = " ".join(w.value for w in at.warning)
    for fragment in ("bogus", "zzz", "from", "ZZZ", "sideways"):
        assert fragment in notes
    assert set(table(at)["type"]) == {"meeting"}
    assert "zzz" not in at.query_params and "from" not in at.query_params


def test_filters_that_match_nothing_show_a_clear_empty_state(app):
    at = app(q="no quote says this")
    assert any("No events match" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_an_event_deep_link_opens_its_details_with_the_quote_highlighted(app, seeded_store):
    event = next(r for r in Store(seeded_store).event_rows() if r["type"] == "meeting")
    at = app(event=event["id"])
    assert any(h.value == "Event details" for h in at.subheader)
    page = " ".join(str(e.proto) for e in at.get("html"))
    assert "<mark>" in page and event["quote"][:30].replace("’", "") in page.replace("’", "")


def test_an_unknown_event_id_gives_a_notice(app):
    at = app(event="0123456789abcdef")
    assert any("not in the store" in w.value for w in at.warning)


def test_article_html_is_escaped_in_hover_labels_and_shown_as_text_in_the_table(app):
    at = app(actor="PER")
    hover = " ".join(str(h) for trace in chart(at)["data"] for h in (trace.get("hovertext") or []))
    hover = hover.replace("<br>", " ")
    assert "&lt;b&gt;bold&lt;/b&gt;" in hover and "&lt;img src=x onerror=alert(1)&gt;" in hover
    assert "<b>bold</b>" not in hover and "<img" not in hover and '<a href="https' not in hover
    assert HOSTILE in " ".join(table(at)["quote"])


def test_the_hostile_article_details_escape_text_and_make_no_link_of_a_non_http_url(app, seeded_store):
    event = next(r for r in Store(seeded_store).event_rows() if r["article"] == "hostile")
    at = app(event=event["id"])
    page = " ".join(str(e.proto) for e in at.get("html"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page
    assert not at.get("link_button")


def test_pasting_an_article_adds_its_events(app):
    at = app()
    next(w for w in at.text_input if w.label == "Title").input("Talks in Lima")
    at.text_area[0].input("Peru and Ecuador signed a fisheries agreement on Tuesday.")
    next(w for w in at.date_input if w.label == "Publication date").set_value(__import__("datetime").date(2024, 5, 8))
    next(b for b in at.button if b.label == "Add text").click().run()
    assert not at.exception
    shown = table(at)
    assert ((shown["source"] == "PER") & (shown["target"] == "ECU")).any() or \
        ((shown["source"] == "ECU") & (shown["target"] == "PER")).any()


def test_lanes_by_actor_put_an_event_in_each_of_its_actors_lanes(app):
    at = app(lanes="actor", type="call")
    ticks = chart(at)["layout"]["yaxis"]["ticktext"]
    assert {"ISR", "UKR"} <= set(ticks)
