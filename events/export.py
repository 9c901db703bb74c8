"""Events and articles out: JSON Lines, JSON or CSV, chosen by the file's extension."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

from .model import Article, Event

FORMATS = {".jsonl": "jsonl", ".json": "json", ".csv": "csv"}
CSV_FIELDS = (
    "id", "article", "type", "source", "target", "source_person", "target_person", "date", "date_end",
    "precision", "date_text", "date_how", "quote", "quote_start", "quote_end", "trigger", "confidence",
    "mentions",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def format_for(path: str | Path) -> str:
    """The export format for a file name: JSON Lines unless it ends in .json or .csv."""
    return FORMATS.get(Path(path).suffix.lower(), "jsonl")


def safe_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def events_to_text(events: Iterable[Event], fmt: str) -> str:
    """Serialise events; the same events always give the same bytes."""
    rows = [e.to_dict() for e in events]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            row["mentions"] = json.dumps(row["mentions"], ensure_ascii=False)
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
        return buf.getvalue()
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def articles_to_text(articles: Iterable[Article]) -> str:
    return "".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in articles)


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that it is never left half-written."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def articles_path(events_path: Path) -> Path:
    """Where the articles of an export go: beside it, ``NAME.articles.jsonl``."""
    return events_path.with_name(events_path.name.rsplit(".", 1)[0] + ".articles.jsonl")


def rows_to_text(rows: list[dict], fmt: str) -> str:
    """Plain rows (as the dashboard shows them) as CSV with formula-safe cells, or JSON."""
    if fmt == "csv":
        buf = io.StringIO()
        names = list(rows[0]) if rows else list(CSV_FIELDS)
        writer = csv.DictWriter(buf, fieldnames=names, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: safe_cell(v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False))
                             for k, v in row.items()})
        return buf.getvalue()
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
