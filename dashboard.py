"""The diplomatic-events timeline page. Widgets and wiring only: the logic lives in ``events``.

The URL is the view: on a session's first run the query string seeds the widgets (with a
notice for anything ignored); after every run the widgets' state is written back to it.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from events import figures
from events import filters as flt
from events.articles import LoadError, load_paths
from events.export import rows_to_text
from events.ingest import add, from_paste, from_uploads, from_url, safe_link
from events.lexicon import default_lexicon
from events.model import EVENT_TYPES, PRECISIONS, ArticleError
from events.nlp import load_model
from events.store import Store, store_path

SEEDS = Path(__file__).parent / "seeds"
ALLOW_PRIVATE_URLS = os.environ.get("EVENTS_ALLOW_PRIVATE_URLS") == "1"
MAX_UPLOAD_MB = float(os.environ.get("EVENTS_MAX_UPLOAD_MB", "10"))
TABLE_MAX_ROWS = 5000
TABLE_COLUMNS = ["date", "precision", "type", "source", "source_person", "target", "target_person", "quote",
                 "article", "date_text", "n_articles", "id"]

st.set_page_config(page_title="Diplomatic events timeline", page_icon="🗓️", layout="wide")


@st.cache_resource(show_spinner="Loading the language model…")
def nlp():
    return load_model()


@st.cache_resource
def _store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """The shared store (its path from $EVENTS_STORE, read on every run)."""
    return _store(str(store_path()))


@st.cache_data(show_spinner=False, max_entries=4)
def events_frame(version: int, path: str) -> pd.DataFrame:
    return flt.frame(Store(path).event_rows())


@st.cache_data(show_spinner=False, max_entries=4)
def article_titles(version: int, path: str) -> dict[str, str]:
    return {r["id"]: r["title"] or r["id"] for r in Store(path).articles()}


def md(text: object) -> str:
    """Text for st.markdown shown as itself: HTML escaped and Markdown characters backslashed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|>~$])", r"\\\1", html.escape(str(text), quote=False))


def seed_if_empty(db: Store) -> None:
    if db.count()[0]:
        return
    articles = [a for a in load_paths([SEEDS]) if not isinstance(a, LoadError)]
    bar = st.progress(0.0, text="First start: extracting the seed articles…")
    add(db, articles, nlp(), default_lexicon(), progress=lambda f, t: bar.progress(f, text=t))
    bar.empty()


def init_from_url(df: pd.DataFrame) -> None:
    """Seed the widgets from the query string, once per session."""
    if st.session_state.get("_seeded"):
        return
    raw = {k: st.query_params.get_all(k) for k in st.query_params}
    spec, notes = flt.parse_query(raw)
    actors = sorted(set(df["source"]) | set(df["target"]))
    unknown = [a for a in spec.actors if a not in actors]
    if unknown:
        notes.append(f"No stored events involve {', '.join(unknown)}: left out of the actor filter.")
    articles = set(df["article"])
    missing = [a for a in spec.articles if a not in articles]
    if missing:
        notes.append(f"Unknown article id(s) left out: {', '.join(flt.short(a) for a in missing)}.")
    people = set(df["source_person"].dropna()) | set(df["target_person"].dropna())
    st.session_state.update({
        "actors": [a for a in spec.actors if a in actors],
        "people": [p for p in spec.people if p in people],
        "mode": spec.mode, "types": list(spec.types), "date_from": spec.date_from, "date_to": spec.date_to,
        "articles": [a for a in spec.articles if a in articles], "q": spec.text,
        "precisions": list(spec.precisions), "lanes": spec.lanes, "view": spec.view,
        "selected": spec.event, "_notes": notes, "_seeded": True,
    })
    if spec.event and spec.event not in set(df["id"]):
        notes.append(f"Event '{flt.short(spec.event)}' is not in the store.")
        st.session_state["selected"] = None


def current_filters() -> flt.Filters:
    s = st.session_state
    return flt.Filters(
        actors=tuple(s.get("actors") or ()), people=tuple(s.get("people") or ()), mode=s.get("mode") or "any",
        types=tuple(s.get("types") or ()), date_from=s.get("date_from"), date_to=s.get("date_to"),
        articles=tuple(s.get("articles") or ()), text=(s.get("q") or "").strip()[: flt.MAX_TEXT],
        precisions=tuple(s.get("precisions") or ()), lanes=s.get("lanes") or "type",
        view=s.get("view") or "timeline", event=s.get("selected"),
    )


def sync_url(spec: flt.Filters) -> str:
    """Write the view into the query string; return the query string."""
    query = flt.to_query(spec)
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    if current != query:
        st.query_params.from_dict(query)
    return urlencode(query, doseq=True)


def sidebar(df: pd.DataFrame) -> None:
    sb = st.sidebar
    sb.header("Filters")
    actors = sorted(set(df["source"]) | set(df["target"]))
    names = default_lexicon().name
    sb.multiselect("Actors", actors, key="actors", format_func=lambda c: f"{c} · {names(c)}",
                   help="Countries and organisations")
    sb.radio("Actor match", list(flt.MODES), key="mode", format_func=flt.MODES.get, horizontal=True,
             help="'between': both sides among the chosen actors")
    people = sorted(set(df["source_person"].dropna()) | set(df["target_person"].dropna()))
    sb.multiselect("People", people, key="people")
    sb.multiselect("Event types", list(EVENT_TYPES), key="types", placeholder="All types")
    c1, c2 = sb.columns(2)
    c1.date_input("From", key="date_from", min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31),
                  format="YYYY-MM-DD")
    c2.date_input("To", key="date_to", min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31),
                  format="YYYY-MM-DD")
    titles = article_titles(store().version(), str(store().path))
    sb.multiselect("Articles", sorted(titles), key="articles", format_func=lambda a: titles.get(a, a)[:80],
                   placeholder="All articles")
    sb.text_input("Search quotes", key="q", max_chars=flt.MAX_TEXT, placeholder="e.g. drones")
    sb.multiselect("Date precision", list(PRECISIONS), key="precisions", placeholder="Any precision")
    if sb.button("Clear filters", width="stretch"):
        reset_filters()
        st.rerun()


def reset_filters() -> None:
    for key, value in {"actors": [], "people": [], "mode": "any", "types": [], "date_from": None, "date_to": None,
                       "articles": [], "q": "", "precisions": [], "selected": None}.items():
        st.session_state[key] = value


def details(df_all: pd.DataFrame, event_id: str, shown: pd.DataFrame) -> None:
    rows = df_all[df_all["id"] == event_id]
    if rows.empty:
        return
    row = rows.iloc[0]
    st.subheader("Event details")
    if event_id not in set(shown["id"]):
        st.info("This event is outside the current filters.")
    c1, c2 = st.columns([2, 3])
    with c1:
        st.markdown(f"**{md(row['type'])}**: {md(row['source'])} {md(row['source_person'] or '')} → "
                    f"{md(row['target'])} {md(row['target_person'] or '')}")
        st.markdown(f"**Date:** {md(figures.date_label(row))} ({md(row['precision'] or 'undated')})")
        st.markdown(f"**Resolved from:** {md(row['date_text'] or '—')}; {md(row['date_how'])}")
        link = safe_link(row.get("article_url"))
        st.markdown(f"**Article:** {md(row['article_title'] or row['article'])}, published "
                    f"{md(row['article_published'] or 'unknown')}")
        if link:
            st.link_button("Open the article", link)
        elif isinstance(row.get("article_url"), str) and row["article_url"]:
            st.text(f"URL (not a web link): {row['article_url']}")
        mentions = figures.mentions_of(row)
        st.markdown(f"**Mentions ({len(mentions)}):**")
        st.dataframe(pd.DataFrame(mentions, columns=["article", "quote", "quote_start", "quote_end"]),
                     hide_index=True, width="stretch")
    with c2:
        text = store().article_text(row["article"]) or ""
        s, e = int(row["quote_start"]), int(row["quote_end"])
        body = (html.escape(text[:s]) + "<mark>" + html.escape(text[s:e]) + "</mark>" + html.escape(text[e:]))
        st.html(f'<div class="article-text" style="white-space: pre-wrap; max-height: 420px; overflow-y: auto; '
                f'border: 1px solid #ddd; padding: 0.8em; font-size: 0.9em">{body}</div>')


def add_articles_panel() -> None:
    with st.expander("Add articles", expanded=False):
        st.caption(f"Files: .txt, .html, .json, .jsonl, up to {MAX_UPLOAD_MB:g} MB each. "
                   "Added articles are stored on the server, so a shared link shows them to colleagues.")
        published = st.date_input("Publication date (used only where none is found)", value=None, key="add_published",
                                  format="YYYY-MM-DD")
        tab_up, tab_paste, tab_url = st.tabs(["Upload files", "Paste text", "From a URL"])
        with tab_up, st.form("upload", clear_on_submit=True):
            files = st.file_uploader("Article files", type=["txt", "html", "htm", "json", "jsonl"],
                                     accept_multiple_files=True)
            if st.form_submit_button("Add files") and files:
                arts, problems = from_uploads([(f.name, f.getvalue()) for f in files], published,
                                              limit=int(MAX_UPLOAD_MB * 1e6))
                run_add(arts, problems)
        with tab_paste, st.form("paste", clear_on_submit=False):
            title = st.text_input("Title")
            url = st.text_input("URL (optional)")
            day = st.date_input("Publication date", value=None, format="YYYY-MM-DD")
            text = st.text_area("Article text", height=200)
            if st.form_submit_button("Add text"):
                try:
                    run_add([from_paste(text, title, day or published, url)], [])
                except ArticleError as err:
                    st.error(f"Pasted text: {err}")
        with tab_url, st.form("fetch"):
            url = st.text_input("Article URL", placeholder="https://…")
            if st.form_submit_button("Fetch and add") and url.strip():
                try:
                    with st.spinner("Fetching…"):
                        article = from_url(url, published, allow_private=ALLOW_PRIVATE_URLS)
                    run_add([article], [])
                except ArticleError as err:
                    st.error(f"{url[:200]}: {err}")


def run_add(articles, problems: list[str]) -> None:
    for p in problems:
        st.error(p)
    if not articles:
        return
    bar = st.progress(0.0, text="Extracting…")
    result = add(store(), articles, nlp(), default_lexicon(), progress=lambda f, t: bar.progress(f, text=t))
    bar.empty()
    for p in result.problems:
        st.error(p)
    for a in result.undated:
        st.warning(f"{a}: no publication date found in the text or URL. Set the publication date above and add "
                   "it again, so that 'on Tuesday' or 'last month' can be resolved.")
    if result.articles:
        st.session_state["_added"] = f"Added {len(result.articles)} article(s) with {result.events} event(s)."
        st.rerun()


def main() -> None:
    db = store()
    try:
        seed_if_empty(db)
    except ArticleError as err:
        st.error(str(err))
    df_all = events_frame(db.version(), str(db.path))
    init_from_url(df_all)
    st.title("Diplomatic events timeline")
    for note in st.session_state.get("_notes", []):
        st.warning(md(note), icon="⚠️")
    if st.session_state.get("_added"):
        st.success(st.session_state.pop("_added"))
    sidebar(df_all)
    spec = current_filters()
    shown = flt.apply(df_all, spec)
    st.markdown(f"**{md(flt.summary(shown))}** · {md(flt.describe(spec))}")
    c1, c2, c3 = st.columns([3, 3, 2])
    c1.segmented_control("View", list(flt.VIEWS), key="view", format_func=flt.VIEWS.get)
    if st.session_state.get("view") is None:
        st.session_state["view"] = "timeline"
    c2.segmented_control("Lanes by", list(flt.LANES), key="lanes", format_func=flt.LANES.get)
    if st.session_state.get("lanes") is None:
        st.session_state["lanes"] = "type"
    spec = current_filters()
    query = sync_url(spec)
    with c3.popover("Share this view", width="stretch"):
        base = str(getattr(st.context, "url", "") or "").split("?")[0]
        st.code(f"{base}?{query}" if query else base, language=None)
        st.caption("Copy this link: it opens this exact view, with these filters, for a colleague.")

    if shown.empty:
        st.info("No events match these filters. Widen the dates, clear the text search or pick other actors.")
        if st.button("Clear all filters"):
            reset_filters()
            st.rerun()
    elif spec.view == "monthly":
        st.plotly_chart(figures.monthly(shown), width="stretch", key="monthly")
    elif spec.view == "network":
        st.plotly_chart(figures.network(shown, default_lexicon().country_names), width="stretch", key="network")
    else:
        fig, note = figures.timeline(shown, spec.lanes, spec.event)
        if note:
            st.caption(md(note))
        if shown["start"].notna().any():
            picked = st.plotly_chart(fig, width="stretch", on_select="rerun", selection_mode="points",
                                     key="timeline")
            points = (picked or {}).get("selection", {}).get("points", []) if isinstance(picked, dict) else \
                getattr(getattr(picked, "selection", None), "points", [])
            ids = [p.get("customdata", [None])[0] for p in points if p.get("customdata")]
            ids = [i for i in ids if i]
            if ids and ids[0] != st.session_state.get("selected"):
                st.session_state["selected"] = ids[0]
                st.rerun()
        undated = shown[shown["start"].isna()]
        if not undated.empty:
            with st.expander(f"Undated events ({len(undated)}): not plotted, no date could be pinned down"):
                st.dataframe(undated[["type", "source", "target", "quote", "date_how", "article"]], hide_index=True,
                             width="stretch")

    if spec.event:
        details(df_all, spec.event, shown)
        if st.button("Close details"):
            st.session_state["selected"] = None
            st.rerun()

    if not shown.empty:
        st.subheader("Events")
        table = shown[TABLE_COLUMNS]
        if len(table) > TABLE_MAX_ROWS:
            st.caption(f"The table shows the first {TABLE_MAX_ROWS:,} of {len(table):,} events; "
                       "the downloads hold them all.")
            table = table.head(TABLE_MAX_ROWS)
        st.dataframe(table, hide_index=True, width="stretch")
        export = shown[TABLE_COLUMNS + ["date_how", "mentions", "article_title"]]

        def rows() -> list[dict]:
            return json.loads(export.to_json(orient="records"))

        d1, d2, _ = st.columns([1, 1, 4])  # built only when clicked
        d1.download_button("Download CSV", lambda: rows_to_text(rows(), "csv"), "events.csv", "text/csv")
        d2.download_button("Download JSON", lambda: rows_to_text(rows(), "json"), "events.json", "application/json")
    add_articles_panel()


main()
