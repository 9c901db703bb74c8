"""The diplomatic-events timeline page (Streamlit). Widgets only: the logic lives in ``events``."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from events.articles import LoadError, load_paths
from events.lexicon import default_lexicon
from events.nlp import load_model
from events.pipeline import extract_articles

SEEDS = Path(__file__).parent / "seeds"

st.set_page_config(page_title="Diplomatic events timeline", layout="wide")


@st.cache_resource(show_spinner="Loading the language model…")
def _nlp():
    return load_model()


@st.cache_data(show_spinner="Extracting events from the seed articles…")
def _seed_events() -> list[dict]:
    articles = [a for a in load_paths([SEEDS]) if not isinstance(a, LoadError)]
    return [e.to_dict() for e in extract_articles(articles, _nlp(), default_lexicon()).events]


st.title("Diplomatic events timeline")
rows = _seed_events()
st.caption(f"{len(rows)} events from the seed articles")
st.dataframe(
    [{k: r[k] for k in ("date", "precision", "type", "source", "target", "source_person", "target_person", "quote")}
     for r in rows],
    hide_index=True,
)
