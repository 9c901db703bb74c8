"""The event store: articles and their events in SQLite, shared by every user of a dashboard.

Each article's events are stored as extracted from it; re-extracting an article replaces
them in one transaction, so a reader sees the old events or the new, never a mix, and a
writer killed halfway leaves the store as it was. The same real-world event told by
several articles is merged when events are read (``events.filters.frame``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

from .model import Article, Event, Mention

STORE_ENV = "EVENTS_STORE"
DEFAULT_STORE = "events-store.sqlite"
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT,
    published TEXT,
    published_how TEXT,
    url TEXT,
    source TEXT,
    text TEXT NOT NULL,
    added TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    source_person TEXT,
    target_person TEXT,
    date TEXT,
    date_end TEXT,
    precision TEXT,
    date_text TEXT,
    date_how TEXT,
    quote TEXT NOT NULL,
    quote_start INTEGER NOT NULL,
    quote_end INTEGER NOT NULL,
    trigger TEXT,
    confidence REAL,
    mentions TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_article ON events(article);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

EVENT_COLUMNS = (
    "id", "article", "type", "source", "target", "source_person", "target_person", "date", "date_end", "precision",
    "date_text", "date_how", "quote", "quote_start", "quote_end", "trigger", "confidence", "mentions",
)
ARTICLE_COLUMNS = ("id", "title", "published", "published_how", "url", "source")
MAX_EVENT_ID = 64
_SURROGATE = re.compile("[\ud800-\udfff]")


def store_path(path: str | Path | None = None) -> Path:
    """The store file: the argument, else $EVENTS_STORE, else ./events-store.sqlite."""
    return Path(path or os.environ.get(STORE_ENV) or DEFAULT_STORE)


class Store:
    """A SQLite file of articles and events. Open one per process or thread; writes are transactions."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = store_path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as con, con:
            con.executescript(SCHEMA)
            con.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            con.execute("INSERT OR IGNORE INTO meta VALUES ('version', '0')")

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA busy_timeout=30000")
        return con

    def replace(self, articles: Iterable[Article], events: Iterable[Event]) -> None:
        """Store ``articles`` and, for each, exactly ``events`` of it: all in one transaction."""
        articles = list(articles)
        by_article: dict[str, list[Event]] = {a.id: [] for a in articles}
        for e in events:
            # an event merged across articles is stored once per article; one with no mentions is its own
            for m in e.mentions or (Mention(e.article, e.quote, e.quote_start, e.quote_end),):
                if m.article in by_article:
                    by_article[m.article].append(e if m.article == e.article else _as_told_by(e, m))
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with closing(self._connect()) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                for a in articles:
                    con.execute("DELETE FROM events WHERE article = ?", _utf8((a.id,)))
                    con.execute(
                        "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                        "title=excluded.title, published=excluded.published, published_how=excluded.published_how, "
                        "url=excluded.url, source=excluded.source, text=excluded.text",
                        _utf8((a.id, a.title, a.published.isoformat() if a.published else None, a.published_how, a.url,
                               a.source, a.text, now)),
                    )
                    seen: set[str] = set()
                    for e in by_article[a.id]:
                        if e.id in seen:
                            continue
                        seen.add(e.id)
                        con.execute(f"INSERT OR REPLACE INTO events VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
                                    _utf8(_event_row(e)))
                con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:  # SQLite may have rolled back already (disk full, I/O error)
                    con.execute("ROLLBACK")
                raise

    def version(self) -> int:
        """A number that grows with every write: readers cache on it."""
        with closing(self._connect()) as con:
            return int(con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0])

    def count(self) -> tuple[int, int]:
        """Articles and events, counted in one snapshot (never half of a concurrent write)."""
        with closing(self._connect()) as con:
            return tuple(con.execute("SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM events)").fetchone())

    def event_rows(self) -> list[dict]:
        """Every stored event, with its article's title and publication date, in a stable order."""
        cols = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
        with closing(self._connect()) as con:
            con.row_factory = sqlite3.Row
            rows = con.execute(
                f"SELECT {cols}, a.title AS article_title, a.published AS article_published, a.url AS article_url "
                "FROM events e JOIN articles a ON a.id = e.article ORDER BY e.date, e.article, e.quote_start, e.id"
            ).fetchall()
        return [dict(r) for r in rows]

    def articles(self) -> list[dict]:
        with closing(self._connect()) as con:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute(
                f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles ORDER BY id").fetchall()]

    def article_text(self, article_id: str) -> str | None:
        with closing(self._connect()) as con:
            row = con.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None


def told_by_id(event_id: str, article_id: str) -> str:
    """The id of an event's record as told by another article: ``EVENTID-ARTICLEID``, or with
    a hash of the article id when that would be over 64 characters (cutting it short would give
    two articles with a long common prefix the same id, and one would overwrite the other)."""
    plain = f"{event_id}-{article_id}"
    if len(plain) <= MAX_EVENT_ID:
        return plain
    return f"{event_id}-{hashlib.sha1(article_id.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"


def _as_told_by(e: Event, m) -> Event:
    """The record of event ``e`` as told by the article of mention ``m``."""
    from dataclasses import replace

    return replace(e, id=told_by_id(e.id, m.article), article=m.article, quote=m.quote, quote_start=m.quote_start,
                   quote_end=m.quote_end, mentions=(m,))


def _utf8(values: tuple) -> tuple:
    """Values SQLite can store: a lone surrogate (which UTF-8 cannot encode, so the whole write
    would fail) becomes U+FFFD, one character for one, so character offsets stay valid."""
    return tuple(_SURROGATE.sub("\ufffd", v) if isinstance(v, str) and _SURROGATE.search(v) else v for v in values)


def _event_row(e: Event) -> tuple:
    d = e.to_dict()
    d["mentions"] = json.dumps(d["mentions"], ensure_ascii=False)
    return tuple(d[c] for c in EVENT_COLUMNS)
