"""Articles in: loading files, finding the publication date, telling prose from furniture.

The loaders (``load_paths``) are the I/O edge; ``make_article``, ``find_published``
and ``paragraphs`` are pure and take text in.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .dates import parse_date
from .model import Article, ArticleError

SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm", ".json", ".jsonl")
MAX_FILE_BYTES = 10_000_000
MAX_ARTICLE_CHARS = 1_000_000

# Lines that are page furniture, not article prose (the note says why).
_META_PREFIX = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+", re.IGNORECASE)
_META_LINE = re.compile(
    r"^\s*(?P<label>published|first published|posted|updated|last updated|date|dated)\s*(?:on)?\s*[:|-]?\s*(?P<rest>.{6,80})$",
    re.IGNORECASE,
)
_WIRE_DATELINE = re.compile(  # "KYIV, April 12 (Reuters) - ", "MONTEVIDEO, Uruguay (AP) — ", "PARIS, 3 March 2024 - "
    r"^(?P<place>[A-Z][A-Z .'’-]{1,40})(?:,\s*[A-Z][A-Za-z .]{1,30})?(?:,\s*(?P<date>[A-Za-z0-9 .,]{3,30}?))?\s*"
    r"(?:\((?P<agency>[A-Za-z .&]{1,20})\))?\s*[-–—]+\s+(?=[A-Z“\"])"
)
_BYLINE = re.compile(
    r"^\s*(?:[Bb]y|BY|[Ww]ritten by|[Rr]eporting by)\s+(?:[A-Z][\w.'’-]*)(?:\s+(?:and\s+)?[A-Z][\w.'’-]*){0,5}"
    r"(?:\s*[,|/-]\s*[A-Z][\w .&'’-]{1,40})?\s*$"
)
_CAPTION = re.compile(
    r"\((?:photo\s*)?credits?\s*:|\bphoto\s*(?:credit)?\s*:|\bimage\s*(?:credit)?\s*:|\bcredit\s*:|getty images|"
    r"\bvia getty\b|\b(?:reuters|afp|ap|epa|anadolu)/[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,3}\)?\s*$|\(photo by\b|\(file photo\b|\bshutterstock\b",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"^\s*(?:(?:read more|related|see also|also read|read also|recommended|more on this|watch|listen)\s*[:|»>–-]"
    r"|(?:click here|sign up|subscribe|advertisement|share this|follow us|most read)\b(?!.*[.!?]\s*\S))",
    re.IGNORECASE,
)
_CONTRIBUTED = re.compile(
    r"^\s*(?:[\w .,'’&-]{2,80}\s+contributed to this (?:report|story|article)|(?:additional )?(?:reporting|writing|editing) by\b)",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z .'’-]{1,40},\s*(?:[A-Z][A-Za-z.]+,\s*)?(?P<date>[^-–—(]{6,30}?)\s*(?:\(|[-–—])"
)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAUSIBLE_YEARS = (1900, 2200)
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)")
_TERMINAL = re.compile(r"[.!?…\"”’)»]\s*$")


@dataclass(frozen=True)
class Paragraph:
    """A line of an article with its character span and what kind of text it is."""

    start: int
    end: int
    kind: str  # "prose", "heading", "caption", "meta", "byline", "related", "credit"

    @property
    def is_prose(self) -> bool:
        return self.kind == "prose"

    @property
    def is_context(self) -> bool:
        """Parsed for who is who (captions name people's titles) but not for events."""
        return self.kind in ("prose", "heading", "caption")


def paragraphs(text: str) -> list[Paragraph]:
    """Split ``text`` into lines and classify each one.

    >>> [p.kind for p in paragraphs("Talks held\\nBy JANE DOE\\nThe ministers met on Monday.")]
    ['heading', 'byline', 'prose']
    """
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    is_caption = [bool(_CAPTION.search(text[s:e])) for s, e in spans]
    out: list[Paragraph] = []
    for n, (s, e) in enumerate(spans):
        line = text[s:e]
        # a caption is often repeated without its credit next to it: compare with nearby captions only
        captions = [text[a:b] for k, (a, b) in enumerate(spans[max(0, n - 3): n + 4], max(0, n - 3)) if is_caption[k]]
        prefix = _META_PREFIX.match(line)
        if prefix:
            out.append(Paragraph(s, s + prefix.end(), "meta"))
            s += prefix.end()
            line = text[s:e]
            if not line.strip():
                continue
        wire = _WIRE_DATELINE.match(line)
        if wire and (wire.group("agency") or wire.group("date")):
            out.append(Paragraph(s, s + wire.end(), "meta"))
            s += wire.end()
            line = text[s:e]
        out.append(Paragraph(s, e, _kind(line, captions)))
    return out


def _kind(line: str, captions: list[str]) -> str:
    words = line.split()
    if len(line) <= 60 and _META_LINE.match(line) and parse_date(line) is not None:
        return "meta"
    if _BYLINE.match(line):
        return "byline"
    if _RELATED.match(line):
        return "related"
    if _CONTRIBUTED.match(line):
        return "credit"
    if _CAPTION.search(line) or any(len(line) > 30 and c.startswith(line.rstrip(".")) for c in captions if c != line):
        return "caption"
    if not _TERMINAL.search(line) and len(words) < 30:
        return "heading"
    return "prose"


_PARSER_UNSAFE = re.compile("[\U00010000-\U0010FFFF\u2600-\u27bf\ufe0f\u200d]")


def parser_text(text: str) -> str:
    """The text handed to spaCy: emoji and pictographs become spaces, one character for one.

    spaCy's tokenizer takes quadratic time on long runs of emoji; since nothing is added or
    removed, character offsets in the parse are offsets in the article text.
    """
    return _PARSER_UNSAFE.sub(" ", text)


def find_published(text: str, url: str | None = None) -> tuple[dt.date | None, str | None]:
    """The publication date from the text's metadata or the URL, with where it came from.

    >>> find_published(" date 2025-07-23 Israel and ...")
    (datetime.date(2025, 7, 23), 'metadata prefix')
    >>> find_published("Talks\\nPublished: JUNE 21, 2023 17:00\\nText.")
    (datetime.date(2023, 6, 21), "'Published' line")
    """
    head = text[:3000]
    m = _META_PREFIX.match(head)
    if m:
        day = parse_date(m.group("date"))
        if day:
            return day, "metadata prefix"
    labelled: list[tuple[int, dt.date, str]] = []
    for line in head.splitlines():
        lm = _META_LINE.match(line)
        if lm:
            day = parse_date(lm.group("rest"))
            if day:
                label = lm.group("label").lower()
                rank = 0 if "publish" in label or label in ("posted", "date", "dated") else 1
                labelled.append((rank, day, f"'{lm.group('label')}' line"))
    if labelled:
        _, day, how = min(labelled, key=lambda x: x[0])
        return day, how
    segments = [seg for line in head.splitlines()[:15] for seg in re.split(r"\s+[|·•]\s+", line)]
    for line in segments:
        dm = _DATELINE.match(line)
        if dm:
            day = parse_date(dm.group("date"))
            if day:
                return day, "dateline"
        stripped = line.strip()
        if 6 <= len(stripped) <= 60:
            day = parse_date(stripped)
            if day and len(re.sub(r"[\d\W]|\b(?:" + _DATE_WORDS + r")\b", "", stripped, flags=re.IGNORECASE)) <= 3:
                return day, "date line"
    if url:
        um = _URL_DATE.search(url)
        if um:
            try:
                return dt.date(int(um.group(1)), int(um.group(2)), int(um.group(3))), "URL"
            except ValueError:
                pass
    return None, None


_DATE_WORDS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    "september|october|november|december|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|"
    "friday|saturday|sunday|am|pm|gmt|utc|bst|cet|cest|est|edt|pst|pdt|st|nd|rd|th|at|on|updated"
)


def make_article(
    id: str,
    text: str,
    *,
    title: str | None = None,
    published: dt.date | str | None = None,
    url: str | None = None,
    source: str | None = None,
    default_published: dt.date | None = None,
) -> Article:
    """Build an Article, finding the publication date if not given.

    Raises ArticleError for text that cannot be an article.
    """
    if not isinstance(text, str):
        raise ArticleError("'text' must be a string")
    if not text.strip():
        raise ArticleError("article text is empty")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(f"article is {len(text):,} characters, over the {MAX_ARTICLE_CHARS:,} limit")
    if "\x00" in text:
        raise ArticleError("article text contains NUL bytes (binary data?)")
    text = _LONE_SURROGATE.sub("\ufffd", text)  # from JSON "\ud800" escapes: not encodable, one char for one
    how = None
    if isinstance(published, dt.date) and not _PLAUSIBLE_YEARS[0] <= published.year <= _PLAUSIBLE_YEARS[1]:
        raise ArticleError(f"publication date {published.isoformat()} is out of range")
    if isinstance(published, str) and published.strip():
        day = parse_date(published) or _iso_date(published)
        if day is None:
            raise ArticleError(f"cannot read the 'published' date {published[:40]!r}")
        if not _PLAUSIBLE_YEARS[0] <= day.year <= _PLAUSIBLE_YEARS[1]:
            raise ArticleError(f"publication date {day.isoformat()} is out of range")
        published, how = day, "'published' field"
    elif isinstance(published, dt.date):
        how = "'published' field"
    else:
        published = None
    if published is None:
        published, how = find_published(text, url)
    if published is None and default_published is not None:
        published, how = default_published, "--published option"
    if title is None:
        first = next((p for p in paragraphs(text) if p.kind == "heading"), None)
        if first is not None and first.start < 400:
            title = text[first.start:first.end]
    return Article(id=str(id), text=text, title=title, published=published, published_how=how, url=url, source=source)


def _iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


# --- the I/O edge -------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadError:
    """An article or file that could not be loaded, with a one-line reason."""

    where: str
    message: str

    def __str__(self) -> str:
        return _one_line(f"{self.where}: {self.message}")


def _one_line(text: str) -> str:
    """Text for a one-line message: control characters and line breaks shown escaped."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | LoadError]:
    """Files to read under ``paths`` (a folder gives its articles, sorted by name)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                yield LoadError(str(path), f"no article files ({', '.join(SUFFIXES)}) in this folder")
            yield from files
        elif path.is_file():
            yield path
        else:
            yield LoadError(str(path), "no such file or folder")


def decode(data: bytes, limit: int = MAX_FILE_BYTES) -> str:
    """Bytes of a file as text, or ArticleError if empty, too large, binary or not UTF-8."""
    if len(data) == 0:
        raise ArticleError("file is empty")
    if len(data) > limit:
        raise ArticleError(f"file is {len(data) / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit")
    if b"\x00" in data[:8192]:
        raise ArticleError("not a text file (binary content)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})") from None
    if not text.strip():
        raise ArticleError("file has only whitespace")
    return text


def read_text(path: Path) -> str:
    """A file's text, or ArticleError if it is empty, too large, binary or not UTF-8."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ArticleError(f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES / 1e6:g} MB limit")
    return decode(path.read_bytes())


def articles_from_records(records: Iterable[tuple[str, object]], default_published: dt.date | None = None
                          ) -> Iterator[Article | LoadError]:
    """Articles from JSON objects; ``records`` yields (where, object) pairs."""
    for where, obj in records:
        if not isinstance(obj, dict):
            yield LoadError(where, "expected a JSON object with 'id' and 'text'")
            continue
        if "text" not in obj:
            yield LoadError(where, "missing 'text' field")
            continue
        if obj.get("id") is None or str(obj["id"]).strip() == "":
            yield LoadError(where, "missing 'id' field")
            continue
        try:
            yield make_article(
                str(obj["id"]), obj["text"], title=_opt_str(obj.get("title")), published=obj.get("published"),
                url=_opt_str(obj.get("url")), source=_opt_str(obj.get("source")), default_published=default_published,
            )
        except ArticleError as err:
            yield LoadError(f"{where} (id {_one_line(str(obj['id']))[:80]})", str(err))


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def load_file(path: Path, default_published: dt.date | None = None) -> Iterator[Article | LoadError]:
    """The articles in one file, or errors naming the file (and line) that failed."""
    try:
        text = read_text(path)
    except ArticleError as err:
        yield LoadError(str(path), str(err))
        return
    except OSError as err:
        yield LoadError(str(path), f"cannot read: {err.strerror or err}")
        return
    yield from load_text(path, text, default_published)


def load_bytes(name: str, data: bytes, default_published: dt.date | None = None,
               limit: int = MAX_FILE_BYTES) -> Iterator[Article | LoadError]:
    """The articles in an uploaded file's bytes; ``name`` gives the format and the id."""
    if Path(name).suffix.lower() not in SUFFIXES:
        yield LoadError(name, f"not an article file: expected one of {', '.join(SUFFIXES)}")
        return
    try:
        text = decode(data, limit)
    except ArticleError as err:
        yield LoadError(name, str(err))
        return
    yield from load_text(Path(name), text, default_published)


def load_text(path: Path, text: str, default_published: dt.date | None = None) -> Iterator[Article | LoadError]:
    """The articles in a file's decoded text, by the file's extension."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        records = []
        for n, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 may sit inside a JSON string
            if not line.strip():
                continue
            try:
                records.append((f"{path}:{n}", json.loads(line)))
            except json.JSONDecodeError as err:
                records.append((f"{path}:{n}", _BadJson(err.msg)))
            except (ValueError, RecursionError) as err:  # a 5,000-digit number, nesting 100,000 deep
                records.append((f"{path}:{n}", _BadJson(_json_problem(err))))
        for where, obj in records:
            if isinstance(obj, _BadJson):
                yield LoadError(where, f"invalid JSON: {obj.msg}")
            else:
                yield from articles_from_records([(where, obj)], default_published)
    elif suffix == ".json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as err:
            yield LoadError(str(path), f"invalid JSON at line {err.lineno} column {err.colno}: {err.msg}")
            return
        except (ValueError, RecursionError) as err:
            yield LoadError(str(path), f"invalid JSON: {_json_problem(err)}")
            return
        if obj == []:
            yield LoadError(str(path), "the JSON list holds no articles")
            return
        items = obj if isinstance(obj, list) else [obj]
        where = [f"{path}[{i}]" for i in range(len(items))] if isinstance(obj, list) else [str(path)]
        if isinstance(obj, dict) and "id" not in obj:
            obj = {**obj, "id": path.stem}
            items = [obj]
        yield from articles_from_records(zip(where, items), default_published)
    elif suffix in (".html", ".htm"):
        try:
            yield article_from_html(path.stem, text, default_published=default_published)
        except ArticleError as err:
            yield LoadError(str(path), str(err))
    else:
        try:
            yield make_article(path.stem, text, default_published=default_published)
        except ArticleError as err:
            yield LoadError(str(path), str(err))


def _json_problem(err: Exception) -> str:
    if isinstance(err, RecursionError):
        return "nested too deeply"
    return str(err).split(";")[0][:120]


@dataclass(frozen=True)
class _BadJson:
    msg: str


def article_from_html(id: str, html: str, *, url: str | None = None, default_published: dt.date | None = None
                      ) -> Article:
    """Main text, title, date and URL of an HTML page, through trafilatura."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        raise ArticleError("no article text found in the HTML page")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    if not text.strip():
        raise ArticleError("no article text found in the HTML page")
    return make_article(
        id, text, title=data.get("title"), published=data.get("date"), url=data.get("url") or url,
        source=data.get("sitename") or data.get("hostname"), default_published=default_published,
    )


def load_paths(paths: Iterable[str | Path], default_published: dt.date | None = None
               ) -> Iterator[Article | LoadError]:
    """Every article under ``paths``; failures come through as LoadError, never raised."""
    for item in iter_files(paths):
        if isinstance(item, LoadError):
            yield item
        else:
            yield from load_file(item, default_published)
