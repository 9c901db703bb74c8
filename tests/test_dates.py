"""Date expressions: finding them in text and resolving them against the publication date.

The rules come from the event guide (shared/event-guide.md): in an article of Wednesday
2025-07-23, "on Wednesday" is 2025-07-23, "on Tuesday" 2025-07-22, "last month" 2025-06,
"last week" the week of Monday 2025-07-14, "last year" 2024; a weekday is the most recent
such day (the publication day included); a month name without a year is its most recent
past occurrence.
"""
from __future__ import annotations

import datetime as dt
import types

import pytest
from dateutil.relativedelta import relativedelta

import events.dates
from events.dates import find_dates, parse_date, shift
from events.model import ResolvedDate

WED = dt.date(2025, 7, 23)  # the guide's example: a Wednesday
NEW_YEAR = dt.date(2025, 1, 5)  # a Sunday early in January: relative dates cross into 2024
PRECISIONS = ("day", "week", "month", "year")


def only_mention(text: str, published: dt.date | None):
    found = find_dates(text, published)
    assert len(found) == 1, f"expected one date expression in {text!r}, got {[m.text for m in found]}"
    return found[0]


def resolved_isos(text: str, published: dt.date | None) -> list[tuple[str, str]]:
    return [(m.resolved.iso, m.resolved.precision) for m in find_dates(text, published) if m.resolved is not None]


# (sentence, publication date, (expected iso, expected precision), why)
FORMS = [
    # weekdays: the most recent such day, the publication day included
    pytest.param("The envoys met in Vienna on Wednesday.", WED, ("2025-07-23", "day"),
                 "the publication day itself is the most recent Wednesday", id="wednesday-is-publication-day"),
    pytest.param("The envoys met in Vienna on Tuesday.", WED, ("2025-07-22", "day"),
                 "the day before publication", id="tuesday"),
    pytest.param("The envoys met in Vienna on Monday.", WED, ("2025-07-21", "day"),
                 "two days before publication", id="monday"),
    pytest.param("The envoys met in Vienna on Sunday.", WED, ("2025-07-20", "day"),
                 "Sunday of the previous week", id="sunday"),
    pytest.param("The envoys met in Vienna on Saturday.", WED, ("2025-07-19", "day"),
                 "Saturday of the previous week", id="saturday"),
    pytest.param("The envoys met in Vienna on Friday.", WED, ("2025-07-18", "day"),
                 "Friday of the previous week", id="friday"),
    pytest.param("The envoys met in Vienna on Thursday.", WED, ("2025-07-17", "day"),
                 "Thursday: six days back, never forward", id="thursday"),
    pytest.param("The envoys met in Vienna on Sunday.", dt.date(2025, 7, 20), ("2025-07-20", "day"),
                 "a Sunday article: Sunday is the publication day", id="sunday-on-a-sunday"),
    pytest.param("The envoys met in Vienna last Tuesday.", WED, ("2025-07-22", "day"),
                 "last Tuesday from a Wednesday is the day before", id="last-tuesday"),
    pytest.param("The envoys met in Vienna last Wednesday.", WED, ("2025-07-16", "day"),
                 "'last' skips the publication day itself", id="last-wednesday"),
    # day words
    pytest.param("The minister spoke to reporters today.", WED, ("2025-07-23", "day"),
                 "today is the publication day", id="today"),
    pytest.param("The minister spoke to reporters yesterday.", WED, ("2025-07-22", "day"), "yesterday", id="yesterday"),
    pytest.param("The minister spoke to reporters last night.", WED, ("2025-07-22", "day"),
                 "last night is the day before", id="last-night"),
    pytest.param("The minister spoke to reporters the day before yesterday.", WED, ("2025-07-21", "day"),
                 "two days back", id="day-before-yesterday"),
    # weeks: a week date is the Monday of that week
    pytest.param("The delegations held talks last week.", WED, ("2025-07-14", "week"),
                 "the guide: the week of Monday 2025-07-14", id="last-week"),
    pytest.param("The delegations held talks this week.", WED, ("2025-07-21", "week"),
                 "the week of publication starts on Monday 21", id="this-week"),
    pytest.param("The delegations held talks over the past week.", WED, ("2025-07-14", "week"),
                 "past week reads as last week", id="past-week"),
    pytest.param("The delegations held talks last week.", dt.date(2025, 1, 1), ("2024-12-23", "week"),
                 "last week crosses into the previous year", id="last-week-across-new-year"),
    # months
    pytest.param("The sanctions were imposed last month.", WED, ("2025-06", "month"),
                 "the guide: last month is 2025-06", id="last-month"),
    pytest.param("The sanctions were imposed this month.", WED, ("2025-07", "month"),
                 "the month of publication", id="this-month"),
    pytest.param("The sanctions were imposed earlier this month.", WED, ("2025-07", "month"),
                 "earlier this month is still this month", id="earlier-this-month"),
    pytest.param("The sanctions were imposed last month.", NEW_YEAR, ("2024-12", "month"),
                 "last month in January is December of last year", id="last-month-across-new-year"),
    # years
    pytest.param("The embassy reopened last year.", WED, ("2024", "year"),
                 "the guide: last year is 2024", id="last-year"),
    pytest.param("The embassy reopened this year.", WED, ("2025", "year"), "the year of publication", id="this-year"),
    pytest.param("The embassy reopened earlier this year.", WED, ("2025", "year"),
                 "earlier this year is still this year", id="earlier-this-year"),
    # month names, with and without a year
    pytest.param("The ambassador was recalled in March.", WED, ("2025-03", "month"),
                 "an earlier month of the same year", id="month-earlier"),
    pytest.param("The ambassador was recalled in July.", WED, ("2025-07", "month"),
                 "the month of publication counts as past", id="month-of-publication"),
    pytest.param("The ambassador was recalled in September.", WED, ("2024-09", "month"),
                 "later in the calendar than July: the previous year", id="month-later-is-previous-year"),
    pytest.param("The ambassador was recalled in December.", NEW_YEAR, ("2024-12", "month"),
                 "December from January is last year's", id="december-from-january"),
    pytest.param("The ambassador was recalled in March 2024.", WED, ("2024-03", "month"),
                 "month and year given", id="month-with-year"),
    # days of the month, with and without a year
    pytest.param("The treaty was signed on March 3.", WED, ("2025-03-03", "day"),
                 "month-day without a year: this year's, already past", id="month-day"),
    pytest.param("The treaty was signed on 3 March.", WED, ("2025-03-03", "day"),
                 "day-month without a year", id="day-month"),
    pytest.param("The treaty was signed on July 25.", WED, ("2024-07-25", "day"),
                 "two days after publication: last year's July 25", id="month-day-later-is-previous-year"),
    pytest.param("The treaty was signed on March 3, 2024.", WED, ("2024-03-03", "day"),
                 "month day, year", id="month-day-year"),
    pytest.param("The treaty was signed on 3 March 2024.", WED, ("2024-03-03", "day"),
                 "day month year", id="day-month-year"),
    pytest.param("The treaty was signed on 2024-03-03.", WED, ("2024-03-03", "day"), "ISO date", id="iso"),
    # years alone
    pytest.param("The border was closed in 2021.", WED, ("2021", "year"), "a year after 'in'", id="in-year"),
    pytest.param("The border was closed in mid-2023.", WED, ("2023", "year"),
                 "mid-year keeps year precision", id="mid-year"),
    # counted back from publication
    pytest.param("The convoy was shelled two days ago.", WED, ("2025-07-21", "day"), "two days back", id="days-ago"),
    pytest.param("The convoy was shelled three weeks ago.", WED, ("2025-06-30", "week"),
                 "the week holding 2025-07-02, Monday 2025-06-30", id="weeks-ago"),
    pytest.param("The convoy was shelled a year ago.", WED, ("2024", "year"),
                 "a year back, at year precision", id="year-ago"),
    # since
    pytest.param("The talks have stalled since last year.", WED, ("2024", "year"),
                 "since last year: when it began, 2024", id="since-last-year"),
]


@pytest.mark.parametrize(("text", "published", "expected", "why"), FORMS)
def test_each_date_form_resolves_against_the_publication_date(text, published, expected, why):
    mention = only_mention(text, published)
    assert mention.resolved is not None, why
    assert (mention.resolved.iso, mention.resolved.precision) == expected, why
    assert mention.offset is None
    assert text[mention.start:mention.end] == mention.text


def test_the_mention_text_is_the_date_without_its_preposition():
    mention = only_mention("The ambassador was recalled in September.", WED)
    assert mention.text == "September"
    assert mention.resolved.text == "September"


def test_a_resolved_date_spans_its_whole_period():
    month = only_mention("The sanctions were imposed last month.", WED).resolved
    assert (month.start, month.end) == (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    year = only_mention("The embassy reopened last year.", WED).resolved
    assert (year.start, year.end) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    day = only_mention("The envoys met in Vienna on Tuesday.", WED).resolved
    assert day.start == day.end == dt.date(2025, 7, 22)


def test_since_last_year_is_flagged_as_a_beginning():
    mention = only_mention("The talks have stalled since last year.", WED)
    assert mention.since is True
    assert mention.text == "last year"
    assert (mention.resolved.iso, mention.resolved.precision) == ("2024", "year")


def test_a_date_without_since_is_not_flagged():
    assert only_mention("The embassy reopened last year.", WED).since is False


# (sentence, expected offset, why)
OFFSETS = [
    ("Russia struck the port a day after the talks.", relativedelta(days=+1), "a day after: one day later"),
    ("Russia struck the port two days before the talks.", relativedelta(days=-2), "two days before: two days earlier"),
    ("Russia struck the port a week later.", relativedelta(weeks=+1), "a week later"),
]


@pytest.mark.parametrize(("text", "offset", "why"), OFFSETS, ids=["a-day-after", "two-days-before", "a-week-later"])
def test_relational_expressions_give_an_offset_and_no_date_of_their_own(text, offset, why):
    mention = only_mention(text, WED)
    assert mention.resolved is None, why
    assert mention.offset == offset, why


def test_relational_expressions_are_found_without_a_publication_date():
    mention = only_mention("Russia struck the port a day after the talks.", None)
    assert mention.offset == relativedelta(days=+1)


# (sentence, why) — nothing in these sentences may resolve
FUTURE = [
    ("The foreign minister will travel to Rome next Friday.", "next Friday points forward"),
    ("The summit is set for the coming Tuesday.", "the coming Tuesday points forward"),
    ("The accord takes effect on 2025-07-24.", "the day after publication"),
    ("The accord takes effect on July 30, 2025.", "a week after publication"),
    ("The accord takes effect in August 2025.", "the month after publication"),
    ("The accord takes effect in 2026.", "the year after publication"),
]


@pytest.mark.parametrize(("text", "why"), FUTURE, ids=[w.split(":")[0].replace(" ", "-") for _, w in FUTURE])
def test_future_dates_and_dates_after_publication_are_dropped(text, why):
    assert resolved_isos(text, WED) == [], why


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("The envoy arrived on February 30.", "month-day that does not exist"),
        ("The envoy arrived on 30 February 2024.", "day-month-year that does not exist"),
        ("The envoy arrived on 2024-02-30.", "ISO date that does not exist"),
    ],
    ids=["february-30", "30-february-2024", "iso-2024-02-30"],
)
def test_a_day_that_does_not_exist_gives_nothing(text, why):
    assert find_dates(text, WED) == [], why


def test_february_29_in_a_non_leap_year_is_the_most_recent_leap_day():
    assert resolved_isos("The envoy arrived on February 29.", dt.date(2025, 3, 1)) == [("2024-02-29", "day")]


def test_the_modal_verb_may_after_a_number_is_not_a_date():
    assert find_dates("At least 12 may have been killed in the strike.", WED) == []


def test_a_month_followed_by_next_year_is_dropped_as_future():
    assert resolved_isos("The summit will be held in March next year.", WED) == []


RELATIVE = [
    "The envoys met in Vienna on Tuesday.",
    "The envoys met in Vienna last Tuesday.",
    "The minister spoke to reporters yesterday.",
    "The delegations held talks last week.",
    "The sanctions were imposed last month.",
    "The embassy reopened last year.",
    "The ambassador was recalled in September.",
    "The treaty was signed on March 3.",
    "The convoy was shelled two days ago.",
]


@pytest.mark.parametrize("text", RELATIVE, ids=[t.split(" ", 3)[-1].rstrip(".") for t in RELATIVE])
def test_without_a_publication_date_relative_expressions_stay_unresolved(text):
    assert find_dates(text, WED), "the expression resolves when a publication date is given"
    assert resolved_isos(text, None) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The treaty was signed on March 3, 2024.", ("2024-03-03", "day")),
        ("The treaty was signed on 3 March 2024.", ("2024-03-03", "day")),
        ("The treaty was signed on 2024-03-03.", ("2024-03-03", "day")),
        ("The ambassador was recalled in March 2024.", ("2024-03", "month")),
        ("The border was closed in 2021.", ("2021", "year")),
    ],
    ids=["mdy", "dmy", "iso", "month-year", "year"],
)
def test_without_a_publication_date_explicit_dates_still_resolve(text, expected):
    assert resolved_isos(text, None) == [expected]


def test_without_a_publication_date_only_the_explicit_date_of_a_sentence_resolves():
    text = "The envoy arrived on Tuesday and the accord was signed on 3 March 2024."
    assert resolved_isos(text, None) == [("2024-03-03", "day")]
    assert resolved_isos(text, dt.date(2024, 3, 6)) == [("2024-03-05", "day"), ("2024-03-03", "day")]


def test_mentions_come_left_to_right():
    found = find_dates("On Monday the minister said the strikes began last month, in June.", WED)
    assert [m.text for m in found] == ["Monday", "last month", "June"]
    assert [m.start for m in found] == sorted(m.start for m in found)


@pytest.mark.parametrize("published", [WED + dt.timedelta(days=n) for n in range(-2, 5)],
                         ids=lambda d: f"{d:%a}")
@pytest.mark.parametrize("text", ["They met last week.", "They met this week.", "They met three weeks ago."],
                         ids=["last-week", "this-week", "three-weeks-ago"])
def test_week_dates_are_the_monday_of_a_seven_day_week(text, published):
    r = only_mention(text, published).resolved
    assert r.precision == "week"
    assert r.start.weekday() == 0, f"{r.iso} is not a Monday"
    assert r.end == r.start + dt.timedelta(days=6)
    assert r.iso == r.start.isoformat()
    assert r.start <= published


# (date, delta, expected iso, why)
SHIFTS = [
    (ResolvedDate(dt.date(2025, 7, 22), dt.date(2025, 7, 22), "day", "Tuesday", "x"), relativedelta(days=+1),
     "2025-07-23", "a day after a day is the next day"),
    (ResolvedDate(dt.date(2025, 7, 14), dt.date(2025, 7, 20), "week", "last week", "x"), relativedelta(days=+1),
     "2025-07-14", "a day after a week stays in that week"),
    (ResolvedDate(dt.date(2025, 7, 14), dt.date(2025, 7, 20), "week", "last week", "x"), relativedelta(weeks=+1),
     "2025-07-21", "a week after a week is the next Monday"),
    (ResolvedDate(dt.date(2025, 6, 1), dt.date(2025, 6, 30), "month", "June", "x"), relativedelta(days=+1),
     "2025-06", "a day after a month stays in that month"),
    (ResolvedDate(dt.date(2025, 6, 1), dt.date(2025, 6, 30), "month", "June", "x"), relativedelta(days=-2),
     "2025-05", "two days before June 1 is in May"),
    (ResolvedDate(dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year", "2024", "x"), relativedelta(days=+1),
     "2024", "a day after a year stays in that year"),
]


@pytest.mark.parametrize(("resolved", "delta", "expected", "why"), SHIFTS,
                         ids=["day", "week-by-day", "week-by-week", "month-by-day", "month-back", "year"])
def test_shift_keeps_the_precision_of_the_date_it_moves(resolved, delta, expected, why):
    moved = shift(resolved, delta, "a day after")
    assert moved.precision == resolved.precision, why
    assert moved.iso == expected, why
    assert moved.text == "a day after"
    if moved.precision == "week":
        assert moved.start.weekday() == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JUNE 21, 2023 17:00", dt.date(2023, 6, 21)),
        ("Wednesday 21 June 2023", dt.date(2023, 6, 21)),
        ("2023-06-21", dt.date(2023, 6, 21)),
        ("June 2023", None),
        ("yesterday", None),
        ("June 31, 2023", None),
    ],
    ids=["mdy-with-time", "dmy-with-weekday", "iso", "month-only", "relative", "impossible"],
)
def test_parse_date_reads_only_full_explicit_dates(text, expected):
    assert parse_date(text) == expected


class _ClockDate(dt.date):
    @classmethod
    def today(cls):
        raise AssertionError("find_dates read the clock (date.today)")


class _ClockDateTime(dt.datetime):
    @classmethod
    def today(cls):
        raise AssertionError("find_dates read the clock (datetime.today)")

    @classmethod
    def now(cls, tz=None):
        raise AssertionError("find_dates read the clock (datetime.now)")

    @classmethod
    def utcnow(cls):
        raise AssertionError("find_dates read the clock (datetime.utcnow)")


def test_find_dates_never_reads_the_clock(monkeypatch):
    """Resolution depends on the publication date only: with the clock unavailable, an
    article of Friday 2019-03-15 still gets its 2019 dates."""
    monkeypatch.setattr(events.dates, "dt", types.SimpleNamespace(
        date=_ClockDate, datetime=_ClockDateTime, timedelta=dt.timedelta))
    published = dt.date(2019, 3, 15)
    text = ("The ministers met on Wednesday, a week after talks that began last month; "
            "the embassy closed last year, in December, and the envoy left today.")
    found = find_dates(text, published)
    assert [(m.text, m.resolved.iso if m.resolved else None, m.resolved.precision if m.resolved else None)
            for m in found] == [
        ("Wednesday", "2019-03-13", "day"),
        ("a week after", None, None),
        ("last month", "2019-02", "month"),
        ("last year", "2018", "year"),
        ("December", "2018-12", "month"),
        ("today", "2019-03-15", "day"),
    ]
