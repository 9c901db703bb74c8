"""Diplomatic-events timeline: dated diplomatic events extracted from news articles.

The package core (``events.extract``, ``events.dates``, ``events.actors``) is pure; loading
(``events.articles``), export (``events.export``) and the CLI (``events.cli``) sit around it.
"""
from .model import EVENT_TYPES, Article, ArticleError, Event

__all__ = ["EVENT_TYPES", "Article", "ArticleError", "Event"]
