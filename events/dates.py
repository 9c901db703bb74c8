"""Find date expressions in text and resolve them against a publication date.

Pure functions: the reference date is always an argument, never the clock.

>>> import datetime as dt
>>> [m.resolved.iso for m in find_dates("He arrived on Tuesday.", dt.date(2025, 7, 23))]
['2025-07-22']
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from .model import ResolvedDate

MONTHS: dict[str, int] = {
    name.lower(): i for i, name in enumerate(calendar.month_name) if name
} | {
    abbr.lower(): i for i, abbr in enumerate(calendar.month_abbr) if abbr
} | {"sept": 9}
WEEKDAYS: dict[str, object] = {
    "monday": MO, "tuesday": TU, "wednesday": WE, "thursday": TH,
    "friday": FR, "saturday": SA, "sunday": SU,
}
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
UNITS: dict[str, str] = {"day": "day", "week": "week", "month": "month", "year": "year"}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_NUM = r"(?P<num>\d+|" + "|".join(NUMBER_WORDS) + r")"
_UNIT = r"(?P<unit>day|week|month|year)s?"

# Each pattern has a kind; order matters: longer, more specific forms first.
PATTERNS: list[tuple[str, re.Pattern]] = [(kind, re.compile(rx, re.IGNORECASE | re.ASCII)) for kind, rx in [
    ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    ("mdy", _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b"),
    ("dmy", r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b"),
    ("md", r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?!\s*,?\s*(?:19|20)\d\d)(?!:)"),
    ("dm", r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b(?!\s*,?\s*(?:19|20)\d\d)"),
    ("my", r"\b(?:(?P<part>early|mid|late|earlier|end of|beginning of|start of)[\s-]+)?" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR + r"\b"),
    ("ago", r"\b" + _NUM + r"\s+" + _UNIT + r"\s+ago\b"),
    ("offset", r"\b" + _NUM + r"\s+" + _UNIT + r"\s+(?P<dir>after|before|later|earlier)\b"),
    ("relday", r"\b(?P<rel>(?:the\s+)?(?:next|following)\s+(?:day|morning|afternoon|evening|night)|"
               r"the\s+(?:previous|preceding)\s+(?:day|morning|night|evening)|"
               r"(?:that|the\s+same)\s+(?:day|morning|afternoon|evening|night)|hours\s+later|(?:later|earlier)\s+that\s+day|"
               r"overnight(?!\s+(?:on|into|to|from)\b))\b"),
    ("future", r"\blater\s+this\s+(?:week|month|year)\b"),
    ("relative", r"\b(?P<rel>earlier\s+this|last|this|past|previous)\s+(?P<unit>week|month|year)\b"),
    ("dayword", r"\b(?P<word>today|yesterday|tonight|last\s+night|this\s+morning|this\s+afternoon|this\s+evening|"
                r"earlier\s+today|the\s+day\s+before\s+yesterday)\b"),
    ("weekday", r"\b(?P<last>last\s+)?" + _WEEKDAY + r"\b"),
    ("month", r"\b(?:in|since|during|from|by|until|early|mid|late|of|last)[\s-]+(?:(?:early|mid|late)[\s-]+)?" + _MONTH + r"\b"),
    ("year", r"\b(?:in|since|during|from|of|until|by|early|mid|late|the\s+end\s+of)[\s-]+" + _YEAR + r"\b(?![-/]\d)"),
]]

_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)
_FUTURE_BEFORE = re.compile(r"\bnext\s+$|\bcoming\s+$|\blater\s+$", re.IGNORECASE)
_FUTURE_AFTER = re.compile(r"^,?\s+(?:of\s+)?(?:next|the\s+coming|the\s+following)\s+(?:year|month|week)\b", re.IGNORECASE)
MONTH_KINDS = frozenset({"mdy", "dmy", "md", "dm", "my", "month"})


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text: its span, and either a resolved date or an offset.

    ``offset`` is set for relational expressions ("a day after"): the event's date is
    another event's date moved by it. ``since`` marks "since X" (X is when it began).
    """

    start: int
    end: int
    text: str
    resolved: ResolvedDate | None
    offset: relativedelta | None = None
    since: bool = False

    @property
    def relational(self) -> bool:
        """"a day after X" / "two days later" / "the next morning": relative to another event."""
        return self.offset is not None

    @property
    def follows_clause(self) -> bool:
        """Whether the expression governs a clause ("a day after X said ..."), not the previous event."""
        return bool(re.search(r"\b(after|before)$", self.text, re.IGNORECASE))


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def _day_span(day: dt.date, text: str, how: str) -> ResolvedDate:
    return ResolvedDate(day, day, "day", text, how)


def month_span(year: int, month: int, text: str, how: str) -> ResolvedDate:
    last = calendar.monthrange(year, month)[1]
    return ResolvedDate(dt.date(year, month, 1), dt.date(year, month, last), "month", text, how)


def week_span(day: dt.date, text: str, how: str) -> ResolvedDate:
    monday = day + relativedelta(weekday=MO(-1))
    return ResolvedDate(monday, monday + dt.timedelta(days=6), "week", text, how)


def year_span(year: int, text: str, how: str) -> ResolvedDate:
    return ResolvedDate(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", text, how)


def _resolve(kind: str, m: re.Match, published: dt.date | None) -> ResolvedDate | None:
    """Resolve one matched expression; None when it needs a reference date it lacks,
    names a day that does not exist, or lies after the publication date."""
    text = m.group(0)
    g = m.groupdict()
    try:
        if kind in ("iso", "mdy", "dmy"):
            month = int(g["month"]) if kind == "iso" else MONTHS[g["month"].lower()]
            day = dt.date(int(g["year"]), month, int(g["day"]))
            return _day_span(day, text, "explicit date")
        if kind == "my":
            return month_span(int(g["year"]), MONTHS[g["month"].lower()], text, "explicit month")
        if kind == "year":
            return year_span(int(g["year"]), text, "explicit year")
        if published is None:
            return None
        if kind in ("md", "dm"):
            month, dayn = MONTHS[g["month"].lower()], int(g["day"])
            for year in range(published.year, published.year - 8, -1):  # February 29: the last leap year
                try:
                    day = dt.date(year, month, dayn)
                except ValueError:
                    continue
                if day <= published:
                    return _day_span(day, text, "month and day: most recent past occurrence")
            return None
        if kind == "month":
            month = MONTHS[g["month"].lower()]
            year = published.year if month <= published.month else published.year - 1
            return month_span(year, month, text, "month name: most recent past occurrence")
        if kind == "weekday":
            wd = WEEKDAYS[g["weekday"].lower()]
            if g.get("last"):
                day = published + relativedelta(days=-1, weekday=wd(-1))
                return _day_span(day, text, "last weekday: before the publication day")
            day = published + relativedelta(weekday=wd(-1))
            return _day_span(day, text, "weekday: most recent, publication day included")
        if kind == "dayword":
            word = " ".join(g["word"].lower().split())
            back = 2 if word.startswith("the day before") else 1 if word in ("yesterday", "last night") else 0
            return _day_span(published - dt.timedelta(days=back), text, f"'{word}' from publication date")
        if kind == "ago":
            n, unit = _number(g["num"]), g["unit"].lower()
            moved = published - relativedelta(**{unit + "s": n})
            how = f"{n} {unit}(s) before publication"
            if unit == "day":
                return _day_span(moved, text, how)
            if unit == "week":
                return week_span(moved, text, how)
            if unit == "month":
                return month_span(moved.year, moved.month, text, how)
            return year_span(moved.year, text, how)
        if kind == "relative":
            rel, unit = " ".join(g["rel"].lower().split()), g["unit"].lower()
            back = 1 if rel in ("last", "past", "previous") else 0
            if unit == "week":
                return week_span(published - relativedelta(weeks=back), text, f"'{rel} week' from publication date")
            if unit == "month":
                moved = published - relativedelta(months=back)
                return month_span(moved.year, moved.month, text, f"'{rel} month' from publication date")
            return year_span(published.year - back, text, f"'{rel} year' from publication date")
    except (ValueError, KeyError, OverflowError):
        return None
    return None


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """All date expressions in ``text``, left to right, without overlaps.

    Expressions that point to the future ("next Tuesday") or past the publication
    date are dropped: an event cannot have happened after its report.
    """
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if kind in MONTH_KINDS and m.group("month").islower():
                continue  # "12 may have been killed": a month name is capitalised
            before = text[max(0, m.start() - 12):m.start()]
            if _FUTURE_BEFORE.search(before) or _FUTURE_AFTER.search(text[m.end():m.end() + 30]):
                taken.append((m.start(), m.end()))
                continue
            offset = None
            resolved = None
            if kind == "future":  # "later this year": not yet happened
                taken.append((m.start(), m.end()))
                continue
            if kind == "offset":
                n, unit = _number(m.group("num")), m.group("unit").lower()
                sign = 1 if m.group("dir").lower() in ("after", "later") else -1
                offset = relativedelta(**{unit + "s": sign * n})
            elif kind == "relday":
                rel = m.group("rel").lower()
                days = 1 if ("next" in rel or "following" in rel) else -1 if (
                    "previous" in rel or "preceding" in rel or rel == "overnight") else 0
                offset = relativedelta(days=days)
            else:
                resolved = _resolve(kind, m, published)
                if resolved is None or (published is not None and resolved.start > published):
                    taken.append((m.start(), m.end()))
                    continue
            start, end = m.start(), m.end()
            if kind in ("month", "year"):  # the pattern includes the preposition: keep only the date
                start = m.start(kind)
                part = re.search(r"(early|mid|late)[\s-]+$", text[m.start():start], re.IGNORECASE)
                if part:
                    start = m.start() + part.start()
                end = m.end()
                text_span = text[start:end]
                if resolved is not None:
                    resolved = ResolvedDate(resolved.start, resolved.end, resolved.precision, text_span, resolved.how)
            since = bool(_SINCE.search(text[max(0, start - 12):start]))
            taken.append((m.start(), m.end()))
            found.append(DateMention(start, end, text[start:end], resolved, offset, since))
    found.sort(key=lambda d: d.start)
    return found


def parse_date(text: str) -> dt.date | None:
    """A full calendar date written in one of the common explicit forms, else None.

    >>> parse_date("JUNE 21, 2023 17:00")
    datetime.date(2023, 6, 21)
    """
    for kind, rx in PATTERNS[:3]:
        m = rx.search(text)
        if m:
            resolved = _resolve(kind, m, None)
            if resolved is not None:
                return resolved.start
    return None


def shift(resolved: ResolvedDate, delta: relativedelta, text: str) -> ResolvedDate | None:
    """A date moved by ``delta`` ("a day after" X), keeping X's precision; None if out of the calendar."""
    try:
        start = resolved.start + delta
    except (ValueError, OverflowError):
        return None
    if resolved.precision == "day":
        return _day_span(start, text, f"{text} {resolved.text} ({resolved.iso})")
    if resolved.precision == "week":
        return week_span(start, text, f"{text} {resolved.text}")
    if resolved.precision == "month":
        return month_span(start.year, start.month, text, f"{text} {resolved.text}")
    return year_span(start.year, text, f"{text} {resolved.text}")
