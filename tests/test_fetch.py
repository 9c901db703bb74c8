"""Fetching articles by URL, against a local HTTP server: limits and refusals."""
from __future__ import annotations

import http.server
import threading
import time

import pytest

from events.fetch import check_url, fetch
from events.ingest import from_url
from events.model import ArticleError

PAGE = b"""<html><head><title>Envoys meet in Oslo</title>
<meta property="article:published_time" content="2024-05-08T10:00:00Z"></head>
<body><article><h1>Envoys meet in Oslo</h1>
<p>Norway and Sweden signed a fisheries agreement in Oslo on Tuesday, officials said.</p>
<p>The agreement covers quotas in the North Sea and runs for five years from next January.</p>
<p>Both governments said the talks had been long but friendly, and that a review is planned.</p>
</article></body></html>"""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server API)
        if self.path == "/slow":
            time.sleep(3)
        body = PAGE if self.path != "/big" else b"<html><body>" + b"x" * 3_000_000 + b"</body></html>"
        code = 404 if self.path == "/missing" else 200
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_fetched_page_becomes_an_article_with_its_title_date_and_url(server):
    article = from_url(f"{server}/news", allow_private=True)
    assert article.title == "Envoys meet in Oslo"
    assert str(article.published) == "2024-05-08"
    assert "signed a fisheries agreement" in article.text and article.url == f"{server}/news"


def test_addresses_on_this_machine_are_refused_by_default(server):
    with pytest.raises(ArticleError, match="local network"):
        fetch(f"{server}/news")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)", "example.org/x"])
def test_only_http_and_https_urls_are_fetched(url):
    with pytest.raises(ArticleError, match="only http and https"):
        check_url(url)


def test_a_page_over_the_size_cap_is_refused(server):
    with pytest.raises(ArticleError, match="larger than"):
        fetch(f"{server}/big", allow_private=True, max_bytes=1_000_000)


def test_a_slow_server_times_out_with_a_clear_message(server):
    with pytest.raises(ArticleError, match="cannot fetch"):
        fetch(f"{server}/slow", allow_private=True, timeout=0.5)


def test_an_http_error_is_reported_with_its_status(server):
    with pytest.raises(ArticleError, match="404"):
        fetch(f"{server}/missing", allow_private=True)
