"""Shared fixtures: the spaCy pipeline is loaded once per test session."""
from __future__ import annotations

import datetime as dt

import pytest

from events.articles import make_article
from events.extract import extract
from events.lexicon import default_lexicon


@pytest.fixture(scope="session")
def nlp():
    from events.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def events_of(nlp):
    """Extract events from a short article text published on ``published``."""

    def run(text: str, published: str | None = "2025-07-23", id: str = "t1"):
        day = dt.date.fromisoformat(published) if published else None
        return extract(make_article(id, text, published=day), nlp, default_lexicon())

    return run
