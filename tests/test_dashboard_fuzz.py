"""Random query strings against the page: never an exception, always a valid view, notices for the rest."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from events.articles import load_paths
from events.filters import PARAMS
from events.lexicon import default_lexicon
from events.pipeline import extract_articles
from events.store import Store

ROOT = Path(__file__).resolve().parents[1]
KEYS = st.one_of(st.sampled_from(sorted(PARAMS)), st.text(min_size=1, max_size=12))
VALUES = st.one_of(
    st.sampled_from(["call", "ISR", "between", "2024-01-01", "9999-99-99", "actor", "pair", "-1", "", "%00", "<b>x</b>"]),
    st.text(max_size=30),
)
QUERIES = st.dictionaries(KEYS, st.lists(VALUES, min_size=1, max_size=3), max_size=6)


@pytest.fixture(scope="module")
def store_file(tmp_path_factory, nlp):
    path = tmp_path_factory.mktemp("fuzz") / "events.sqlite"
    articles = list(load_paths([ROOT / "seeds"]))
    Store(path).replace(articles, extract_articles(articles, nlp, default_lexicon()).events)
    return path


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_any_query_string_gives_a_valid_view_and_notices_never_an_exception(query, store_file, tmp_path, monkeypatch):
    path = tmp_path / "events.sqlite"
    shutil.copy(store_file, path)
    monkeypatch.setenv("EVENTS_STORE", str(path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, values in query.items():
        at.query_params[key] = values
    at.run()
    assert not at.exception, (query, at.exception)
    assert any("event" in m.value for m in at.markdown[:3]) or at.info, "no summary or empty state shown"
    assert set(at.query_params) <= set(PARAMS), "the URL keeps only known parameters"
    unknown = [k for k in query if k not in PARAMS]
    if unknown:
        assert at.warning, "unknown parameters must give a notice"
