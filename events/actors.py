"""Who is who in one article: actor mentions, people and what their pronouns refer to.

``ActorIndex.build`` reads an article's parsed paragraphs once, in order, and keeps:
- the country or organisation code of every token in an actor phrase ("Kyiv", "Ukrainian",
  "the Kremlin", "the IDF");
- the people named in it, each with the state they act for, taken from their in-text
  description ("his Ukrainian counterpart X", "US Secretary of Defense Y", "Z, the head of
  Ukraine's ..."), and their later short mentions ("Gallant", "Saar");
- what each pronoun ("he", "him", "it", "we") and role noun ("the minister") refers to.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .lexicon import Lexicon, name_key, normalize

PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
STATE_PRONOUNS = frozenset({"it", "its"})
FIRST_PERSON = frozenset({"i", "me", "my"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours"})
SINGLE_STATE_NOUNS = frozenset({"country", "nation", "kingdom", "republic", "emirate"})
WATERS = frozenset({"gulf", "sea", "strait", "straits", "bay", "ocean", "gulfs", "isthmus"})
GROUP_NOUNS = frozenset({"country", "nation", "kingdom", "republic", "neighbour", "neighbor", "side", "leader", "minister", "government",
                         "rival", "state", "president", "delegation", "capital", "counterpart", "premier"})
PERSON_GROUPS = frozenset({"leader", "minister", "president", "counterpart", "premier"})
KIN_OF_SAME_STATE = frozenset({"predecessor", "successor", "deputy", "colleague", "spokesman", "spokeswoman",
                               "spokesperson", "aide", "envoy", "adviser", "advisor"})
NOT_OWN_STATE = frozenset({"to", "in", "with", "against", "on", "at", "for", "from", "about", "into"})


@dataclass
class Person:
    """A named person in an article; ``code`` is the state they act for, if known."""

    name: str
    key: str
    code: str | None = None
    title: str | None = None
    not_codes: set[str] = field(default_factory=set)

    @property
    def surname(self) -> str:
        return self.key.split()[-1] if self.key else ""


@dataclass(frozen=True)
class Ref:
    """What a token stands for: a state code, a person, or both. ``place`` marks a city:
    a place in a state (a target), never the state acting."""

    code: str | None
    person: Person | None = None
    place: bool = False


def _matchers(lex: Lexicon, vocab) -> tuple[PhraseMatcher, PhraseMatcher, PhraseMatcher, PhraseMatcher]:
    key = (id(lex), id(vocab))
    cached = _MATCHERS.get(key)
    if cached is not None:
        return cached
    from spacy.lang.en import English

    tok = English(vocab=vocab).tokenizer
    lower = PhraseMatcher(vocab, attr="LOWER")
    exact = PhraseMatcher(vocab, attr="ORTH")
    titles = PhraseMatcher(vocab, attr="LOWER")
    for phrase, code in lex.actors.items():
        lower.add(code, [tok(phrase)])
    for phrase, code in lex.exact_actors.items():
        exact.add(code, [tok(phrase)])
    for title in lex.titles:
        titles.add("TITLE", [tok(title)])
    people = PhraseMatcher(vocab, attr="LOWER")
    for name in lex.people:
        people.add(name, [tok(name)])
    _MATCHERS[key] = (lower, exact, titles, people)
    return lower, exact, titles, people


_MATCHERS: dict[tuple[int, int], tuple[PhraseMatcher, PhraseMatcher, PhraseMatcher, PhraseMatcher]] = {}


def _longest(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.intersection(range(span.start, span.end)):
            out.append(span)
            taken.update(range(span.start, span.end))
    return sorted(out, key=lambda s: s.start)


class ActorIndex:
    """Actor references for every token of an article's parsed paragraphs."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.people: dict[str, Person] = {}
        self.refs: dict[tuple[int, int], Ref] = {}  # (doc number, token index) -> Ref
        self.titles: dict[tuple[int, int], str] = {}
        self.codes_in_doc: list[dict[int, str]] = []
        self.places_in_doc: list[set[int]] = []
        self.groups: dict[tuple[int, int], list[Ref]] = {}  # "the two countries" -> both
        self.home: str | None = None  # the state the article is mostly about
        self.top_states: list[str] = []
        self.speakers: dict[tuple[int, int], Ref] = {}  # (doc, sentence start) -> the sentence's speaker

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, lex: Lexicon, docs: list[Doc], quoted: list[list[bool]]) -> ActorIndex:
        """Index ``docs`` (an article's paragraphs, in order); ``quoted[d][i]`` marks tokens in quotes."""
        index = cls(lex)
        for d, doc in enumerate(docs):
            index._mark_actors(d, doc)
        index.home = index._home_state()
        index.top_states = index._top_states()
        for d, doc in enumerate(docs):
            index._register_people(d, doc)
        state = _Discourse()
        for d, doc in enumerate(docs):
            index._resolve_references(d, doc, quoted[d], state)
        return index

    def _mark_actors(self, d: int, doc: Doc) -> None:
        lower, exact, titles, _ = _matchers(self.lex, doc.vocab)
        codes: dict[int, str] = {}
        spans = [Span(doc, s, e, label=m) for m, s, e in lower(doc)] + [Span(doc, s, e, label=m) for m, s, e in exact(doc)]
        for span in _longest(spans):
            if _inside_longer_person(span):
                continue  # "Israel Katz" is a person, not a state
            if span.start >= 2 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ in WATERS:
                continue  # "the Gulf of Oman" is a sea, not the state
            for t in span:
                codes[t.i] = span.label_
        places: set[int] = set()
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC", "FAC") and not any(t.i in codes for t in ent):
                code = self.lex.cities.get(normalize(ent.text))
                if code:
                    for t in ent:
                        codes[t.i] = code
                        places.add(t.i)
        self.places_in_doc.append(places)
        self.codes_in_doc.append(codes)
        for _, s, e in titles(doc):
            for t in doc[s:e]:
                self.titles[(d, t.i)] = doc[s:e].text.lower()

    def _top_states(self) -> list[str]:
        """States by how often the article names them (places left out), most first; ties by first mention."""
        counts: dict[str, int] = {}
        for codes, places in zip(self.codes_in_doc, self.places_in_doc):
            for i, code in sorted(codes.items()):
                if i not in places and i - 1 not in codes:
                    counts[code] = counts.get(code, 0) + 1
        return sorted(counts, key=lambda c: -counts[c])

    def _home_state(self) -> str | None:
        """The state named most often in the first paragraphs (places left out), first named on a tie."""
        counts: dict[str, int] = {}
        for codes, places in list(zip(self.codes_in_doc, self.places_in_doc))[:4]:
            seen_heads: set[int] = set()
            for i, code in sorted(codes.items()):
                if i in places or i - 1 in seen_heads:
                    continue
                seen_heads.add(i)
                counts[code] = counts.get(code, 0) + 1
        if not counts:
            return None
        top = max(counts.values())
        return next(c for c in counts if counts[c] == top)

    def _register_people(self, d: int, doc: Doc) -> None:
        if self.lex.people:  # people from the user's actors file, whether or not the NER saw them
            matcher = _matchers(self.lex, doc.vocab)[3]
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                key = doc.vocab.strings[match_id]
                person = self._find_person(key) or self.people.setdefault(
                    key, Person(name=span.text, key=key, code=self.lex.people[key]))
                for t in span:
                    self.refs[(d, t.i)] = Ref(person.code, person)
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            ent = _trim_person(ent)
            if ent is None or all(t.i in self.codes_in_doc[d] for t in ent):
                continue
            if "-" in ent.text and all(self._find_person(name_key(part)) for part in ent.text.split("-") if part.strip()):
                continue  # "the Gallant-Reznikov call": two people already known
            key = name_key(ent.text)
            person = self._find_person(key)
            if person is None:
                person = Person(name=ent.text, key=key, code=self.lex.people.get(key))
                self.people[key] = person
            elif len(key.split()) > len(person.key.split()):
                # a fuller form of a name first seen short: keep the full name
                person.name, person.key = ent.text, key
                self.people[key] = person
            if person.code is None:
                person.code = self._describe(d, doc, ent, person)
            for t in ent:
                self.refs[(d, t.i)] = Ref(person.code, person)

    def _find_person(self, key: str) -> Person | None:
        if key in self.people:
            return self.people[key]
        parts = key.split()
        for person in self.people.values():
            pparts = person.key.split()
            if parts and pparts and (parts[-1] == pparts[-1] or (len(parts) == 1 and parts[0] in pparts)):
                return person
        return None

    def _describe(self, d: int, doc: Doc, ent: Span, person: Person) -> str | None:
        """The state a person acts for, from the words around their first full mention."""
        codes = self.codes_in_doc[d]
        head = ent.root
        window = self._window_code(d, doc, ent)
        if window:
            return window
        # 1. modifiers within the name's own noun phrase: "Ukrainian Defense Minister X", "US Secretary ... X"
        for tok in _modifiers(head, ent):
            if tok.i in codes:
                if self._title_or_name_near(d, tok):
                    return codes[tok.i]
        # 2. an appositive: "X, the head of Ukraine's presidential administration"
        for child in head.children:
            if child.dep_ == "appos":
                code = _first_code(child, codes, skip=ent)
                if code:
                    return code
        # 3. the name is the appositive or example of a phrase: "Ukrainian officials, including X",
        #    "Sa'ar's predecessor, current Energy Minister X"
        node = head
        for _ in range(3):
            if node.dep_ in ("appos", "pobj", "conj") and node.head.i != node.i:
                node = node.head
                if node.pos_ in ("NOUN", "PROPN"):
                    for child in node.children:
                        if child.i in codes and child.dep_ in ("amod", "compound", "poss", "nmod"):
                            return codes[child.i]
                        if child.dep_ == "poss" and node.lemma_.lower() in KIN_OF_SAME_STATE:
                            other = self.refs.get((d, child.i)) or self._person_at(d, child)
                            if other and other.person and other.person.code:
                                return other.person.code
            else:
                break
        if any((d, t.i) in self.titles for t in doc[max(0, ent.start - 4):ent.start]):
            return self._sentence_state(d, ent) or self.home
        return None

    def _person_at(self, d: int, tok: Token) -> Ref | None:
        person = self._surname(name_key(tok.text))
        return Ref(person.code, person) if person else None

    def _window_code(self, d: int, doc: Doc, ent: Span) -> str | None:
        """A state named in the title words just before a name.

        "his Ukrainian counterpart X", "US Secretary of Defense X", "Ukraine's President X",
        "Ukrainian officials, including President X"; not "Ambassador to Israel X".
        """
        codes = self.codes_in_doc[d]
        i, titled = ent.start - 1, False
        while i >= 0 and ent.start - i <= 9:
            tok = doc[i]
            if i in codes:
                before = doc[i - 1].lower_ if i > 0 else ""
                if before in NOT_OWN_STATE:
                    i -= 1
                    continue
                if titled or ent.start - i <= 2:
                    return codes[i]
                return None
            low = tok.lower_
            if (d, i) in self.titles or low in ("counterpart", "officials", "official", "leader", "leaders"):
                titled = True
            elif tok.text == "," and i + 1 < ent.start and doc[i + 1].lower_ in ("including", "like"):
                pass
            elif tok.text == "," and i == ent.start - 1 and i > 0 and ((d, i - 1) in self.titles or doc[i - 1].lower_ in (
                    "counterpart", "minister", "envoy", "ambassador")):
                pass  # "his Indian counterpart, Vikram Joshi"
            elif tok.is_punct and tok.text not in ("-", "'", "’"):
                return None
            elif tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADP" and low not in ("of", "including", "to", "for")):
                return None
            i -= 1
        return None

    def _sentence_state(self, d: int, ent: Span) -> str | None:
        """For a titled person with no state in their description: the first state named in
        the sentence that is not a destination or object ("announced while visiting Kyiv")."""
        codes, places = self.codes_in_doc[d], self.places_in_doc[d]
        for tok in ent.sent:
            if tok.i in codes and tok.i not in places and ent.start > tok.i - 40:
                if _in_object(tok):
                    continue  # "held talks with Brazilian President X": the other side
                return codes[tok.i]
        return None

    def _title_or_name_near(self, d: int, tok: Token) -> bool:
        return tok.dep_ not in ("pobj",) or tok.head.lemma_.lower() not in NOT_OWN_STATE

    def _resolve_references(self, d: int, doc: Doc, quoted: list[bool], state: _Discourse) -> None:
        codes = self.codes_in_doc[d]
        for sent in doc.sents:
            for tok in sent:  # names first, so the speaker of the sentence is known
                key = (d, tok.i)
                if key not in self.refs and tok.i not in codes and tok.pos_ == "PROPN":
                    person = self.people.get(name_key(tok.text)) or self._surname(name_key(tok.text))
                    if person is not None:
                        self.refs[key] = Ref(person.code, person)
            speaker = self._speaker(d, sent, quoted)
            if speaker is None and all(quoted[t.i] or t.is_punct or t.is_space for t in sent):
                speaker = state.last_speaker
            if speaker is not None:
                self.speakers[(d, sent.start)] = speaker
                state.last_speaker = speaker
            for tok in sent:
                key = (d, tok.i)
                low = tok.lower_
                if key in self.refs:
                    ref = self.refs[key]
                    if ref.person is not None:
                        state.see_person(ref.person, tok)
                    continue
                if tok.i in codes:
                    self.refs[key] = Ref(codes[tok.i], place=tok.i in self.places_in_doc[d])
                    if not state.recent_states or state.recent_states[-1] != codes[tok.i]:
                        state.recent_states.append(codes[tok.i])
                    if tok.dep_ in ("nsubj", "nsubjpass", "poss"):
                        state.last_subject_state = codes[tok.i]
                    if tok.head.i not in codes or tok.head.i == tok.i:
                        state.last_state = codes[tok.i]
                    continue
                if tok.pos_ == "PROPN" and tok.ent_type_ != "PERSON":
                    person = self.people.get(name_key(tok.text)) or self._surname(name_key(tok.text))
                    if person is not None:
                        self.refs[key] = Ref(person.code, person)
                        state.see_person(person, tok)
                        continue
                if tok.lemma_.lower() in GROUP_NOUNS and tok.pos_ == "NOUN":
                    group = self._group(tok, state)
                    if group:
                        self.groups[key] = group
                        continue
                    singular_state = tok.lemma_.lower() in SINGLE_STATE_NOUNS and tok.tag_ == "NN"
                    if singular_state and state.last_state and any(c.lower_ in ("the", "that") for c in tok.children):
                        main = [c for c in reversed(state.recent_states) if c in self.top_states[:3]]
                        self.refs[key] = Ref(main[0] if main else state.last_state)  # "the country's supreme leader"
                        continue
                if tok.pos_ == "PRON" or low in PERSON_PRONOUNS:
                    ref = None
                    if low in PERSON_PRONOUNS:
                        person = state.person_for(tok)
                        ref = Ref(person.code, person) if person else None
                    elif low in STATE_PRONOUNS and (state.last_subject_state or state.last_state):
                        ref = Ref(state.last_subject_state or state.last_state)
                    elif quoted[tok.i] and speaker is not None and low in FIRST_PERSON:
                        ref = speaker
                    elif quoted[tok.i] and speaker is not None and low in FIRST_PLURAL and speaker.code:
                        ref = Ref(speaker.code)
                    elif low in ("who", "whom", "whose", "which", "that") and tok.head.dep_ == "relcl":
                        ref = self.refs.get((d, tok.head.head.i))
                    if ref is not None:
                        self.refs[key] = ref
                    continue
                if any(c.dep_ in ("amod", "compound", "poss") and (d, c.i) in self.refs for c in tok.children):
                    continue  # "the Polish minister" is someone else than "the minister" met before
                if tok.pos_ == "NOUN" and low in {t.split()[-1] for t in self.lex.titles} and \
                        any(c.lower_ == "the" for c in tok.children) and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
                    person = state.person_with_title(low, self, d)
                    if person is not None:
                        self.refs[key] = Ref(person.code, person)

    def _group(self, tok: Token, state: _Discourse) -> list[Ref]:
        """"the two countries", "both leaders", "the pair": the last two states (or people of two states)."""
        two = any((c.dep_ == "nummod" and c.lower_ == "two") or (c.lower_ == "both" and c.dep_ in ("det", "predet"))
                  for c in tok.children)
        if not two or tok.tag_ != "NNS":
            return []
        if tok.lemma_.lower() in PERSON_GROUPS:
            people: list[Person] = []
            for person in reversed(state.recent):
                if person.code and all(p.code != person.code for p in people):
                    people.append(person)
                if len(people) == 2:
                    return [Ref(p.code, p) for p in reversed(people)]
        if len(self.top_states) >= 2:
            return [Ref(c) for c in self.top_states[:2]]
        return []

    def group(self, d: int, tok: Token) -> list[Ref]:
        return self.groups.get((d, tok.i), [])

    def _surname(self, key: str) -> Person | None:
        if not key or len(key) < 3:
            return None
        for person in self.people.values():
            if person.surname == key or person.key.replace(" ", "") == key:
                return person
        return None

    def _speaker(self, d: int, sent: Span, quoted: list[bool]) -> Ref | None:
        speech = self.lex.word_sets.get("speech", frozenset())
        for tok in sent:
            if tok.lemma_.lower() in speech and tok.pos_ == "VERB" and not quoted[tok.i]:
                for child in tok.children:
                    if child.dep_ in ("nsubj",):
                        ref = self.ref_of_phrase(d, child)
                        if ref is not None:
                            return ref
        return None

    # -- lookups ----------------------------------------------------------------------------

    def ref(self, d: int, tok: Token) -> Ref | None:
        return self.refs.get((d, tok.i))

    def ref_of_phrase(self, d: int, head: Token, deep: bool = False, skip: set | None = None) -> Ref | None:
        """What the noun phrase headed by ``head`` stands for.

        The head itself, then its possessor, demonym or compound ("Russian attacks",
        "Ukraine's army"), then "of" phrases; ``deep`` searches the whole subtree.
        """
        ref = self.refs.get((d, head.i))
        if ref is not None and (ref.code or ref.person):
            return ref
        if head.lower_ in ("counterpart", "counterparts"):  # "his Ukrainian counterpart X" is X
            doc = head.doc
            for tok in doc[head.i + 1: head.i + 4]:
                ref = self.refs.get((d, tok.i))
                if ref is not None and ref.person is not None:
                    return ref
            for child in head.children:
                ref = self.refs.get((d, child.i))
                if child.dep_ in ("amod", "compound") and ref is not None and ref.code and ref.person is None:
                    return ref
            return None
        children = sorted(head.children, key=lambda c: c.dep_ != "appos")  # "X's predecessor, Y" is Y
        for child in children:
            if child.dep_ in ("poss", "amod", "compound", "nmod", "appos"):
                ref = self.refs.get((d, child.i))
                if ref is not None and (ref.code or ref.person):
                    return ref
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self.ref_of_phrase(d, obj)
                        if found is not None:
                            return found
        if deep:
            for tok in head.subtree:
                if tok.i != head.i:
                    ref = self.refs.get((d, tok.i))
                    if ref is not None and ref.code and ref.code not in (skip or ()):
                        return ref
        return None

    def speaker_of(self, d: int, sent: Span) -> Ref | None:
        return self.speakers.get((d, sent.start))


@dataclass
class _Discourse:
    """The running context used to resolve pronouns, in reading order."""

    last_person: Person | None = None
    last_subject: Person | None = None
    last_state: str | None = None
    last_subject_state: str | None = None
    last_speaker: Ref | None = None
    recent: list[Person] = field(default_factory=list)
    recent_states: list[str] = field(default_factory=list)

    def see_person(self, person: Person, tok: Token) -> None:
        self.last_person = person
        if tok.dep_ in ("nsubj", "nsubjpass") or (tok.head.dep_ in ("nsubj", "nsubjpass") and tok.dep_ in ("compound", "appos")):
            self.last_subject = person
        if person in self.recent:
            self.recent.remove(person)
        self.recent.append(person)

    def person_for(self, tok: Token) -> Person | None:
        if tok.lower_ in ("him", "her", "himself", "herself") and tok.dep_ in ("dobj", "pobj", "dative"):
            subject = _clause_subject_person(tok)
            for person in reversed(self.recent):
                if subject is None or subject not in person.key.split():
                    return person
            return None
        return self.last_subject or self.last_person

    def person_with_title(self, word: str, index: ActorIndex, d: int) -> Person | None:
        for person in reversed(self.recent):
            if person.title and word in person.title:
                return person
        return self.last_subject if word in ("minister", "president", "ambassador", "envoy", "leader") else None


def _in_object(tok: Token) -> bool:
    """Whether a token sits in an object or prepositional phrase of its clause."""
    node = tok
    while node.head.i != node.i and node.pos_ not in ("VERB", "AUX"):
        if node.dep_ in ("pobj", "dobj", "dative"):
            return True
        node = node.head
    return False


def _clause_subject_person(tok: Token) -> str | None:
    verb = tok.head
    while verb.dep_ in ("prep", "pobj") and verb.head.i != verb.i:
        verb = verb.head
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return name_key(child.text).split()[-1] if name_key(child.text) else None
    return None


def _modifiers(head: Token, ent: Span) -> list[Token]:
    """Tokens that modify a name inside its noun phrase, nearest structure first, left to right."""
    out: list[Token] = []
    for child in head.children:
        if child.i >= ent.start and child.i < ent.end:
            continue
        if child.dep_ in ("compound", "amod", "nmod", "poss") and child.i < ent.start:
            out.extend(t for t in child.subtree if t.i < ent.start)
    return sorted(set(out), key=lambda t: t.i)


def _first_code(node: Token, codes: dict[int, str], skip: Span) -> str | None:
    for tok in node.subtree:
        if skip.start <= tok.i < skip.end:
            continue
        if tok.i in codes:
            return codes[tok.i]
    return None


def _inside_longer_person(span: Span) -> bool:
    """Whether an actor phrase is only part of a longer PERSON entity."""
    first, last = span[0], span[-1]
    if first.ent_type_ != "PERSON":
        return False
    doc = span.doc
    starts_before = first.ent_iob_ == "I"
    ends_after = last.i + 1 < len(doc) and doc[last.i + 1].ent_iob_ == "I" and doc[last.i + 1].ent_type_ == "PERSON"
    return starts_before or ends_after


def _trim_person(ent: Span) -> Span | None:
    """Drop a trailing possessive and leading titles the NER took in ("Minister X")."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while end > start and doc[end - 1].tag_ == "POS" or (end > start and doc[end - 1].text in ("’s", "'s", "’", "'")):
        end -= 1
    while start < end and doc[start].pos_ != "PROPN":
        start += 1
    if end - start == 0:
        return None
    words = normalize(doc[start:end].text)
    if len(words) < 2:
        return None if not doc[start:end].text[:1].isupper() else doc[start:end]
    return doc[start:end]
