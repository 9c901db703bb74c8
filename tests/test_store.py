"""The event store loses no data: concurrent writers, killed writers, re-extraction, readers, exports.

Writers run in separate processes (multiprocessing, 'spawn'); the helpers they run are at module
level so that the child can import them. A writer is stopped mid-transaction without patching:
``_StallingStore`` is a Store whose connection blocks on a chosen statement, after every statement
before it has run, until the parent kills it with SIGKILL.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from events.model import Article, Event, Mention
from events.store import Store

ROOT = Path(__file__).resolve().parents[1]
CTX = multiprocessing.get_context("spawn")
DAY = "2024-03-06"


# --- building articles and events without the extractor ----------------------------------------

def article(aid: str, text: str | None = None, title: str | None = None) -> Article:
    import datetime as dt

    text = text or f"France and Germany signed agreement number {aid} on Monday. Italy called Spain about {aid}."
    return Article(id=aid, text=text, title=title or f"title {aid}", published=dt.date(2024, 3, 6), published_how="test")


def event(a: Article, k: int, *, tag: str = "", mentions: tuple[Mention, ...] | None = None) -> Event:
    """Event ``k`` of article ``a`` (its quote is the article's first sentence)."""
    end = a.text.index(".") + 1
    quote = a.text[:end]
    eid = hashlib.sha1(f"{a.id}|{k}|{tag}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return Event(id=eid, article=a.id, type="agreement", source="FRA", target="DEU", source_person=None, target_person=None,
                 date=DAY, date_end=None, precision="day", date_text="Monday", date_how=f"test {tag}", quote=quote,
                 quote_start=0, quote_end=end, trigger="signed", confidence=0.9,
                 mentions=(Mention(a.id, quote, 0, end),) if mentions is None else mentions)


def batch(prefix: str, n_articles: int, n_events: int, tag: str = "") -> tuple[list[Article], list[Event]]:
    arts = [article(f"{prefix}-{i:04d}") for i in range(n_articles)]
    return arts, [event(a, k, tag=tag) for a in arts for k in range(n_events)]


def snapshot(path: Path) -> dict:
    """Everything a user of the store can see, read in one transaction."""
    with closing(sqlite3.connect(path)) as con:
        con.execute("BEGIN")
        state = {
            "articles": con.execute("SELECT * FROM articles ORDER BY id").fetchall(),
            "events": con.execute("SELECT * FROM events ORDER BY id").fetchall(),
            "meta": con.execute("SELECT * FROM meta ORDER BY key").fetchall(),
        }
        con.execute("COMMIT")
    return state


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as con:
        return con.execute("PRAGMA integrity_check").fetchone()[0]


def events_by_article(store: Store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in store.event_rows():
        out.setdefault(r["article"], set()).add(r["id"])
    return out


# --- helpers run in child processes --------------------------------------------------------------

def _writer(path: str, prefix: str, rounds: int, per_round: int, n_events: int, start) -> None:
    store = Store(path)
    start.wait(60)
    for r in range(rounds):
        arts, evs = batch(f"{prefix}-r{r:02d}", per_round, n_events)
        store.replace(arts, evs)


class _StallingConnection:
    """A sqlite3 connection that, on the ``after``-th statement starting with ``stall_on``,
    reports ``ready`` and sleeps (inside the open transaction) until it is killed."""

    def __init__(self, con: sqlite3.Connection, stall_on: str, after: int, ready) -> None:
        self.con, self.stall_on, self.after, self.ready, self.seen = con, stall_on, after, ready, 0

    def execute(self, sql: str, *params):
        if sql.startswith(self.stall_on):
            self.seen += 1
            if self.seen == self.after:
                self.ready.set()
                time.sleep(600)
        return self.con.execute(sql, *params)

    def close(self) -> None:
        self.con.close()


class _StallingStore(Store):
    armed: tuple | None = None

    def _connect(self):
        con = super()._connect()
        return _StallingConnection(con, *self.armed) if self.armed else con


def _stall_in_replace(path: str, stall_on: str, after: int, ready, n_articles: int, n_events: int) -> None:
    store = _StallingStore(path)
    store.armed = (stall_on, after, ready)
    # re-extract the articles already stored (new events) and add as many new ones
    old, _ = batch("base", n_articles, 0)
    new, _ = batch("new", n_articles, 0)
    arts = [article(a.id, a.text + " Updated.", title="changed") for a in old] + new
    store.replace(arts, [event(a, k, tag="v2") for a in arts for k in range(n_events)])


def _flipper(path: str, rounds: int, started) -> None:
    """Round i: article 'a' gets 3 or 5 events (its title says which) and a new article b-i one event."""
    store = Store(path)
    started.set()
    for i in range(1, rounds + 1):
        n = 3 if i % 2 else 5
        a = article("a", title=f"n={n}")
        b = article(f"b-{i:04d}")
        store.replace([a, b], [event(a, k, tag=str(i)) for k in range(n)] + [event(b, 0)])


# --- (a) concurrent writers --------------------------------------------------------------------

@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "existing-file"])
def test_two_processes_writing_at_once_both_land(tmp_path, existing):
    path = tmp_path / "store.sqlite"
    if existing:
        arts, evs = batch("seed", 3, 2)
        Store(path).replace(arts, evs)
    before = Store(path).count() if existing else (0, 0)
    version = Store(path).version() if existing else 0
    rounds, per_round, n_events = 6, 3, 4
    expected_articles: set[str] = set()
    for trial in range(3):
        start = CTX.Event()
        procs = [CTX.Process(target=_writer, args=(str(path), f"t{trial}-{name}", rounds, per_round, n_events, start))
                 for name in ("p", "q")]
        if trial == 0 and not existing:
            assert not path.exists()  # both children create the file at the same time
        for p in procs:
            p.start()
        start.set()
        for p in procs:
            p.join(120)
            assert p.exitcode == 0
        expected_articles |= {f"t{trial}-{name}-r{r:02d}-{i:04d}" for name in ("p", "q") for r in range(rounds) for i in range(per_round)}
        store = Store(path)
        stored = {a["id"] for a in store.articles()}
        assert expected_articles <= stored
        assert store.count() == (before[0] + len(expected_articles), before[1] + len(expected_articles) * n_events)
        assert store.version() == version + (trial + 1) * 2 * rounds
        assert all(len(ids) == n_events for aid, ids in events_by_article(store).items() if aid in expected_articles)
    assert integrity(path) == "ok"


# --- (b) a writer killed mid-transaction ---------------------------------------------------------

@pytest.mark.parametrize("stall_on, after", [
    ("INSERT OR REPLACE INTO events", 1),        # the first new event
    ("INSERT OR REPLACE INTO events", 3_000),    # halfway through the events
    ("UPDATE meta", 1),                          # every row written, the version bumped
    ("COMMIT", 1),                               # all done but the commit
])
def test_a_writer_killed_mid_transaction_leaves_the_store_as_it_was(tmp_path, stall_on, after):
    path = tmp_path / "store.sqlite"
    arts, evs = batch("base", 40, 5)
    store = Store(path)
    store.replace(arts, evs)
    before, counts, version = snapshot(path), store.count(), store.version()
    ready = CTX.Event()
    child = CTX.Process(target=_stall_in_replace, args=(str(path), stall_on, after, ready, 40, 75))  # 6,000 new events
    child.start()
    try:
        assert ready.wait(120), "the writer never reached the statement to stall on"
        assert child.is_alive()
        # the transaction is open and holds the write lock: readers still see the old state
        assert store.count() == counts and store.version() == version
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
    assert child.exitcode == -signal.SIGKILL
    reopened = Store(path)
    assert reopened.count() == counts and reopened.version() == version
    assert snapshot(path) == before
    assert integrity(path) == "ok"
    # the lock died with the writer: the next write goes through at once
    t0 = time.monotonic()
    reopened.replace(*batch("after", 1, 1))
    assert time.monotonic() - t0 < 5 and reopened.count() == (counts[0] + 1, counts[1] + 1)
    assert integrity(path) == "ok"


def test_a_failing_replace_rolls_back_everything(tmp_path):
    import dataclasses

    path = tmp_path / "store.sqlite"
    store = Store(path)
    store.replace(*batch("base", 3, 2))
    before = snapshot(path)
    arts, evs = batch("base", 3, 4, tag="v2")
    evs[-1] = dataclasses.replace(evs[-1], quote=None)  # NOT NULL: fails on the last insert
    with pytest.raises(sqlite3.IntegrityError):
        store.replace(arts, evs)
    assert snapshot(path) == before


# --- (c) re-extraction replaces an article's events ----------------------------------------------

def test_reextracting_replaces_the_articles_events_and_nothing_else(tmp_path):
    path = tmp_path / "store.sqlite"
    store = Store(path)
    a, b = article("a"), article("b")
    store.replace([a, b], [event(a, 1), event(a, 2), event(b, 1)])
    b_row = [r for r in snapshot(path)["articles"] if r[0] == "b"]
    b_events = [r for r in snapshot(path)["events"] if r[1] == "b"]
    v = store.version()

    a2 = article("a", text="Italy called Spain on Friday. Nothing else happened.", title="second")
    store.replace([a2], [event(a2, 3)])
    assert events_by_article(store) == {"a": {event(a2, 3).id}, "b": {event(b, 1).id}}
    assert store.article_text("a") == a2.text and {r["id"]: r["title"] for r in store.articles()}["a"] == "second"
    assert [r for r in snapshot(path)["articles"] if r[0] == "b"] == b_row
    assert [r for r in snapshot(path)["events"] if r[1] == "b"] == b_events
    assert store.version() == v + 1

    store.replace([article("a", text="No events here.")], [])
    assert events_by_article(store) == {"b": {event(b, 1).id}} and store.count() == (2, 1)
    assert store.version() == v + 2


def test_reextracting_with_the_extractor(tmp_path, nlp):
    import datetime as dt

    from events.articles import make_article
    from events.lexicon import default_lexicon
    from events.pipeline import extract_articles

    lex = default_lexicon()
    day = dt.date(2024, 3, 6)
    store = Store(tmp_path / "store.sqlite")
    first = [make_article("a", "France and Germany signed a defence agreement on Monday.", published=day),
             make_article("b", "Japan and India signed a trade agreement on Tuesday.", published=day)]
    store.replace(first, extract_articles(first, nlp, lex).events)
    old = events_by_article(store)
    assert set(old) == {"a", "b"}
    second = [make_article("a", "Italy called Spain on Friday. Egypt sent humanitarian aid to Sudan on Sunday.", published=day)]
    new_events = extract_articles(second, nlp, lex).events
    store.replace(second, new_events)
    now = events_by_article(store)
    assert now["a"] == {e.id for e in new_events} and not (now["a"] & old["a"])
    assert now["b"] == old["b"]
    rows = {r["id"]: r for r in store.event_rows()}
    for e in new_events:
        assert rows[e.id]["quote"] == second[0].text[e.quote_start:e.quote_end]


def test_an_event_told_by_several_articles_is_stored_for_each(tmp_path):
    """Merged events are stored once per article that tells them; long article ids must not collide."""
    path = tmp_path / "store.sqlite"
    store = Store(path)
    stem = "2024-03-06-reuters-france-and-germany-sign-a-defence-treaty-in-paris"
    arts = [article("lead"), article(stem + "-part-1"), article(stem + "-part-2")]
    lead = event(arts[0], 0)
    merged = event(arts[0], 0, mentions=tuple(Mention(a.id, a.text[:10], 0, 10) for a in arts))
    assert lead.id == merged.id
    store.replace(arts, [merged])
    stored = events_by_article(store)
    assert set(stored) == {a.id for a in arts} and all(len(ids) == 1 for ids in stored.values())
    rows = store.event_rows()
    assert len({r["id"] for r in rows}) == 3
    assert {r["article"]: r["quote"] for r in rows} == {a.id: (a.text[:10] if a.id != "lead" else lead.quote) for a in arts}


def test_an_event_without_mentions_is_not_dropped(tmp_path):
    store = Store(tmp_path / "store.sqlite")
    a = article("a")
    store.replace([a], [event(a, 0, mentions=())])
    assert store.count() == (1, 1)


def test_text_that_utf8_cannot_hold_does_not_lose_the_batch(tmp_path):
    """A lone surrogate (a JSON "\\ud800" escape gets through the loader) is stored as U+FFFD;
    offsets stay valid and the other articles of the batch are stored too."""
    store = Store(tmp_path / "store.sqlite")
    bad = article("bad", text="France and Germany \ud800 signed a treaty. Then more.")
    good = article("good")
    store.replace([good, bad], [event(good, 0), event(bad, 0)])
    assert store.count() == (2, 2)
    text = store.article_text("bad")
    assert text == bad.text.replace("\ud800", "\ufffd") and len(text) == len(bad.text)
    row = next(r for r in store.event_rows() if r["article"] == "bad")
    assert text[row["quote_start"]:row["quote_end"]] == row["quote"]


# --- (d) readers during a replace ----------------------------------------------------------------

def test_readers_see_the_old_state_or_the_new_never_a_mix(tmp_path):
    path = tmp_path / "store.sqlite"
    store = Store(path)
    a = article("a", title="n=3")
    store.replace([a], [event(a, k, tag="0") for k in range(3)])
    rounds = 600
    valid = {(1, 3)} | {(1 + i, (3 if i % 2 else 5) + i) for i in range(1, rounds + 1)}
    started = CTX.Event()
    child = CTX.Process(target=_flipper, args=(str(path), rounds, started))
    child.start()
    assert started.wait(60)
    seen = 0
    try:
        while child.is_alive() or seen < 50:
            for _ in range(5):  # articles and events counted in one snapshot
                counts = store.count()
                assert counts in valid, counts
            rows = [r for r in store.event_rows() if r["article"] == "a"]
            assert {r["article_title"] for r in rows} == {f"n={len(rows)}"}, [(r["article_title"], r["id"]) for r in rows]
            assert len({r["date_how"] for r in rows}) == 1, "events of two extractions mixed"
            seen += 1
    finally:
        child.join(120)
    assert child.exitcode == 0
    assert store.count() == (1 + rounds, (3 if rounds % 2 else 5) + rounds)


# --- (e) the CLI: same corpus, same bytes; formula-safe CSV -------------------------------------

CORPUS = {
    "a.txt": " date 2024-05-06 =France and Germany signed a defence agreement on Monday.\n",
    "b.json": json.dumps({"id": "b", "published": "2024-05-08", "title": "Talks",
                          "text": "- Poland and Lithuania signed a border agreement on Tuesday.\n"
                                  "+ Italy and Spain signed a trade agreement on Monday."}),
    "c.jsonl": json.dumps({"id": "c", "published": "2024-05-08",
                           "text": "@ Japan and India signed a defence agreement on Monday. Egypt sent humanitarian aid to Sudan "
                                   "on 3 May 2024."}) + "\n",
}
FORMULA = ("=", "+", "-", "@")


def _run_all(folder: Path, outs: list[tuple[Path, str]]) -> None:
    procs = []
    for out, seed in outs:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        procs.append(subprocess.Popen([sys.executable, "-m", "events", "extract", str(folder), "--out", str(out), "--quiet"],
                                      cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err


def test_the_cli_gives_byte_identical_exports_and_formula_safe_csv(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in CORPUS.items():
        (folder / name).write_text(text, encoding="utf-8")
    runs = [(tmp_path / f"run{n}{suffix}" / f"events{suffix}", seed) for suffix in (".jsonl", ".json", ".csv")
            for n, seed in ((1, "1"), (2, "2"))]
    _run_all(folder, runs)
    by_suffix: dict[str, list[bytes]] = {}
    for out, _ in runs:
        articles = out.with_name(out.name.rsplit(".", 1)[0] + ".articles.jsonl")
        by_suffix.setdefault(out.suffix, []).append(out.read_bytes() + b"\0" + articles.read_bytes())
    for suffix, outputs in by_suffix.items():
        assert outputs[0] == outputs[1], f"two runs gave different {suffix} exports"

    jsonl = [json.loads(line) for line in (tmp_path / "run1.jsonl" / "events.jsonl").read_text(encoding="utf-8").split("\n") if line]
    assert jsonl == json.loads((tmp_path / "run1.json" / "events.json").read_text(encoding="utf-8"))
    assert {e["article"] for e in jsonl} == {"a", "b", "c"}
    raw_quotes = {e["quote"][0] for e in jsonl}
    assert set(FORMULA) <= raw_quotes, raw_quotes  # the corpus does make quotes that start like formulas

    rows = list(csv.reader(io.StringIO((tmp_path / "run1.csv" / "events.csv").read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    assert len(body) == len(jsonl)
    for row in body:
        for cell in row:
            assert not cell.startswith(FORMULA), cell
    quotes = [row[header.index("quote")] for row in body]
    for e, quote in zip(jsonl, quotes):
        assert quote == ("'" + e["quote"] if e["quote"].startswith(FORMULA) else e["quote"])
