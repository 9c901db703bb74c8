"""Records passed between the layers: articles in, events out.

Frozen dataclasses; JSON only at the edges (see ``events.export``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

EVENT_TYPES: tuple[str, ...] = (
    "call", "visit", "meeting", "strike", "aid", "agreement", "sanction", "statement",
)
SYMMETRIC_TYPES: frozenset[str] = frozenset({"call", "meeting", "agreement"})
PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year")


class ArticleError(ValueError):
    """Bad input for one article or file; the message names the problem."""


@dataclass(frozen=True)
class Article:
    """One news article. ``text`` is what character offsets refer to."""

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    published_how: str | None = None
    url: str | None = None
    source: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        d.pop("text")
        return d


@dataclass(frozen=True)
class ResolvedDate:
    """A date at some precision, with the expression it came from and how.

    ``start`` is the first day the date stands for (the Monday for a week);
    ``end`` is the last day of the span it covers.
    """

    start: dt.date
    end: dt.date
    precision: str
    text: str
    how: str

    @property
    def iso(self) -> str:
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


@dataclass(frozen=True)
class Mention:
    """One quote of an event in one article."""

    article: str
    quote: str
    quote_start: int
    quote_end: int


@dataclass(frozen=True)
class Event:
    """One diplomatic event as the event guide defines it, with its provenance."""

    id: str
    article: str
    type: str
    source: str
    target: str
    source_person: str | None
    target_person: str | None
    date: str | None
    date_end: str | None
    precision: str | None
    date_text: str | None
    date_how: str
    quote: str
    quote_start: int
    quote_end: int
    trigger: str
    confidence: float
    mentions: tuple[Mention, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["mentions"] = [asdict(m) for m in self.mentions]
        return d
