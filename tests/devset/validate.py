#!/usr/bin/env python3
"""Check the hand-written dev set (articles.jsonl + gold/*.json) for internal consistency.

Usage: python validate.py [--write-pred PATH]

Checks every gold file against shared/event-guide.md's format: required fields, type and
country codes, ISO dates at the stated precision (a `week` date is a Monday), dates not
after publication, `quote`s (events and exclusions) verbatim in the article text, the
publication date recoverable from the text header or the URL, and each event's date
re-derived from the first date phrase quoted in its `note` ('on Tuesday', 'last week',
'in March', 'on Aug. 2', ...). Phrases that chain on another event ('a day after',
'hours later', ...) are listed as "chained" for a human to read.
With --write-pred, writes the gold events as a prediction file for shared/eval/score.py.
Standard library only.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import argparse
import calendar
import datetime as dt
import json
import re
import sys
from pathlib import Path

from scoring import date_span  # noqa: E402

HERE = Path(__file__).resolve().parent
TYPES = {"call", "visit", "meeting", "strike", "aid", "agreement", "sanction", "statement"}
SYMMETRIC = {"call", "meeting", "agreement"}
PRECISIONS = {"day", "week", "month", "year"}
# ISO 3166-1 alpha-3 codes used in this set (checked by hand), plus the guide's bodies.
CODES = {
    "AGO": "Angola", "ARG": "Argentina", "ARM": "Armenia", "AZE": "Azerbaijan", "BEL": "Belgium",
    "BGD": "Bangladesh", "BLR": "Belarus", "BRA": "Brazil", "CAN": "Canada", "CHN": "China",
    "COD": "DR Congo", "DEU": "Germany", "EGY": "Egypt", "EST": "Estonia", "ETH": "Ethiopia",
    "FRA": "France", "GBR": "United Kingdom", "GUY": "Guyana", "HUN": "Hungary", "IND": "India",
    "IRN": "Iran", "IRQ": "Iraq", "ISR": "Israel", "JPN": "Japan", "KEN": "Kenya",
    "KOR": "South Korea", "LBN": "Lebanon", "LVA": "Latvia", "NER": "Niger", "NGA": "Nigeria",
    "PAK": "Pakistan", "PHL": "Philippines", "POL": "Poland", "PRK": "North Korea", "RUS": "Russia",
    "RWA": "Rwanda", "SAU": "Saudi Arabia", "SOM": "Somalia", "SRB": "Serbia", "SVK": "Slovakia",
    "SYR": "Syria", "TUR": "Turkey", "TWN": "Taiwan", "UKR": "Ukraine", "URY": "Uruguay",
    "USA": "United States", "VEN": "Venezuela", "VNM": "Vietnam",
    "EU": "European Union", "NATO": "NATO", "UN": "United Nations", "IAEA": "IAEA",
}
GOLD_KEYS = ["article", "published", "events", "excluded"]
EVENT_KEYS = {"type", "source", "target", "source_person", "target_person", "date", "precision", "quote", "note"}
OPTIONAL_KEYS = {"date_end"}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
MON_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
NUMWORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def month_no(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def parse_published(text: str, url: str) -> dt.date | None:
    """The publication date as the header or dateline gives it, else from the URL."""
    head = text[:300]
    m = re.search(r"\bdate (\d{4}-\d{2}-\d{2})\b", head)
    if m:
        return dt.date.fromisoformat(m.group(1))
    m = re.search(MON_RE + r" (\d{1,2}), (\d{4})", head, re.I)                  # JUNE 21, 2023 / Aug. 9, 2022
    if m:
        return dt.date(int(m.group(3)), month_no(m.group(1)), int(m.group(2)))
    m = re.search(r"\b(\d{1,2}) " + MON_RE + r" (\d{4})", head, re.I)           # 3 March 2024 / 19 Jan 2023
    if m:
        return dt.date(int(m.group(3)), month_no(m.group(2)), int(m.group(1)))
    m = re.search(r"/(\d{4})/(\d{2})/(\d{2})/", url)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def span(date: str, precision: str, date_end: str | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day a gold date stands for: the tests' copy of the scorer's rule."""
    return date_span(date, precision, date_end)


def check_date_format(date: str, precision: str) -> str | None:
    pattern = {"day": r"\d{4}-\d{2}-\d{2}", "week": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}[precision]
    if not re.fullmatch(pattern, date):
        return f"date {date!r} does not fit precision {precision}"
    try:
        lo, _ = span(date, precision)
    except ValueError as e:
        return f"invalid date {date!r}: {e}"
    if precision == "week" and lo.weekday() != 0:
        return f"week date {date} is not a Monday"
    return None


def resolve(phrase: str, pub: dt.date) -> tuple[str, str] | None:
    """(date, precision) for a date phrase relative to publication day, or None if chained."""
    p = phrase.lower().strip()
    if re.search(r"\b(after|later|before|same|next|that|hours?|earlier than)\b", p) and not p.startswith("earlier this month"):
        return None
    if p == "today":
        return pub.isoformat(), "day"
    if p == "yesterday":
        return (pub - dt.timedelta(days=1)).isoformat(), "day"
    if p == "overnight":
        return (pub - dt.timedelta(days=1)).isoformat(), "day"
    m = re.fullmatch(r"(a|one|two|three|four|five) days? ago", p)
    if m:
        return (pub - dt.timedelta(days=NUMWORDS[m.group(1)])).isoformat(), "day"
    if p == "last week":
        monday = pub - dt.timedelta(days=pub.weekday() + 7)
        return monday.isoformat(), "week"
    if p == "last month":
        y, mo = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
        return f"{y:04d}-{mo:02d}", "month"
    if p in ("earlier this month", "this month"):
        return f"{pub.year:04d}-{pub.month:02d}", "month"
    if p == "last year":
        return str(pub.year - 1), "year"
    m = re.search(r"(\d{4}-\d{2}-\d{2})", p)
    if m:
        return m.group(1), "day"
    for name, wd in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", p):
            back = (pub.weekday() - wd) % 7
            if p.startswith("last ") and back == 0:
                back = 7
            return (pub - dt.timedelta(days=back)).isoformat(), "day"
    m = re.search(MON_RE + r" (\d{4})\b", p, re.I)
    if m:
        return f"{int(m.group(2)):04d}-{month_no(m.group(1)):02d}", "month"
    m = re.search(MON_RE + r" (\d{1,2})\b", p, re.I)
    if m:
        d = dt.date(pub.year, month_no(m.group(1)), int(m.group(2)))
        if d > pub:
            d = d.replace(year=pub.year - 1)
        return d.isoformat(), "day"
    m = re.search(r"\bin " + MON_RE + r"$", p, re.I)
    if m:
        mo = month_no(m.group(1))
        y = pub.year if mo <= pub.month else pub.year - 1
        return f"{y:04d}-{mo:02d}", "month"
    m = re.search(r"\b(?:in|since) (\d{4})\b", p)
    if m:
        return m.group(1), "year"
    return None


PHRASE_RE = re.compile(r"(?<![A-Za-z])'([^']+)'(?![A-Za-z])")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write-pred", type=Path)
    args = ap.parse_args()

    errors: list[str] = []
    chained: list[str] = []
    articles = {}
    for n, line in enumerate((HERE / "articles.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        a = json.loads(line)
        if set(a) != {"id", "url", "text"}:
            errors.append(f"articles.jsonl line {n}: keys {sorted(a)}")
        if a["id"] in articles:
            errors.append(f"duplicate id {a['id']}")
        articles[a["id"]] = a
        words = len(a["text"].split())
        if not 150 <= words <= 450:
            errors.append(f"{a['id']}: {words} words (want 150-450)")

    gold_files = sorted((HERE / "gold").glob("*.json"))
    if {f.stem for f in gold_files} != set(articles):
        errors.append("gold files and articles.jsonl ids differ")
    preds = []
    counts: dict[str, int] = {t: 0 for t in sorted(TYPES)}
    for f in gold_files:
        aid = f.stem
        doc = json.loads(f.read_text(encoding="utf-8"))
        where = f"gold/{f.name}"
        if list(doc) != GOLD_KEYS:
            errors.append(f"{where}: top-level keys {list(doc)}")
        if doc.get("article") != aid:
            errors.append(f"{where}: article {doc.get('article')!r} != {aid}")
        art = articles.get(aid)
        if not art:
            continue
        text = art["text"]
        pub = dt.date.fromisoformat(doc["published"])
        seen_pub = parse_published(text, art["url"])
        if seen_pub != pub:
            errors.append(f"{where}: published {pub} but text/url gives {seen_pub}")
        seen_events = set()
        for i, e in enumerate(doc["events"]):
            w = f"{where} event {i} ({e.get('type')} {e.get('source')}->{e.get('target')} {e.get('date')})"
            keys = set(e)
            if not EVENT_KEYS <= keys or keys - EVENT_KEYS - OPTIONAL_KEYS:
                errors.append(f"{w}: keys {sorted(keys)}")
                continue
            counts[e["type"]] = counts.get(e["type"], 0) + 1
            if e["type"] not in TYPES:
                errors.append(f"{w}: bad type")
            for k in ("source", "target"):
                if e[k] not in CODES:
                    errors.append(f"{w}: unknown code {e[k]!r}")
            if e["source"] == e["target"]:
                errors.append(f"{w}: source == target")
            for k in ("source_person", "target_person"):
                if e[k] is not None and (not isinstance(e[k], str) or e[k] not in text):
                    errors.append(f"{w}: {k} {e[k]!r} not in text")
            if e["precision"] not in PRECISIONS:
                errors.append(f"{w}: bad precision")
                continue
            msg = check_date_format(e["date"], e["precision"])
            if msg:
                errors.append(f"{w}: {msg}")
                continue
            lo, hi = span(e["date"], e["precision"])
            if "date_end" in e:
                if e["precision"] != "day" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", e["date_end"]):
                    errors.append(f"{w}: date_end only with day precision")
                elif dt.date.fromisoformat(e["date_end"]) <= lo:
                    errors.append(f"{w}: date_end not after date")
                else:
                    hi = dt.date.fromisoformat(e["date_end"])
            if lo > pub or ("date_end" in e and hi > pub):
                errors.append(f"{w}: event after publication {pub}")
            if e["quote"] not in text:
                errors.append(f"{w}: quote not verbatim in text")
            if not e["note"]:
                errors.append(f"{w}: empty note")
            pair = (e["source"], e["target"])
            if e["type"] in SYMMETRIC:
                pair = tuple(sorted(pair))
            key = (e["type"], pair, e["date"], e.get("date_end"), e["source_person"], e["target_person"])
            if key in seen_events:
                errors.append(f"{w}: duplicate event")
            seen_events.add(key)
            # the date must follow from the date phrase quoted first in the note
            phrases = PHRASE_RE.findall(e["note"])
            for ph in phrases:
                if ph.lower() not in text.lower():
                    errors.append(f"{w}: note phrase {ph!r} not in text")
            if not phrases:
                errors.append(f"{w}: note quotes no date phrase")
                continue
            got = resolve(phrases[0], pub)
            if got is None:
                chained.append(f"{aid} {e['type']} {e['source']}->{e['target']} {e['date']}: {e['note']}")
            elif got != (e["date"], e["precision"]):
                errors.append(f"{w}: phrase {phrases[0]!r} resolves to {got}, gold has ({e['date']}, {e['precision']})")
            for ph in phrases[1:]:
                m = re.search(r"\b(two|three|four|five)-day\b", ph.lower())
                if m and "date_end" in e and got:
                    want = dt.date.fromisoformat(e["date"]) + dt.timedelta(days=NUMWORDS[m.group(1)] - 1)
                    if want.isoformat() != e["date_end"]:
                        errors.append(f"{w}: {ph!r} implies date_end {want}, gold has {e['date_end']}")
            preds.append({"article": aid, **{k: e[k] for k in ("type", "source", "target", "date", "precision")}})
        for j, x in enumerate(doc["excluded"]):
            if set(x) != {"quote", "why"}:
                errors.append(f"{where} excluded {j}: keys {sorted(x)}")
            elif x["quote"] not in text:
                errors.append(f"{where} excluded {j}: quote not verbatim in text")

    if args.write_pred:
        args.write_pred.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in preds) + "\n", encoding="utf-8")
    for c in chained:
        print("chained:", c)
    for err in errors:
        print("ERROR:", err)
    print(f"{len(articles)} articles, {sum(counts.values())} events: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    print("OK" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
