"""Benchmark: the extractor against bare spaCy parsing of the same texts, in one run.

    python bench/extract.py [--articles 120] [--jobs 2]

Prints articles/s and words/s for bare ``nlp.pipe`` and for the extractor (one process
and ``--jobs`` processes), and the ratio bare time / extractor time (target >= 0.5:
the extractor costs at most twice the parse). The corpus is generated deterministically
from templates, so every run measures the same texts.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from events.articles import make_article  # noqa: E402
from events.lexicon import default_lexicon  # noqa: E402
from events.nlp import load_model  # noqa: E402
from events.pipeline import extract_articles  # noqa: E402

STATES = [("France", "French"), ("Germany", "German"), ("Japan", "Japanese"), ("Brazil", "Brazilian"),
          ("Kenya", "Kenyan"), ("India", "Indian"), ("Poland", "Polish"), ("Egypt", "Egyptian"),
          ("Turkey", "Turkish"), ("Canada", "Canadian"), ("Indonesia", "Indonesian"), ("Mexico", "Mexican")]
FIRST = ["Anna", "Karl", "Omar", "Lena", "Ravi", "Sofia", "Tomas", "Amina", "Jonas", "Mei"]
LAST = ["Novak", "Berg", "Haddad", "Costa", "Mensah", "Iyer", "Lindqvist", "Okafor", "Tanaka", "Moreau"]
TITLES = ["Foreign Minister", "Defence Minister", "President", "Prime Minister", "Trade Minister"]
WHEN = ["on Monday", "on Tuesday", "yesterday", "last week", "earlier this month", "on March 3", "last month"]
SENTENCES = [
    "{T1} {P1} of {A} met {d2} counterpart {P2} in {Bcap} {w}, the ministry said.",
    "{A} and {B} signed an agreement on energy cooperation {w}.",
    "{T1} {P1} spoke by phone with {d2} {T2} {P2} {w} about the crisis.",
    "{A} pledged $200 million in humanitarian aid to {B} {w}.",
    "{P1} condemned {d2} missile strikes on civilians and urged {B} to return to talks.",
    "Officials said the talks covered trade, migration and security in the region.",
    "{A} has not sent weapons to {B}, and it will decide on further support next month.",
    "Analysts said the visit showed how far relations had moved since the elections.",
    "{d1} diplomats expect another round of negotiations before the end of the year.",
    "The two sides agreed to keep in touch and to meet again at a summit later this year.",
]


def corpus(n: int, seed: int = 7) -> list:
    rng = random.Random(seed)
    caps = {"France": "Paris", "Germany": "Berlin", "Japan": "Tokyo", "Brazil": "Brasilia", "Kenya": "Nairobi",
            "India": "New Delhi", "Poland": "Warsaw", "Egypt": "Cairo", "Turkey": "Ankara", "Canada": "Ottawa",
            "Indonesia": "Jakarta", "Mexico": "Mexico City"}
    articles = []
    for i in range(n):
        (a, d1), (b, d2) = rng.sample(STATES, 2)
        fill = {"A": a, "B": b, "d1": d1, "d2": d2, "Bcap": caps[b], "T1": rng.choice(TITLES), "T2": rng.choice(TITLES),
                "P1": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "P2": f"{rng.choice(FIRST)} {rng.choice(LAST)}"}
        paras = []
        for _ in range(rng.randint(8, 14)):
            fill["w"] = rng.choice(WHEN)
            paras.append(" ".join(rng.choice(SENTENCES).format(**fill) for _ in range(2)))
        published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
        articles.append(make_article(f"bench{i:04d}", f"{a} and {b} talk\n" + "\n".join(paras), published=published))
    return articles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=120)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    nlp, lex = load_model(), default_lexicon()
    articles = corpus(args.articles)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    list(nlp.pipe(texts[:5]))  # warm up

    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    bare = time.perf_counter() - t0

    t0 = time.perf_counter()
    one = extract_articles(articles, nlp, lex, jobs=1)
    single = time.perf_counter() - t0

    t0 = time.perf_counter()
    many = extract_articles(articles, nlp, lex, jobs=args.jobs)
    multi = time.perf_counter() - t0
    assert [e.id for e in one.events] == [e.id for e in many.events], "--jobs must not change the result"

    n = len(articles)
    print(f"corpus: {n} articles, {words} words, {len(one.events)} events")
    print(f"bare nlp.pipe        {bare:7.2f} s  {n / bare:7.1f} articles/s  {words / bare:9.0f} words/s")
    print(f"extractor --jobs 1   {single:7.2f} s  {n / single:7.1f} articles/s  {words / single:9.0f} words/s")
    print(f"extractor --jobs {args.jobs}   {multi:7.2f} s  {n / multi:7.1f} articles/s  {words / multi:9.0f} words/s")
    print(f"ratio bare/extractor (jobs 1): {bare / single:.2f}  (target >= 0.5)")
    print(f"ratio bare/extractor (jobs {args.jobs}): {bare / multi:.2f}; speed-up from --jobs {args.jobs}: {single / multi:.2f}x")


if __name__ == "__main__":
    main()
