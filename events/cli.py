"""The command line: ``python -m events extract PATH... --out FILE``.

A thin adapter: parse arguments, call the library, turn its errors into one line each.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .articles import LoadError, load_paths
from .export import articles_path, articles_to_text, events_to_text, format_for, write_atomic
from .model import Article, ArticleError
from .nlp import MODEL_ENV, load_model, model_name

PROGRESS_MIN_ARTICLES = 5


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("--jobs must be at least 1")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m events", description="Extract dated diplomatic events from news articles.")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract events from articles (.txt, .html, .json, .jsonl files or folders)")
    ex.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    ex.add_argument("--out", required=True, type=Path, help="output file: .jsonl (default), .json or .csv")
    ex.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                    help="publication date for articles where none is found in the text or URL")
    ex.add_argument("--model", help=f"spaCy pipeline to use (default: ${MODEL_ENV} or {model_name()})")
    ex.add_argument("--jobs", type=_jobs, default=1, metavar="N", help="processes to parse with (default 1)")
    ex.add_argument("--actors", type=Path, metavar="CSV", help="extra people: CSV with name,code[,aliases]")
    ex.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return extract_command(args)


def extract_command(args: argparse.Namespace) -> int:
    from .lexicon import default_lexicon
    from .pipeline import extract_articles

    err = sys.stderr
    articles: list[Article] = []
    failures: list[LoadError] = []
    for item in load_paths(args.paths, default_published=args.published):
        (failures if isinstance(item, LoadError) else articles).append(item)
    seen: dict[str, int] = {}
    unique = []
    for a in articles:
        if a.id in seen:
            failures.append(LoadError(a.id, "duplicate article id: only the first one is used"))
            continue
        seen[a.id] = 1
        unique.append(a)
    articles = unique
    for f in failures:
        print(f"error: {f}", file=err)
    for a in articles:
        if a.published is None:
            print(f"warning: {a.id}: no publication date found; its relative dates stay unresolved "
                  f"(give --published YYYY-MM-DD)", file=err)
    try:
        lex = default_lexicon(str(args.actors) if args.actors else None)
        nlp = load_model(args.model)
    except ArticleError as exc:
        print(f"error: {exc}", file=err)
        return 2
    progress = not args.quiet and len(articles) >= PROGRESS_MIN_ARTICLES and err.isatty() or (
        not args.quiet and len(articles) >= PROGRESS_MIN_ARTICLES and os.environ.get("EVENTS_PROGRESS") == "1")
    result = extract_articles(articles, nlp, lex, jobs=args.jobs, progress=progress)
    for f in result.errors:
        print(f"error: {f}", file=err)
    out: Path = args.out
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, events_to_text(result.events, format_for(out)))
        write_atomic(articles_path(out), articles_to_text(sorted(articles, key=lambda a: a.id)))
    except OSError as exc:
        print(f"error: {out}: cannot write ({exc.strerror or exc})", file=err)
        return 2
    failed = len(failures) + len(result.errors)
    if not args.quiet:
        dated = sum(1 for e in result.events if e.date)
        print(f"{len(result.events)} events ({dated} dated) from {len(articles)} articles -> {out}"
              + (f"; {failed} failed" if failed else ""), file=err)
    return 1 if failed else 0
