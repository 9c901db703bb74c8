"""The page in a real Chromium: filters from the URL, hover quotes, URL updates, adding articles, escaping.

Needs Chromium (``$CHROMIUM_PATH`` or /usr/bin/chromium) and the playwright package; skipped without them.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from events.articles import load_paths, make_article
from events.lexicon import default_lexicon
from events.pipeline import extract_articles
from events.store import Store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE = '<b>bold</b> <a href="https://example.org">x</a> <img src=x onerror=alert(1)>'
POINTS = ".js-plotly-plot .scatterlayer .trace .point"

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, nlp):
    tmp = tmp_path_factory.mktemp("browser")
    store = tmp / "events.sqlite"
    articles = list(load_paths([ROOT / "seeds"]))
    articles.append(make_article("hostile", f"Peru and Chile signed a border treaty on Monday in Lima ({HOSTILE}).",
                                 title=f"Treaty {HOSTILE}", published="2024-03-06"))
    Store(store).replace(articles, extract_articles(articles, nlp, default_lexicon()).events)
    port = _free_port()
    log = open(tmp / "streamlit.log", "w")
    env = {**os.environ, "EVENTS_STORE": str(store)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail("the dashboard did not start")
    yield base, store
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def open_view(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(POINTS, timeout=90_000)
    page.wait_for_timeout(500)


def legend(page) -> set[str]:
    return {t.strip() for t in page.locator(".js-plotly-plot .legend .legendtext").all_text_contents()}


def hover_text_at(page, point) -> str:
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = page.locator(".js-plotly-plot g.hoverlayer g.hovertext")
    label.first.wait_for(timeout=10_000)
    return " ".join(label.first.locator("text").all_text_contents())


def test_a_url_with_filters_draws_only_matching_events(server, page):
    base, store = server
    meetings = [r for r in Store(store).event_rows() if r["type"] == "meeting"]
    open_view(page, f"{base}/?type=meeting")
    assert legend(page) == {"meeting"}
    assert page.locator(POINTS).count() == len(meetings)


def test_hovering_an_event_shows_its_source_quote(server, page):
    base, store = server
    [call] = [r for r in Store(store).event_rows() if r["type"] == "call"]
    open_view(page, f"{base}/?type=call")
    text = hover_text_at(page, page.locator(POINTS).first)
    assert call["quote"][:25] in text and "call" in text


def test_changing_a_filter_updates_the_url_and_that_url_gives_the_same_view(server, page, browser):
    base, _ = server
    open_view(page, f"{base}/?type=meeting")
    types = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(has_text="Event types")
    types.get_by_role("button", name="Remove meeting").click()
    page.wait_for_url(re.compile(r"/(\?)?$"), timeout=30_000)
    types.get_by_role("combobox").click()
    page.get_by_role("option", name="strike", exact=True).click()
    page.wait_for_url(re.compile(r"\?type=strike$"), timeout=30_000)
    page.wait_for_timeout(800)
    url, points, names = page.url, page.locator(POINTS).count(), legend(page)
    assert names == {"strike"}
    fresh = browser.new_page(viewport={"width": 1280, "height": 900})
    open_view(fresh, url)
    assert fresh.locator(POINTS).count() == points and legend(fresh) == names
    fresh.close()


def test_html_in_an_article_is_shown_as_literal_text_with_no_dialog_or_link(server, page):
    base, store = server
    event = next(r for r in Store(store).event_rows() if r["article"] == "hostile")
    open_view(page, f"{base}/?actor=PER&event={event['id']}")
    text = hover_text_at(page, page.locator(POINTS).first)
    assert "<b>bold</b>" in text and "<img src=x" in text.replace("\n", " ")
    details = page.locator(".article-text").inner_text()
    assert HOSTILE in details
    assert page.locator('a[href="https://example.org"]').count() == 0
    assert page.locator("img[src='x']").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []


def test_adding_an_article_through_the_page_shows_its_events(server, page):
    base, _ = server
    open_view(page, f"{base}/")
    page.get_by_text("Add articles").click()
    page.get_by_role("tab", name="Paste text").click()
    page.get_by_label("Title").fill("Border talks")
    page.get_by_label("Article text").fill("Bolivia and Paraguay signed a border agreement on Tuesday.")
    page.get_by_label("Publication date", exact=True).locator("[role=spinbutton]").first.click()
    page.keyboard.type("20240508")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Add text").click()
    page.get_by_text(re.compile(r"Added 1 article")).wait_for(timeout=90_000)
    open_view(page, f"{base}/?actor=BOL")
    assert page.locator(POINTS).count() >= 1
    assert "agreement" in legend(page)


def test_the_csv_download_holds_the_filtered_events(server, page):
    base, store = server
    calls = [r for r in Store(store).event_rows() if r["type"] == "call"]
    open_view(page, f"{base}/?type=call")
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    assert lines[0].startswith("date,") and len(lines) == 1 + len(calls)
    assert calls[0]["quote"][:30] in text


def test_clicking_an_event_opens_its_details_and_puts_it_in_the_url(server, page):
    base, store = server
    [call] = [r for r in Store(store).event_rows() if r["type"] == "call"]
    open_view(page, f"{base}/?type=call")
    box = page.locator(POINTS).first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text("Event details").wait_for(timeout=30_000)
    page.wait_for_url(re.compile(rf"event={call['id']}"), timeout=30_000)
    assert call["quote"][:30] in page.locator(".article-text mark").inner_text()
