"""The view as data: URL query parameters <-> a filter spec <-> the events shown.

Pure functions, no web request: ``parse_query`` turns query pairs into a ``Filters`` and
notices about what it had to ignore; ``to_query`` turns it back (defaults dropped);
``apply`` selects the events; ``summary`` says in words what is shown.

URL grammar (every parameter optional, repeatable ones repeat: ``?actor=ISR&actor=UKR``):

    actor=ISO3|EU|NATO|...  (repeatable)   people=NAME (repeatable)   mode=any|between
    type=call|visit|...     (repeatable)   from=YYYY-MM-DD            to=YYYY-MM-DD
    article=ID              (repeatable)   q=TEXT                     precision=day|week|month|year (repeatable)
    lanes=type|actor|pair   view=timeline|monthly|network             event=EVENT_ID
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .model import EVENT_TYPES, PRECISIONS, SYMMETRIC_TYPES

LANES: dict[str, str] = {"type": "type", "actor": "actor", "pair": "pair"}
MODES: dict[str, str] = {"any": "involving any of", "between": "between"}
VIEWS: dict[str, str] = {"timeline": "Timeline", "monthly": "Per month", "network": "Network"}
MAX_TEXT = 200
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}$")
_EVENT_ID = re.compile(r"^[0-9a-f]{8,40}(?:-[\w.-]{1,60})?$")
PLURALS = {"call": "calls", "visit": "visits", "meeting": "meetings", "strike": "strikes", "aid": "aid",
           "agreement": "agreements", "sanction": "sanctions", "statement": "statements"}


@dataclass(frozen=True)
class Filters:
    """What the analyst asked to see. Empty tuples mean "all"."""

    actors: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    mode: str = "any"
    types: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    articles: tuple[str, ...] = ()
    text: str = ""
    precisions: tuple[str, ...] = ()
    lanes: str = "type"
    view: str = "timeline"
    event: str | None = None


PARAMS: dict[str, str] = {  # URL parameter -> Filters field
    "actor": "actors", "people": "people", "mode": "mode", "type": "types", "from": "date_from", "to": "date_to",
    "article": "articles", "q": "text", "precision": "precisions", "lanes": "lanes", "view": "view", "event": "event",
}
REPEATABLE = frozenset({"actor", "people", "type", "article", "precision"})


def _values(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [str(v) for v in raw]  # type: ignore[union-attr]


def parse_query(params: Mapping[str, object]) -> tuple[Filters, list[str]]:
    """A ``Filters`` from query parameters, and a notice for everything ignored.

    >>> f, notes = parse_query({"type": ["call", "nope"], "from": "2024-13-01"})
    >>> f.types, notes[0]
    (('call',), "Ignored type='nope': not an event type (call, visit, meeting, strike, aid, agreement, sanction, statement).")
    """
    notes: list[str] = []
    spec: dict[str, object] = {}
    for key, raw in params.items():
        values = [v.strip() for v in _values(raw)]
        if key not in PARAMS:
            notes.append(f"Ignored unknown parameter '{short(key)}'.")
            continue
        if key not in REPEATABLE and len(values) > 1:
            notes.append(f"Parameter '{key}' was given {len(values)} times: the first value is used.")
            values = values[:1]
        good: list[object] = []
        for v in values:
            value, problem = _check(key, v)
            if problem:
                notes.append(f"Ignored {key}='{short(v)}': {problem}.")
            elif value is not None and value not in good:
                good.append(value)
        if not good:
            continue
        name = PARAMS[key]
        spec[name] = tuple(good) if key in REPEATABLE else good[0]
    f = Filters(**spec)  # type: ignore[arg-type]
    if f.date_from and f.date_to and f.date_from > f.date_to:
        notes.append("The 'from' date is after the 'to' date: the two were swapped.")
        f = replace(f, date_from=f.date_to, date_to=f.date_from)
    return f, notes


def short(text: str) -> str:
    """User text for a notice: control characters shown as ?, at most 40 characters."""
    text = re.sub(r"[\x00-\x1f\x7f]", "?", text)
    return text if len(text) <= 40 else text[:37] + "..."


def _check(key: str, v: str) -> tuple[object, str | None]:
    if key == "actor":
        return (v.upper(), None) if _CODE.match(v.upper()) else (None, "not an actor code (ISO3 like ISR, or EU, NATO, UN)")
    if key == "type":
        return (v, None) if v in EVENT_TYPES else (None, f"not an event type ({', '.join(EVENT_TYPES)})")
    if key == "precision":
        return (v, None) if v in PRECISIONS else (None, f"not a precision ({', '.join(PRECISIONS)})")
    if key == "mode":
        return (v, None) if v in MODES else (None, "mode is 'any' or 'between'")
    if key == "lanes":
        return (v, None) if v in LANES else (None, f"lanes are {', '.join(LANES)}")
    if key == "view":
        return (v, None) if v in VIEWS else (None, f"views are {', '.join(VIEWS)}")
    if key in ("from", "to"):
        try:
            day = dt.date.fromisoformat(v)
        except ValueError:
            return None, "not a date (YYYY-MM-DD)"
        if not 1900 <= day.year <= 2200:
            return None, "year out of range"
        return day, None
    if key == "event":
        return (v, None) if _EVENT_ID.match(v) else (None, "not an event id")
    if key == "q":
        if len(v) > MAX_TEXT:
            return v[:MAX_TEXT], None
        return (v or None), None
    if key in ("article", "people"):
        return (v, None) if 0 < len(v) <= 200 and v.isprintable() else (None, "not a valid name")
    return None, "unsupported"


def to_query(f: Filters) -> dict[str, list[str]]:
    """Query parameters for ``f``, leaving out defaults: the inverse of ``parse_query``."""
    default = Filters()
    out: dict[str, list[str]] = {}
    for key, name in PARAMS.items():
        value = getattr(f, name)
        if value == getattr(default, name):
            continue
        if isinstance(value, tuple):
            out[key] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            out[key] = [value.isoformat()]
        else:
            out[key] = [str(value)]
    return out


# -- the events frame ---------------------------------------------------------------------

FRAME_COLUMNS = (
    "id", "article", "type", "source", "target", "source_person", "target_person", "date", "date_end", "precision",
    "date_text", "date_how", "quote", "quote_start", "quote_end", "confidence", "mentions", "article_title",
    "article_published", "article_url",
)


def _span(date: str | None, precision: str | None, date_end: str | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    if not isinstance(date, str) or not date:
        return pd.NaT, pd.NaT
    try:
        parts = [int(p) for p in date.split("-")]
        if len(parts) == 1:
            lo, hi = dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
        elif len(parts) == 2:
            lo = dt.date(parts[0], parts[1], 1)
            hi = (pd.Timestamp(lo) + pd.offsets.MonthEnd(0)).date()
        else:
            lo = hi = dt.date(*parts)
            if precision == "week":
                hi = lo + dt.timedelta(days=6)
        if isinstance(date_end, str) and date_end:
            hi = max(hi, dt.date.fromisoformat(date_end))
    except (ValueError, TypeError):
        return pd.NaT, pd.NaT
    return pd.Timestamp(lo), pd.Timestamp(hi)


def frame(rows: list[dict]) -> pd.DataFrame:
    """Stored event rows as a frame, one row per real-world event.

    Rows of different articles that tell the same event (same type, actors, date and
    precision) become one row; ``mentions`` keeps every article's quote.
    """
    df = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    if df.empty:
        df["start"] = pd.Series(dtype="datetime64[ns]")
        df["end"] = pd.Series(dtype="datetime64[ns]")
        df["pair"] = pd.Series(dtype=str)
        df["quotes"] = pd.Series(dtype=str)
        df["n_articles"] = pd.Series(dtype=int)
        return df
    known: dict[tuple, tuple[pd.Timestamp, pd.Timestamp]] = {}  # few distinct dates: each is parsed once
    spans = []
    for d, p, e in zip(df["date"].tolist(), df["precision"].tolist(), df["date_end"].tolist()):
        key = (d if isinstance(d, str) else None, p == "week", e if isinstance(e, str) else None)
        if key not in known:
            known[key] = _span(key[0], "week" if key[1] else None, key[2])
        spans.append(known[key])
    df["start"] = pd.to_datetime([s for s, _ in spans])
    df["end"] = pd.to_datetime([e for _, e in spans])
    sym = df["type"].isin(SYMMETRIC_TYPES)
    lo = df[["source", "target"]].min(axis=1)
    hi = df[["source", "target"]].max(axis=1)
    df["pair"] = (lo + " – " + hi).where(sym, df["source"] + " → " + df["target"])
    sp, tp = df["source_person"].fillna(""), df["target_person"].fillna("")
    people = (sp.where(sp <= tp, tp) + "|" + tp.where(sp <= tp, sp)).where(sym, sp + "|" + tp)
    key = (df["type"] + "|" + df["pair"] + "|" + people + "|" + df["date"].fillna("undated:" + df["id"]) + "|"
           + df["precision"].fillna(""))
    df["_key"] = key
    df = df.sort_values(["article", "quote_start", "id"], kind="stable")
    dup = df.duplicated("_key", keep=False)
    if dup.any():
        told: dict[str, list[str]] = {}  # key -> the mentions of its rows, in row order
        for k, ms in zip(df["_key"][dup].tolist(), df["mentions"][dup].tolist()):
            if isinstance(k, str):  # as a groupby, which drops missing keys
                told.setdefault(k, []).append(ms)
        merged_mentions = pd.Series({k: _join_mentions(v) for k, v in told.items()}, dtype=object)
        df = df.drop_duplicates("_key", keep="first").copy()
        sel = df["_key"].isin(merged_mentions.index)
        df.loc[sel, "mentions"] = df.loc[sel, "_key"].map(merged_mentions)
    mentions = df["mentions"].tolist()
    parsed = [json.loads(ms) if isinstance(ms, str) else None for ms in mentions]  # each parsed once
    df["quotes"] = [" ".join(m.get("quote", "") for m in ps) if isinstance(ms, str) else ""
                    for ms, ps in zip(mentions, parsed)]
    df["n_articles"] = [len({m.get("article") for m in ps}) if isinstance(ms, str) else 1
                        for ms, ps in zip(mentions, parsed)]
    df = df.drop(columns="_key").sort_values(["start", "id"], kind="stable", na_position="last")
    return df.reset_index(drop=True)


def _join_mentions(values: Iterable[str]) -> str:
    out: list[dict] = []
    for v in values:
        for m in json.loads(v):
            if m not in out:
                out.append(m)
    return json.dumps(out, ensure_ascii=False)


def apply(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The events of ``df`` that ``f`` selects (undated events included unless dates are set)."""
    mask = np.ones(len(df), dtype=bool)  # numpy masks: no index alignment on every step
    if f.actors:
        src, tgt = df["source"].isin(f.actors).to_numpy(), df["target"].isin(f.actors).to_numpy()
        mask &= (src & tgt) if f.mode == "between" and len(f.actors) > 1 else (src | tgt)
    if f.people:
        mask &= (df["source_person"].isin(f.people) | df["target_person"].isin(f.people)).to_numpy()
    if f.types:
        mask &= df["type"].isin(f.types).to_numpy()
    if f.precisions:
        mask &= df["precision"].isin(f.precisions).to_numpy()
    if f.date_from is not None:
        mask &= (df["end"] >= pd.Timestamp(f.date_from)).to_numpy()
    if f.date_to is not None:
        mask &= (df["start"] <= pd.Timestamp(f.date_to)).to_numpy()
    if f.articles:
        mask &= (df["article"].isin(f.articles) | df["mentions"].map(
            lambda ms: any(m.get("article") in f.articles for m in json.loads(ms)))).to_numpy()
    if f.text and mask.any():  # the costliest test: only on the rows still selected
        quotes = df["quotes"] if mask.all() else df["quotes"][mask]
        mask[mask.copy()] = quotes.str.contains(f.text, case=False, regex=False, na=False).to_numpy()
    return df[mask]


def _month(ts: pd.Timestamp) -> str:
    return ts.strftime("%b %Y")


def summary(df: pd.DataFrame) -> str:
    """'14 events, 5 actors, Feb 2022 – Jul 2025' for what is shown."""
    if df.empty:
        return "No events match these filters."
    actors = len(set(df["source"]) | set(df["target"]))
    n = len(df)
    text = f"{n} event{'s' * (n != 1)}, {actors} actor{'s' * (actors != 1)}"
    dated = df.dropna(subset=["start"])
    if not dated.empty:
        lo, hi = _month(dated["start"].min()), _month(dated["end"].max())
        text += f", {lo}" + (f" – {hi}" if hi != lo else "")
    undated = n - len(dated)
    if undated:
        text += f" ({undated} undated)"
    return text


def describe(f: Filters) -> str:
    """The filters in words: 'calls and visits between ISR and UKR, 2023-01-01 to 2025-12-31'."""
    what = "all events" if not f.types else " and ".join(
        [", ".join(PLURALS[t] for t in f.types[:-1]), PLURALS[f.types[-1]]] if len(f.types) > 1 else [PLURALS[f.types[0]]])
    parts = [what]
    if f.actors:
        joiner = " and " if f.mode == "between" else ", "
        parts.append(f"{MODES[f.mode] if len(f.actors) > 1 else 'involving'} {joiner.join(f.actors)}")
    if f.people:
        parts.append("with " + ", ".join(f.people))
    if f.date_from or f.date_to:
        parts.append(f"{f.date_from or '…'} to {f.date_to or '…'}")
    if f.precisions:
        parts.append("dated to the " + "/".join(f.precisions))
    if f.articles:
        parts.append(f"from {len(f.articles)} article{'s' * (len(f.articles) != 1)}")
    if f.text:
        parts.append(f"quoting “{f.text}”")
    return ", ".join(parts)
