"""The event guide's matching rule, for the acceptance test (no dependency on ../shared).

A prediction matches a gold event of the same article when the types are equal, the
source and target are equal (either order for symmetric types), and the predicted date
falls in the gold date's span. Each gold event matches at most one prediction.
"""
from __future__ import annotations

import calendar
import datetime as dt

SYMMETRIC = {"call", "meeting", "agreement"}


def date_span(date: str, precision: str | None = None, date_end: str | None = None) -> tuple[dt.date, dt.date]:
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        lo, hi = dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    elif len(parts) == 2:
        lo = dt.date(parts[0], parts[1], 1)
        hi = dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    else:
        lo = hi = dt.date(*parts)
        if precision == "week":
            lo = lo - dt.timedelta(days=lo.weekday())
            hi = lo + dt.timedelta(days=6)
    if date_end:
        hi = max(hi, date_span(date_end)[1])
    return lo, hi


def matches(pred: dict, gold: dict) -> bool:
    if pred["type"] != gold["type"] or not pred.get("date"):
        return False
    p, g = (pred["source"], pred["target"]), (gold["source"], gold["target"])
    if p != g and not (gold["type"] in SYMMETRIC and p == g[::-1]):
        return False
    lo, hi = date_span(gold["date"], gold.get("precision"), gold.get("date_end"))
    return lo <= date_span(pred["date"], pred.get("precision"))[0] <= hi


def max_matching(preds: list[dict], golds: list[dict]) -> int:
    """Size of a maximum one-to-one matching (augmenting paths)."""
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for p, pred in enumerate(preds):
            if p in seen or not matches(pred, golds[g]):
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    return sum(augment(g, set()) for g in range(len(golds)))


def f1(preds_by_article: dict[str, list[dict]], golds_by_article: dict[str, list[dict]]) -> tuple[float, float, float]:
    """Precision, recall and F1 over articles that have gold; undated predictions are not scored."""
    tp = n_pred = n_gold = 0
    for article, golds in golds_by_article.items():
        preds = [p for p in preds_by_article.get(article, []) if p.get("date")]
        tp += max_matching(preds, golds)
        n_pred += len(preds)
        n_gold += len(golds)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
