"""Project-level checks: docs cover the interface, layers stay apart, lint is clean."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from events.cli import build_parser
from events.model import EVENT_TYPES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_event_type_is_documented_in_the_readme(event_type):
    assert f"`{event_type}`" in README


def test_every_cli_option_is_documented_in_the_readme():
    extract = build_parser()._subparsers._group_actions[0].choices["extract"]
    options = [o for a in extract._actions for o in a.option_strings if o.startswith("--") and o != "--help"]
    assert options and all(f"`{o}" in README for o in options), [o for o in options if f"`{o}" not in README]


def test_the_readme_opens_with_the_dashboard_and_test_commands():
    head = README[:1200]
    assert "streamlit run dashboard.py" in head and "python -m pytest" in head


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -r requirements-dev.txt && python -m pytest" in ci
    assert "pip install -r requirements-dev.txt && python -m pytest" in README


def test_importing_the_package_core_pulls_in_no_streamlit():
    code = "import sys, events, events.extract, events.pipeline, events.cli; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert "==" in line, line


@pytest.mark.skipif(shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
                    reason="ruff not installed")
def test_ruff_finds_nothing():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    out = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_two_processes_give_the_same_events_as_one(tmp_path):
    runs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"events{jobs}.jsonl"
        subprocess.run([sys.executable, "-m", "events", "extract", str(ROOT / "seeds"), "--out", str(out),
                        "--jobs", jobs, "--quiet"], cwd=ROOT, check=True, timeout=300)
        runs.append(out.read_bytes())
    assert runs[0] == runs[1] and json.loads(runs[0].splitlines()[0])["id"]


def test_every_url_parameter_is_documented_in_the_readme():
    from events.filters import PARAMS

    assert all(f"`{p}`" in README for p in PARAMS), [p for p in PARAMS if f"`{p}`" not in README]
