"""Fetching an article page by URL, with the limits a shared server needs.

Only http and https; no addresses on this machine or the local network unless allowed;
a timeout and a size cap. Errors are ArticleError with a message for the page.
"""
from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlparse

from .model import ArticleError

TIMEOUT_S = 15
MAX_BYTES = 5_000_000
USER_AGENT = "diplomatic-events-timeline/0.1 (+article fetcher)"


def check_url(url: str, allow_private: bool = False) -> str:
    """The URL if it may be fetched, else ArticleError saying why."""
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https"):
        raise ArticleError(f"only http and https URLs can be fetched, not {parsed.scheme or 'a bare name'!r}")
    if not parsed.hostname:
        raise ArticleError("the URL has no host name")
    if not allow_private:
        try:
            infos = socket.getaddrinfo(parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80))
        except socket.gaierror:
            raise ArticleError(f"cannot resolve host {parsed.hostname!r}") from None
        for info in infos:
            ip = ipaddress.ip_address(info[4][0])
            if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
                raise ArticleError(f"{parsed.hostname} is on the local network: refused")
    return url.strip()


def fetch(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES, allow_private: bool = False) -> str:
    """The page at ``url`` as text (HTML), within ``timeout`` seconds and ``max_bytes``."""
    url = check_url(url, allow_private)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 (scheme checked above)
            data = resp.read(max_bytes + 1)
            charset = resp.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as err:
        raise ArticleError(f"the server answered {err.code} {err.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise ArticleError(f"cannot fetch the page: {reason}") from None
    if len(data) > max_bytes:
        raise ArticleError(f"the page is larger than {max_bytes / 1e6:g} MB")
    return data.decode(charset, errors="replace")
