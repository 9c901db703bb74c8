"""Adding articles to the store from the page: uploads, pasted text, fetched URLs.

Functions return articles and one-line problems; nothing here touches Streamlit.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .articles import MAX_FILE_BYTES, LoadError, article_from_html, load_bytes, make_article
from .fetch import fetch
from .model import Article, ArticleError
from .pipeline import extract_articles
from .store import Store

MAX_FILES = 20


@dataclass(frozen=True)
class Added:
    """What an addition did: articles stored, events found, and problems per file."""

    articles: list[str]
    events: int
    problems: list[str]
    undated: list[str]


def from_uploads(files: Iterable[tuple[str, bytes]], published: dt.date | None = None,
                 limit: int = MAX_FILE_BYTES, max_files: int = MAX_FILES) -> tuple[list[Article], list[str]]:
    """Articles from uploaded (name, bytes) pairs, and a problem line per bad file."""
    files = list(files)
    problems = []
    if len(files) > max_files:
        problems.append(f"{len(files)} files given: only the first {max_files} are read (the limit per upload)")
        files = files[:max_files]
    articles: list[Article] = []
    for name, data in files:
        for item in load_bytes(name, data, published, limit):
            if isinstance(item, LoadError):
                problems.append(str(item))
            else:
                articles.append(item)
    return articles, problems


def slug(text: str, fallback: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return words or fallback


def from_paste(text: str, title: str = "", published: dt.date | None = None, url: str = "") -> Article:
    """An article from pasted text; its id is made from the title and a hash of the text."""
    digest = hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:8]
    return make_article(f"{slug(title, 'pasted')}-{digest}", text, title=title.strip() or None,
                        published=published, url=url.strip() or None, source="pasted")


def from_url(url: str, published: dt.date | None = None, *, allow_private: bool = False,
             fetcher: Callable[..., str] = fetch) -> Article:
    """An article fetched from ``url`` (main text through trafilatura)."""
    html = fetcher(url, allow_private=allow_private)
    digest = hashlib.sha1(url.encode()).hexdigest()[:8]
    return article_from_html(f"url-{digest}", html, url=url, default_published=published)


def add(store: Store, articles: list[Article], nlp, lex, progress: Callable[[float, str], None] | None = None,
        require_date: bool = True) -> Added:
    """Extract ``articles`` and store them with their events (one transaction).

    With ``require_date``, articles with no publication date are not stored: their
    relative dates could not be resolved, so the caller asks for a date.
    """
    undated = [a.id for a in articles if a.published is None] if require_date else []
    todo = [a for a in articles if a.id not in set(undated)]
    events = []
    problems: list[str] = []
    for i, a in enumerate(todo):
        if progress is not None:
            progress(i / max(len(todo), 1), f"Extracting {a.id} ({i + 1}/{len(todo)})")
        result = extract_articles([a], nlp, lex)
        events.extend(result.events)
        problems.extend(str(e) for e in result.errors)
    if todo:
        store.replace(todo, events)
    if progress is not None:
        progress(1.0, "Done")
    return Added([a.id for a in todo], len(events), problems, undated)


def safe_link(url: object) -> str | None:
    """The URL if it is http(s) and may become a link, else None."""
    if isinstance(url, str) and re.match(r"^https?://[^\s<>\"']+$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


__all__ = ["Added", "ArticleError", "add", "from_paste", "from_uploads", "from_url", "safe_link"]
