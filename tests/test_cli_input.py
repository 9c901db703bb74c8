"""The command line on real files: bad input is reported one line each and the rest goes on.

Each CLI run loads the spaCy model in a subprocess, so the runs are shared by module-scoped
fixtures: six runs in all.
"""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from events.articles import MAX_FILE_BYTES

ROOT = Path(__file__).parents[1]

DATED = " date 2024-05-06 France and Germany signed a defence agreement on Monday.\n"
UNDATED = ("Poland and Lithuania signed a border agreement on Tuesday.\n"
           "Austria and Hungary signed a transport agreement on 3 March 2024.\n")
JSONL_GOOD = {"id": "feed-good", "text": "Italy and Spain signed a trade agreement on Tuesday.", "published": "2024-05-08"}


def run_cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "events", "extract", *map(str, args), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )


def read_events(out: Path) -> list[dict]:
    if out.suffix == ".json":
        return json.loads(out.read_text(encoding="utf-8"))
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def key(e: dict) -> tuple:
    return (e["article"], e["type"], frozenset((e["source"], e["target"])), e["date"], e["precision"])


# --- a folder of good and bad files ---------------------------------------------------------

@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """One run over a folder holding two good articles and six kinds of bad input."""
    folder = tmp_path_factory.mktemp("mixed")
    (folder / "good.txt").write_text(DATED, encoding="utf-8")
    bad = {
        "empty.txt": (b"", "file is empty"),
        "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "binary"),
        "latin1.txt": (b"Le caf\xe9 de la gare.", "not valid UTF-8"),
        "huge.txt": (b"France and Germany met again. " * (MAX_FILE_BYTES // 30 + 1), "over the 10 MB limit"),
        "broken.json": (b'{"id": "broken", "text": "France and Germany', "invalid JSON"),
    }
    for name, (content, _) in bad.items():
        (folder / name).write_bytes(content)
    (folder / "feed.jsonl").write_text('{"id": "feed-bad", "text": oops}\n' + json.dumps(JSONL_GOOD) + "\n",
                                       encoding="utf-8")
    expected = {str(folder / name): problem for name, (_, problem) in bad.items()}
    expected[f"{folder / 'feed.jsonl'}:1"] = "invalid JSON"
    out = tmp_path_factory.mktemp("mixed-out") / "out.jsonl"
    return run_cli(folder, "--out", out), out, expected


def test_bad_input_makes_the_exit_status_non_zero(mixed):
    proc, _, _ = mixed
    assert proc.returncode != 0


def test_each_bad_file_or_line_gets_exactly_one_error_line_naming_it_and_the_problem(mixed):
    proc, _, expected = mixed
    lines = proc.stderr.splitlines()
    assert len(lines) == len(expected), proc.stderr
    for where, problem in expected.items():
        hits = [line for line in lines if line.startswith(f"error: {where}: ")]
        assert len(hits) == 1, f"{where}: {hits}"
        assert problem in hits[0]


def test_bad_input_never_shows_a_traceback(mixed):
    proc, _, _ = mixed
    assert "Traceback" not in proc.stderr
    assert "Error:" not in proc.stderr.replace("error:", "")


def test_the_good_articles_events_are_still_written(mixed):
    _, out, _ = mixed
    found = {key(e) for e in read_events(out)}
    assert ("good", "agreement", frozenset({"FRA", "DEU"}), "2024-05-06", "day") in found
    assert ("feed-good", "agreement", frozenset({"ITA", "ESP"}), "2024-05-07", "day") in found
    assert {e["article"] for e in read_events(out)} == {"good", "feed-good"}


def test_the_good_articles_are_listed_beside_the_events(mixed):
    _, out, _ = mixed
    listed = [json.loads(line) for line in (out.parent / "out.articles.jsonl").read_text().splitlines()]
    assert [(a["id"], a["published"]) for a in listed] == [("feed-good", "2024-05-08"), ("good", "2024-05-06")]


# --- good input only: exit 0, formats, determinism ------------------------------------------

@pytest.fixture(scope="module")
def good_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("good")
    (folder / "dated.txt").write_text(DATED, encoding="utf-8")
    (folder / "undated.txt").write_text(UNDATED, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def good_runs(good_folder, tmp_path_factory):
    """The same good folder exported as .jsonl (twice), .json and .csv."""
    out = tmp_path_factory.mktemp("good-out")
    runs = {}
    for name in ("first.jsonl", "second.jsonl", "events.json", "events.csv"):
        runs[name] = (run_cli(good_folder, "--out", out / name), out / name)
    return runs


def test_a_run_on_good_input_only_exits_0(good_runs):
    for name, (proc, _) in good_runs.items():
        assert proc.returncode == 0, f"{name}: {proc.stderr}"
        assert "error:" not in proc.stderr


def test_an_article_without_a_publication_date_gets_one_warning_naming_it(good_runs):
    proc, _ = good_runs["first.jsonl"]
    assert proc.stderr.splitlines() == [
        "warning: undated: no publication date found; its relative dates stay unresolved "
        "(give --published YYYY-MM-DD)"
    ]


def test_an_undated_articles_relative_date_events_have_no_date(good_runs):
    _, out = good_runs["first.jsonl"]
    undated = {(e["source"], e["target"]): e for e in read_events(out) if e["article"] == "undated"}
    tuesday = undated.get(("POL", "LTU")) or undated[("LTU", "POL")]
    assert (tuesday["type"], tuesday["date"], tuesday["precision"]) == ("agreement", None, None)
    explicit = undated.get(("AUT", "HUN")) or undated[("HUN", "AUT")]
    assert (explicit["date"], explicit["precision"]) == ("2024-03-03", "day"), "an explicit date still resolves"


def test_json_output_holds_the_same_events_as_jsonl(good_runs):
    jsonl = read_events(good_runs["first.jsonl"][1])
    as_json = read_events(good_runs["events.json"][1])
    assert isinstance(as_json, list)
    assert len(jsonl) >= 3
    assert as_json == jsonl


def test_csv_output_holds_the_same_events_as_jsonl(good_runs):
    jsonl = read_events(good_runs["first.jsonl"][1])
    text = good_runs["events.csv"][1].read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert [(r["id"], r["article"], r["type"], r["source"], r["target"], r["date"], r["precision"], r["quote"])
            for r in rows] == [
        (e["id"], e["article"], e["type"], e["source"], e["target"], e["date"] or "", e["precision"] or "", e["quote"])
        for e in jsonl]
    assert [json.loads(r["mentions"]) for r in rows] == [e["mentions"] for e in jsonl]


def test_two_runs_on_the_same_input_give_byte_identical_output(good_runs):
    first, second = good_runs["first.jsonl"][1], good_runs["second.jsonl"][1]
    assert first.read_bytes() == second.read_bytes()
    assert (first.parent / "first.articles.jsonl").read_bytes() == (first.parent / "second.articles.jsonl").read_bytes()


# --- the --published fallback ---------------------------------------------------------------

def test_published_option_dates_an_undated_article_and_silences_the_warning(tmp_path):
    (tmp_path / "undated.txt").write_text(UNDATED, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = run_cli(tmp_path / "undated.txt", "--published", "2024-05-08", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    dates = {frozenset((e["source"], e["target"])): (e["date"], e["precision"]) for e in read_events(out)}
    assert dates[frozenset({"POL", "LTU"})] == ("2024-05-07", "day"), "Tuesday before Wednesday 2024-05-08"
    assert dates[frozenset({"AUT", "HUN"})] == ("2024-03-03", "day")
