"""Benchmark: what a filter change costs on the dashboard, and what it sends, as the store grows.

    python bench/dashboard.py [--sizes 1000 10000 100000] [--repeats 5] [--seed 11]

For each size N a synthetic store of N events (deterministic for ``--seed``) is written with
``Store.replace`` (articles of about 20 events, 25 articles per call), read back with
``Store.event_rows`` and built into the page's frame with ``events.filters.frame``: a one-off per
store write, reported apart. Then each filter change in ``CHANGES`` is timed as the page runs
it, ``events.filters.apply`` + ``events.figures.timeline`` (median of ``--repeats``; repeats are
interleaved over the sizes so that load on the machine hits every size alike), and the figure
is serialised with ``fig.to_json()``, as the page sends it, for its size.

The bar: the mean cost of a filter change at the largest N is at most 3x the mean at the
smallest N (each change's own ratio is printed too), and no figure reaches 5 MB (beyond
``figures.MAX_POINTS`` points the timeline groups events by period, with a note). Times are
compared as ratios measured in this one run, never as absolute seconds. Exit status 1 when
the bar is missed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from events import figures  # noqa: E402
from events import filters as flt  # noqa: E402
from events.model import EVENT_TYPES, Article, Event, Mention  # noqa: E402
from events.store import Store  # noqa: E402

RATIO_BAR = 3.0
SIZE_BAR_MB = 5.0
EVENTS_PER_ARTICLE = 20
ARTICLES_PER_WRITE = 25

# ~40 actors; the weights make a few of them (as in the news) far more frequent than the rest.
ACTORS: list[tuple[str, str, float]] = [
    ("USA", "the United States", 14), ("RUS", "Russia", 12), ("UKR", "Ukraine", 12), ("CHN", "China", 9),
    ("ISR", "Israel", 8), ("EU", "the European Union", 6), ("IRN", "Iran", 5), ("GBR", "Britain", 5),
    ("FRA", "France", 5), ("DEU", "Germany", 5), ("TUR", "Turkey", 4), ("IND", "India", 4), ("PSE", "Palestine", 4),
    ("NATO", "NATO", 3), ("UN", "the United Nations", 3), ("JPN", "Japan", 3), ("POL", "Poland", 3),
    ("SAU", "Saudi Arabia", 3), ("QAT", "Qatar", 2), ("EGY", "Egypt", 2), ("SYR", "Syria", 2), ("LBN", "Lebanon", 2),
    ("PRK", "North Korea", 2), ("KOR", "South Korea", 2), ("BRA", "Brazil", 1), ("ZAF", "South Africa", 1),
    ("CAN", "Canada", 1), ("ITA", "Italy", 1), ("ESP", "Spain", 1), ("AUS", "Australia", 1), ("PAK", "Pakistan", 1),
    ("AFG", "Afghanistan", 1), ("IRQ", "Iraq", 1), ("JOR", "Jordan", 1), ("ARE", "the UAE", 1), ("MEX", "Mexico", 1),
    ("NGA", "Nigeria", 1), ("ETH", "Ethiopia", 1), ("VEN", "Venezuela", 1), ("BLR", "Belarus", 1),
]
TYPE_WEIGHTS = {"call": 12, "visit": 10, "meeting": 16, "strike": 14, "aid": 10, "agreement": 8, "sanction": 8,
                "statement": 22}
VERBS = {"call": "spoke by phone with", "visit": "travelled to", "meeting": "met", "strike": "launched strikes on",
         "aid": "sent aid to", "agreement": "signed an agreement with", "sanction": "imposed sanctions on",
         "statement": "condemned"}
assert set(TYPE_WEIGHTS) == set(VERBS) == set(EVENT_TYPES)
PRECISION_WEIGHTS = {"day": 60, "week": 10, "month": 15, "year": 10, None: 5}
FIRST = ["Anna", "Karl", "Omar", "Lena", "Ravi", "Sofia", "Tomas", "Amina", "Jonas", "Mei", "Yusuf", "Irina"]
LAST = ["Novak", "Berg", "Haddad", "Costa", "Mensah", "Iyer", "Lindqvist", "Okafor", "Tanaka", "Moreau", "Petrov"]
FILLER = ("officials said the two sides discussed security trade energy and the humanitarian situation in the "
          "region while diplomats expect another round of talks before the summit later this year according to "
          "the ministry & <b>its</b> statement on the ceasefire prisoners grain corridor and reconstruction").split()
FIRST_DAY, DAYS = dt.date(2016, 1, 1), 3653  # ten years

CHANGES: list[tuple[str, flt.Filters]] = [
    ("all events", flt.Filters()),
    ("types strike+aid", flt.Filters(types=("strike", "aid"))),
    ("UKR,RUS between", flt.Filters(actors=("UKR", "RUS"), mode="between")),
    ("2022-2023", flt.Filters(date_from=dt.date(2022, 1, 1), date_to=dt.date(2023, 12, 31))),
    ("q=talks", flt.Filters(text="talks")),
    ("lanes actor", flt.Filters(lanes="actor")),
    ("lanes pair", flt.Filters(lanes="pair")),
]


def _pick(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _date(rng: random.Random) -> tuple[str | None, str | None, str | None, str | None, str]:
    """(date, date_end, precision, date_text, date_how) at a random precision over ten years."""
    precision = _pick(rng, PRECISION_WEIGHTS)
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    if precision is None:
        return None, None, None, None, "no date expression in or around the sentence"
    if precision == "year":
        return f"{day.year:04d}", None, "year", f"in {day.year}", "explicit year"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}", None, "month", f"last month ({day:%B})", "relative to publication"
    if precision == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday.isoformat(), None, "week", "last week", "relative to publication"
    end = (day + dt.timedelta(days=rng.randint(1, 4))).isoformat() if rng.random() < 0.05 else None
    return day.isoformat(), end, "day", f"on {day:%A}", "weekday before publication"


def _quote(rng: random.Random, etype: str, src: str, tgt: str, who: str | None) -> str:
    head = f"{who + ' of ' if who else ''}{src} {VERBS[etype]} {tgt}"
    words = head.split()
    return " ".join(words + rng.sample(FILLER, max(3, 25 - len(words)))) + "."


def synthetic(n: int, seed: int) -> list[tuple[list[Article], list[Event]]]:
    """``n`` events in batches of articles (about 20 events each), deterministic for ``seed``."""
    rng = random.Random(seed)
    codes = [c for c, _, _ in ACTORS]
    weights = [w for _, _, w in ACTORS]
    names = {c: name for c, name, _ in ACTORS}
    people = {c: [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3)] for c in codes}
    batches: list[tuple[list[Article], list[Event]]] = []
    made, a_no = 0, 0
    while made < n:
        arts: list[tuple[str, list[str]]] = []
        events: list[Event] = []
        for _ in range(ARTICLES_PER_WRITE):
            if made >= n:
                break
            aid = f"art{a_no:06d}"
            a_no += 1
            parts: list[str] = []
            for _ in range(min(n - made, rng.randint(EVENTS_PER_ARTICLE - 5, EVENTS_PER_ARTICLE + 5))):
                etype = _pick(rng, TYPE_WEIGHTS)
                src, tgt = rng.choices(codes, weights=weights, k=2)
                while tgt == src:
                    tgt = rng.choices(codes, weights=weights)[0]
                sp = rng.choice(people[src]) if rng.random() < 0.6 else None
                tp = rng.choice(people[tgt]) if rng.random() < 0.4 else None
                date, date_end, precision, date_text, how = _date(rng)
                quote = _quote(rng, etype, names[src], names[tgt], sp)
                start = sum(len(p) + 1 for p in parts)
                parts.append(quote)
                eid = hashlib.sha1(f"{seed}-{made}".encode()).hexdigest()[:16]
                mentions = [Mention(aid, quote, start, start + len(quote))]
                if arts and rng.random() < 0.1:  # also told by the previous article of the batch
                    other_id, other_parts = arts[-1]
                    other = _quote(rng, etype, names[src], names[tgt], sp)
                    o_start = sum(len(p) + 1 for p in other_parts)
                    other_parts.append(other)
                    mentions.append(Mention(other_id, other, o_start, o_start + len(other)))
                events.append(Event(
                    id=eid, article=aid, type=etype, source=src, target=tgt, source_person=sp, target_person=tp,
                    date=date, date_end=date_end, precision=precision, date_text=date_text, date_how=how, quote=quote,
                    quote_start=start, quote_end=start + len(quote), trigger=VERBS[etype].split()[0],
                    confidence=0.9 if date else 0.5, mentions=tuple(mentions)))
                made += 1
            arts.append((aid, parts))
        articles = []
        for aid, parts in arts:
            a, b = rng.sample(codes, 2)
            published = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
            articles.append(Article(id=aid, text="\n".join(parts), title=f"{names[a]} & {names[b]}: <talks> resume",
                                    published=published, published_how="metadata", url=f"https://example.org/{aid}",
                                    source="example.org"))
        batches.append((articles, events))
    return batches


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def build(n: int, seed: int, workdir: Path) -> dict:
    """Write ``n`` synthetic events to a new store with ``Store.replace``, read them back and build the frame."""
    batches = synthetic(n, seed)
    store = Store(workdir / f"events-{n}.sqlite")
    write = sum(timed(lambda a=articles, e=events: store.replace(a, e))[0] for articles, events in batches)
    read, rows = timed(store.event_rows)
    frame_s, df = timed(lambda: flt.frame(rows))
    return {"n": n, "rows": len(rows), "frame": len(df), "write": write, "read": read, "build": frame_s, "df": df}


def change(df, spec: flt.Filters) -> tuple[float, float, object, object, int]:
    """One filter change as the page runs it: (apply + timeline seconds, to_json seconds, shown, note, JSON bytes)."""
    gc.collect()
    t0 = time.perf_counter()
    shown = flt.apply(df, spec)
    fig, note = figures.timeline(shown, spec.lanes, spec.event)
    t1 = time.perf_counter()
    sent = fig.to_json()
    t2 = time.perf_counter()
    markers = sum(len(t.x) for t in fig.data if t.mode == "markers" and t.hoverinfo != "skip")
    return t1 - t0, t2 - t1, (len(shown), markers), note, len(sent.encode("utf-8"))


def measure(builds: list[dict], repeats: int) -> None:
    """Time every filter change on every store, interleaved (repeat, change, size) so load drifts hit all sizes alike."""
    for b in builds:
        b["changes"] = [{"name": name, "cost": [], "json": []} for name, _ in CHANGES]
    figures.timeline(builds[0]["df"].head(50))  # warm up plotly's validators once
    for _ in range(repeats):
        for i, (_, spec) in enumerate(CHANGES):
            for b in builds:
                cost, to_json, (shown, markers), note, size = change(b["df"], spec)
                c = b["changes"][i]
                c["cost"].append(cost)
                c["json"].append(to_json)
                c.update(shown=shown, markers=markers, grouped=note is not None, mb=size / 1e6)
    for b in builds:
        for c in b["changes"]:
            c["cost"], c["json"] = statistics.median(c["cost"]), statistics.median(c["json"])
        b["cost"] = statistics.fmean(c["cost"] for c in b["changes"])
        b["total"] = statistics.fmean(c["cost"] + c["json"] for c in b["changes"])
        b["mb"] = max(c["mb"] for c in b["changes"])


def report(builds: list[dict], repeats: int) -> bool:
    lo, hi = builds[0], builds[-1]
    print(f"filter change = events.filters.apply + events.figures.timeline, median of {repeats}; "
          f"JSON = fig.to_json() as sent to the browser; G = grouped by period (with a note)")
    print()
    cell = 30
    print(f"{'change':<18}" + "".join(f"{'N=' + format(b['n'], ',') + ': ms (shown->markers, MB)':>{cell + 12}}"
                                      for b in builds) + f"{'ratio':>8}")
    for i, (name, _) in enumerate(CHANGES):
        cells = []
        for b in builds:
            c = b["changes"][i]
            cells.append(f"{c['cost'] * 1e3:7.1f} ({c['shown']:>6}->{c['markers']:>5}, {c['mb']:4.2f}{' G' if c['grouped'] else '  '})")
        ratio = hi["changes"][i]["cost"] / lo["changes"][i]["cost"]
        print(f"{name:<18}" + "".join(f"{x:>{cell + 12}}" for x in cells) + f"{ratio:>8.2f}")
    print()
    print(f"{'N events':>9} {'frame rows':>10} {'replace s':>9} {'read s':>7} {'frame() s':>9} {'change ms':>9} "
          f"{'+to_json ms':>11} {'max MB':>7} {'grouped':>7}")
    for b in builds:
        grouped = sum(c["grouped"] for c in b["changes"])
        print(f"{b['n']:>9,} {b['frame']:>10,} {b['write']:>9.2f} {b['read']:>7.2f} {b['build']:>9.2f} "
              f"{b['cost'] * 1e3:>9.1f} {b['total'] * 1e3:>11.1f} {b['mb']:>7.2f} {grouped:>4}/{len(CHANGES)}")
    ratio = hi["cost"] / lo["cost"]
    worst = max(h["cost"] / low["cost"] for h, low in zip(hi["changes"], lo["changes"]))
    biggest = max(b["mb"] for b in builds)
    ok_ratio, ok_size = ratio <= RATIO_BAR, biggest < SIZE_BAR_MB
    print()
    print(f"mean filter change, N={hi['n']:,} / N={lo['n']:,}: {ratio:.2f} (bar <= {RATIO_BAR:g}): "
          f"{'PASS' if ok_ratio else 'FAIL'}; with to_json: {hi['total'] / lo['total']:.2f}; "
          f"worst single change: {worst:.2f} ({'within' if worst <= RATIO_BAR else 'over'} the bar)")
    print(f"largest figure sent: {biggest:.2f} MB (bar < {SIZE_BAR_MB:g} MB): {'PASS' if ok_size else 'FAIL'}")
    return ok_ratio and ok_size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    builds = []
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        for n in sorted(set(args.sizes)):
            print(f"N={n:,}: generating, writing, reading, building the frame…", file=sys.stderr, flush=True)
            builds.append(build(n, args.seed, Path(tmp)))
    print("timing the filter changes…", file=sys.stderr, flush=True)
    measure(builds, args.repeats)
    return 0 if report(builds, args.repeats) else 1


if __name__ == "__main__":
    sys.exit(main())
