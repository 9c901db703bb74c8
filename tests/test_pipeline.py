"""Many articles: merging the same event across articles, stable ids, failures kept apart."""
from __future__ import annotations

import datetime as dt

from events.articles import make_article
from events.lexicon import default_lexicon
from events.pipeline import extract_articles

DAY = dt.date(2024, 3, 6)


def test_the_same_event_in_two_articles_is_one_record_with_both_quotes(nlp):
    a = make_article("a", "Greece and Egypt signed a maritime agreement in Athens on Monday.", published=DAY)
    b = make_article("b", "Egypt signed a maritime deal with Greece on Monday, officials said.", published=DAY)
    [event] = extract_articles([b, a], nlp, default_lexicon()).events
    assert event.type == "agreement" and event.article == "a"
    assert [m.article for m in event.mentions] == ["a", "b"]
    assert event.mentions[1].quote.startswith("Egypt signed")


def test_different_dates_in_two_articles_stay_two_events(nlp):
    a = make_article("a", "Greece and Egypt signed a maritime agreement on Monday.", published=DAY)
    b = make_article("b", "Greece and Egypt signed a maritime agreement on Monday.", published=DAY + dt.timedelta(days=14))
    assert len(extract_articles([a, b], nlp, default_lexicon()).events) == 2


def test_event_ids_are_stable_and_independent_of_input_order(nlp):
    arts = [make_article(i, f"{x} and {y} signed a treaty on Monday.", published=DAY)
            for i, x, y in [("p", "Peru", "Chile"), ("q", "Japan", "India")]]
    first = [e.id for e in extract_articles(arts, nlp, default_lexicon()).events]
    second = [e.id for e in extract_articles(arts[::-1], nlp, default_lexicon()).events]
    assert first == second and len(set(first)) == 2
