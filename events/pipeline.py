"""Many articles in, one merged list of events out: parsing in bulk, then the pure core.

Parsing is the expensive step, so every paragraph of every article goes through one
``nlp.pipe`` call (``n_process=jobs`` spreads it over processes); extraction per article
is cheap and pure. An article that fails is reported and the rest go on.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .articles import LoadError, paragraphs, parser_text
from .extract import extract_parsed
from .lexicon import Lexicon
from .model import SYMMETRIC_TYPES, Article, Event

BATCH_SIZE = 64


@dataclass(frozen=True)
class Result:
    events: list[Event]
    errors: list[LoadError]


def extract_articles(articles: Iterable[Article], nlp, lex: Lexicon, *, jobs: int = 1,
                     progress: bool = False) -> Result:
    """Events of all ``articles``, merged across articles, in a stable order."""
    articles = sorted(articles, key=lambda a: a.id)
    jobs_paras = []
    for a in articles:
        paras = [p for p in paragraphs(a.text) if p.is_context]
        jobs_paras.append((a, paras))
    texts = (parser_text(a.text[p.start:p.end]) for a, paras in jobs_paras for p in paras)
    docs = nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=max(1, jobs))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(articles), unit="article", desc="extracting", leave=False)
    events: list[Event] = []
    errors: list[LoadError] = []
    for a, paras in jobs_paras:
        parsed = [(p, next(docs)) for p in paras]
        try:
            events.extend(extract_parsed(a, parsed, lex))
        except Exception as err:  # one article's failure must not lose the others
            errors.append(LoadError(a.id, f"extraction failed: {type(err).__name__}: {err}"))
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return Result(merge_across(events), errors)


def _overlap(a: Event, b: Event) -> bool:
    from .dates import month_span, year_span

    def span(e: Event) -> tuple[dt.date, dt.date]:
        parts = [int(p) for p in e.date.split("-")]
        if len(parts) == 1:
            r = year_span(parts[0], "", "")
            lo, hi = r.start, r.end
        elif len(parts) == 2:
            r = month_span(parts[0], parts[1], "", "")
            lo, hi = r.start, r.end
        else:
            lo = hi = dt.date(*parts)
            if e.precision == "week":
                hi = lo + dt.timedelta(days=6)
        if e.date_end:
            hi = max(hi, dt.date.fromisoformat(e.date_end))
        return lo, hi

    (alo, ahi), (blo, bhi) = span(a), span(b)
    return alo <= bhi and blo <= ahi


def same_event(a: Event, b: Event) -> bool:
    """Whether two events from different articles report the same real-world event."""
    if a.type != b.type or a.date is None or b.date is None or a.precision != b.precision:
        return False
    if (a.source, a.target) == (b.source, b.target):
        persons = [(a.source_person, b.source_person), (a.target_person, b.target_person)]
    elif a.type in SYMMETRIC_TYPES and (a.source, a.target) == (b.target, b.source):
        persons = [(a.source_person, b.target_person), (a.target_person, b.source_person)]
    else:
        return False
    if any(x and y and x != y for x, y in persons):
        return False
    return _overlap(a, b)


def merge_across(events: list[Event]) -> list[Event]:
    """One record per real-world event across articles; the first article's record leads
    and the others' quotes become its ``mentions``."""
    out: list[Event] = []
    for e in events:
        for i, kept in enumerate(out):
            if kept.article != e.article and same_event(kept, e):
                out[i] = replace(kept, mentions=kept.mentions + e.mentions,
                                 source_person=kept.source_person or e.source_person,
                                 target_person=kept.target_person or e.target_person)
                break
        else:
            out.append(e)
    return out
