"""The pure core: a parsed article in, dated diplomatic events out (see the event guide).

``extract_parsed(article, docs, lexicon)`` takes the article and its prose paragraphs
parsed by spaCy and returns events; it reads no files and keeps no state. Steps:

1. find trigger words (``data/triggers.csv``) in prose sentences, outside quotations;
2. read who did what to whom from the dependency parse (subject, object, prepositions);
3. drop negated, hypothetical and planned acts (``data/modality.csv``);
4. date each event from the date expression nearest to it in the parse, else from the
   context (the same conflict's earlier strike, the article's lead date), else leave it
   undated, and say which;
5. merge mentions of the same real-world event.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from .actors import ActorIndex, Ref
from .articles import Paragraph, paragraphs, parser_text
from .dates import DateMention, find_dates, shift
from .lexicon import Lexicon, Trigger
from .model import SYMMETRIC_TYPES, Article, Event, Mention, ResolvedDate

OPEN_QUOTES = "“«„"
CLOSE_QUOTES = "”»"
TIME_NOUNS = frozenset({"night", "evening", "morning", "afternoon", "day", "week", "weekend", "month", "year", "dawn",
                        "time", "hour", "overnight", "noon", "midnight"})
EVENT_NOUNS = frozenset({"summit", "conference", "ceremony", "talk", "meeting", "forum", "session", "visit", "trip",
                         "call", "election", "vote", "attack", "strike", "invasion", "offensive"})
CLAUSES = frozenset({"relcl", "acl", "pcomp"})
SUPERLATIVE = frozenset({"most", "first", "largest", "biggest", "highest", "longest", "deadliest", "worst"})
PLACE_NOUNS = frozenset({"country", "nation"})
TALK_IN_PERSON_DAYS = 1
PHONE_WORDS = frozenset({"phone", "telephone", "telephonic", "video", "videoconference", "call"})
LEAD_DATE_WINDOW = dt.timedelta(days=7)


@dataclass
class Candidate:
    """An event before its date is settled and mentions are merged (internal)."""

    type: str
    source: Ref
    target: Ref
    trigger: Token
    d: int
    sent: Span
    quote_start: int
    quote_end: int
    date: ResolvedDate | None = None
    date_how: str = ""
    own_date: bool = False
    perfect: bool = False
    offset: tuple | None = None
    confidence: float = 0.9
    mentions: list[Mention] = field(default_factory=list)
    date_end: dt.date | None = None


def quoted_tokens(doc: Doc) -> list[bool]:
    """For each token, whether it stands inside quotation marks."""
    flags = [False] * len(doc)
    inside = False
    straight_open = False
    for tok in doc:
        text = tok.text
        if text in OPEN_QUOTES or (text == '"' and not straight_open):
            inside = True
            straight_open = text == '"' or straight_open
            flags[tok.i] = True
            continue
        if text in CLOSE_QUOTES or (text == '"' and straight_open):
            flags[tok.i] = True
            inside = False
            straight_open = False
            continue
        flags[tok.i] = inside
    return flags


def parse_article(article: Article, nlp) -> list[tuple[Paragraph, Doc]]:
    """Parse the paragraphs that matter for events and actors (prose, headings, captions)."""
    paras = [p for p in paragraphs(article.text) if p.is_context]
    docs = nlp.pipe([parser_text(article.text[p.start:p.end]) for p in paras])
    return list(zip(paras, docs))


def extract(article: Article, nlp, lexicon: Lexicon | None = None) -> list[Event]:
    """Events of one article (parses it with ``nlp``).

    >>> # extract(make_article("a1", "date 2024-03-06 France and Germany signed a treaty on Monday."), nlp)
    """
    from .lexicon import default_lexicon

    return extract_parsed(article, parse_article(article, nlp), lexicon or default_lexicon())


def extract_parsed(article: Article, parsed: list[tuple[Paragraph, Doc]], lex: Lexicon) -> list[Event]:
    """Events of one article from its parsed paragraphs. Pure: same input, same output."""
    docs = [doc for _, doc in parsed]
    quoted = [quoted_tokens(doc) for doc in docs]
    index = ActorIndex.build(lex, docs, quoted)
    reader = _Reader(article, parsed, quoted, index, lex)
    cands = reader.candidates()
    cands = reader.resolve_event_objects(cands)
    reader.settle_dates(cands)
    cands = reader.settle_talks(cands)
    merged = merge(cands)
    reader.attach_anaphors(merged)
    return [reader.to_event(c) for c in merged]


class _Reader:
    def __init__(self, article: Article, parsed, quoted, index: ActorIndex, lex: Lexicon) -> None:
        self.article = article
        self.parsed = parsed
        self.quoted = quoted
        self.index = index
        self.lex = lex
        self.dates: dict[tuple[int, int], list[tuple[DateMention, Token]]] = {}
        self.anaphors: list[tuple[str, int, int]] = []
        self._recent: list[tuple[int, DateMention, bool]] | None = None
        self.event_objects: list = []
        self.lead: DateMention | None = None

    # -- dates in sentences ---------------------------------------------------------------

    def _sentence_dates(self, d: int, sent: Span) -> list[tuple[DateMention, Token]]:
        key = (d, sent.start)
        if key not in self.dates:
            out = []
            doc = sent.doc
            for m in find_dates(sent.text, self.article.published):
                span = doc.char_span(sent.start_char + m.start, sent.start_char + m.end, alignment_mode="expand")
                if span is not None and len(span):
                    out.append((m, span.root))
            self.dates[key] = out
        return self.dates[key]

    def _recent_dates(self) -> list[tuple[int, DateMention, bool]]:
        """Day-precision dates of the week before publication, outside quotes, in reading order:
        (article offset, mention, whether it is in a main clause rather than a relative clause)."""
        if self._recent is None:
            self._recent = []
            pub = self.article.published
            for d, (para, doc) in enumerate(self.parsed):
                if not para.is_prose or pub is None:
                    continue
                for sent in doc.sents:
                    for m, tok in self._sentence_dates(d, sent):
                        r = m.resolved
                        if r and r.precision == "day" and pub - LEAD_DATE_WINDOW <= r.start <= pub and not self.quoted[d][tok.i]:
                            main = not any(a.dep_ in ("relcl", "acl") for a in [tok, *tok.ancestors])
                            self._recent.append((para.start + sent.start_char, m, main))
        return self._recent

    def _lead_date(self) -> DateMention | None:
        recent = self._recent_dates()
        return recent[0][1] if recent else None

    # -- candidates -----------------------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        for d, (para, doc) in enumerate(self.parsed):
            if not para.is_prose:
                continue
            for sent in doc.sents:
                if sent.text.rstrip().endswith("?"):
                    continue
                for tok in sent:
                    if self.quoted[d][tok.i]:
                        continue
                    pos = "VERB" if tok.pos_ in ("VERB", "AUX") else "NOUN" if tok.pos_ in ("NOUN", "PROPN") else None
                    if pos is None:
                        continue
                    for trig in self.lex.triggers_for(tok.lemma_, pos):
                        out.extend(self._read(trig, tok, d, para, sent))
                out.extend(self._speech_acts(d, para, sent))
        return out

    def _read(self, trig: Trigger, tok: Token, d: int, para: Paragraph, sent: Span) -> list[Candidate]:
        if not self._needs_met(trig, tok, d):
            return []
        verb = tok if trig.pos == "VERB" else _clause_verb(tok)
        if trig.verbs is not None and not self._governed_by(tok, trig.verbs):
            return []
        if trig.objects is not None and not self._object_in(tok, trig.objects):
            return []
        if self._blocked(tok, verb, trig):
            return []
        if trig.type == "strike" and any(t.lemma_.lower() in self.lex.modality.get("exercise", ()) for t in sent):
            return []  # missiles fired in a drill or test are no strike
        sources, targets = self._roles(trig, tok, verb, d)
        if not sources and not targets and trig.pos == "NOUN" and any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these") for c in tok.children):
            # "The agreement, signed on Monday, ...": a later mention of an event already told
            self.anaphors.append((trig.type, para.start + sent.start_char, para.start + sent.end_char))
            return []
        if trig.type == "strike" and trig.pos == "NOUN" and tok.dep_ == "dobj" and \
                tok.head.lemma_.lower() in self.lex.word_sets.get("condemn", frozenset()) and \
                not any(c.dep_ in ("poss", "amod", "compound") and self.index.ref(d, c) for c in tok.children) and any(
                c.dep_ == "det" and c.lower_ in ("the", "these", "this", "that") for c in tok.children):
            self.event_objects.append((tok, d, sent, para, trig))
        if not sources:
            return []
        if not targets and trig.type in SYMMETRIC_TYPES | {"talk"} and len(sources) > 1:
            sources, targets = sources[:1], sources[1:]
        if not targets and trig.type == "strike" and self._unknown_place(tok, trig):
            targets = self._other_state_in_sentence(d, sent, sources)
        pairs = [(s, t) for s in sources for t in targets
                 if s.code and t.code and s.code != t.code]
        if trig.type == "visit":
            pairs = [(s, t) for s, t in pairs if t.person is None]
        if trig.type in ("meeting", "call", "talk") and self._private_counterpart(tok, trig):
            return []
        start = para.start + sent.start_char
        end = para.start + sent.end_char
        perfect = _is_perfect(verb)
        return [Candidate(trig.type, s, t, tok, d, sent, start, end, perfect=perfect) for s, t in pairs]

    def _speech_acts(self, d: int, para: Paragraph, sent: Span) -> list[Candidate]:
        """Accusations and appeals inside reported speech: statements by the speaker.

        "“Iran threatened Israel,” X said" is X's accusation against Iran; "X said that
        Israel should help" is X's appeal to Israel.
        """
        speaker = self.index.speaker_of(d, sent)
        if speaker is None or not speaker.code:
            return []
        accuse = self.lex.word_sets.get("accuse", frozenset())
        urging = self.lex.modality.get("urging", frozenset())
        out = []
        for tok in sent:
            if tok.pos_ != "VERB":
                continue
            in_speech = self.quoted[d][tok.i] or any(a.dep_ == "ccomp" for a in [tok, *tok.ancestors][:3])
            if not in_speech:
                continue
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            addressee = None
            lemma = tok.lemma_.lower()
            if subj is not None:
                ref = self.index.ref(d, subj)
                state = ref.code if ref is not None and ref.person is None else None
                if state and self.quoted[d][tok.i] and lemma in accuse and not _negated(tok):
                    addressee = state
                elif state and any(c.dep_ == "aux" and c.lower_ in urging for c in tok.children):
                    addressee = state
            if addressee is None and lemma in ("like", "want") and any(c.dep_ == "aux" and c.lower_ == "would" for c in tok.children):
                for c in tok.children:
                    if c.dep_ in ("ccomp", "xcomp"):
                        inner = next((g for g in c.children if g.dep_ == "nsubj"), None)
                        ref = self.index.ref(d, inner) if inner is not None else None
                        if ref is not None and ref.code and ref.person is None:
                            addressee = ref.code
            if addressee and addressee != speaker.code:
                start = para.start + sent.start_char
                out.append(Candidate("statement", speaker, Ref(addressee), tok, d, sent, start,
                                     para.start + sent.end_char, confidence=0.7))
        return out

    def _needs_met(self, trig: Trigger, tok: Token, d: int) -> bool:
        for need in trig.needs:
            kind, _, arg = need.partition(":")
            words = set(arg.split("|")) if arg else set()
            if kind == "noprep":
                if any(c.dep_ in ("prep", "prt") and c.lower_ in words for c in tok.children):
                    return False
            elif kind == "nochild":
                for spec in arg.split("|") if "=" not in arg else [arg]:
                    dep, _, lemmas = spec.partition("=")
                    for c in tok.children:
                        if c.dep_ == dep and (not lemmas or c.lemma_.lower() in lemmas.split("|")):
                            return False
            elif kind == "sibling":
                if not any(c.lemma_.lower() in words for c in tok.children if c.dep_ in ("compound", "amod", "nmod")):
                    return False
            elif kind == "plural":
                if tok.tag_ not in ("NNS", "NNPS"):
                    return False
            elif kind == "xcomp":
                if not any(c.dep_ in ("xcomp", "ccomp") for c in tok.children):
                    return False
            elif kind in ("object_person", "object_actor"):
                obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
                ref = self.index.ref_of_phrase(d, obj, deep=True) if obj is not None else None
                if kind == "object_actor" and ref is None and obj is not None and _names_place(obj):
                    continue  # "hit the village of Agdam": a place the lexicons do not know
                if ref is None or (kind == "object_person" and ref.person is None):
                    return False
        return True

    def _governed_by(self, tok: Token, verbs: frozenset[str]) -> bool:
        head = tok.head
        if tok.dep_ in ("dobj", "nsubjpass", "nsubj", "attr", "conj", "pobj", "oprd") and head.lemma_.lower() in verbs:
            return True
        if tok.dep_ == "conj" and head.head.lemma_.lower() in verbs:
            return True
        if tok.dep_ == "pobj" and head.head.lemma_.lower() in verbs:
            return True
        return any(c.dep_ in ("acl", "relcl") and c.lemma_.lower() in verbs for c in tok.children)

    def _object_in(self, tok: Token, objects: frozenset[str]) -> bool:
        for c in tok.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                quantity = [g for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                            for g in p.children if g.dep_ == "pobj"]  # "dozens of drones"
                for obj in [c, *c.conjuncts, *quantity]:
                    if obj.lemma_.lower() in self.lex.word_sets.get("qualified_aid", ()) and not any(
                            g.lemma_.lower() in self.lex.word_sets.get("aid_kind", ()) for g in obj.children):
                        continue  # "full support" is backing, "military support" is aid
                    if obj.lemma_.lower() in objects or any(
                            g.lemma_.lower() in objects for g in obj.children if g.dep_ in ("compound", "amod", "nmod")):
                        return True
                    if obj.lemma_.lower() in ("worth", "batch", "shipment", "consignment", "round", "tranche", "wave"):
                        return True
        return False

    def _blocked(self, tok: Token, verb: Token | None, trig: Trigger) -> bool:
        mod = self.lex.modality
        if _negated(tok) or any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            return True
        if trig.pos == "NOUN" and tok.dep_ in ("dobj", "pobj") and tok.head.lemma_.lower() in mod.get("governor", ()):
            return True  # "discussing reconstruction aid", "sought talks": not (yet) the act
        if trig.pos == "VERB" and any(c.dep_ == "dobj" and any(g.dep_ == "det" and g.lower_ == "no" for g in c.children)
                                      for c in tok.children):
            return True  # "sent no weapons"
        if any(c.dep_ == "amod" and (c.lemma_.lower() in mod.get("adjective", ()) or c.lower_ in mod.get("adjective", ()))
               for c in tok.children):
            return True
        if verb is None:
            return False
        node = verb
        for _ in range(5):
            if node.i != tok.i and _negated(node):
                return True
            if any(c.dep_ == "aux" and c.lower_ in mod.get("modal", ()) for c in node.children):
                return True
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in node.children):
                return True
            to_inf = any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.children)
            head = node.head
            if head.i == node.i:
                break
            hl = head.lemma_.lower()
            if hl in mod.get("negation", ()) and node.dep_ in ("xcomp", "dobj", "ccomp", "pcomp"):
                return True
            if to_inf or node.dep_ in ("xcomp", "pcomp") or (node.dep_ == "pobj" and head.dep_ == "prep"):
                if hl in mod.get("governor", ()) and not (trig.type == "aid" and hl in mod.get("factive", ())):
                    return True
                if to_inf and hl not in mod.get("factive", ()):
                    return True
            if node.dep_ not in ("xcomp", "advcl", "conj", "acl", "pcomp", "pobj", "prep", "dobj", "relcl", "nsubjpass"):
                break
            node = head
        return False

    def _roles(self, trig: Trigger, tok: Token, verb: Token | None, d: int) -> tuple[list[Ref], list[Ref]]:
        sources: list[Ref] = []

        def ref(d: int, head: Token, deep: bool = False) -> Ref | None:
            return self.index.ref_of_phrase(d, head, deep=deep, skip={s.code for s in sources})
        targets: list[Ref] = []
        deep = trig.type in ("strike", "statement", "sanction", "visit", "aid")
        passive_agent = None
        if verb is not None:
            for c in verb.children:
                if c.dep_ == "agent":
                    passive_agent = next((g for g in c.children if g.dep_ == "pobj"), None)
        if trig.pos == "NOUN":
            for c in tok.children:
                if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < tok.i:
                    r = self.index.ref(d, c)
                    if r is not None and (r.code or r.person):
                        if "compound" in trig.target and c.dep_ == "compound" and sources:
                            targets.append(r)
                        else:
                            sources.append(r)
                if c.dep_ == "prep" and c.lower_ == "by":
                    obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    r = ref(d, obj) if obj is not None else None
                    if r is not None:
                        sources.append(r)
            if "compound" in trig.target:
                sources, targets = self._split_hyphen_pair(tok, d, sources, targets)
        if not sources and trig.type == "strike" and trig.pos == "NOUN" and tok.dep_ == "pobj":
            sources, targets = self._borrow(tok, d)  # "its war against Ukraine, which began with the invasion"
        if not sources and verb is not None:
            if passive_agent is not None:
                r = ref(d, passive_agent)
                if r is not None:
                    sources.append(r)
            else:
                subj = _subject(verb)
                if subj is not None:
                    sources = self.index.group(d, subj) or [
                        r for s in [subj, *subj.conjuncts] if (r := ref(d, s)) is not None]
                    sources += self._coordinated_modifiers(subj, d)
        if not sources and trig.type == "strike":
            sources, targets = self._borrow(tok, d)
        # targets
        holders = [tok]
        if trig.pos == "VERB":
            holders += [c for c in tok.children if c.dep_ in ("dobj", "attr")]
        else:  # "a visit by an Israeli official to Ukraine": the place hangs off the agent
            holders += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "of")
                        for g in c.children if g.dep_ == "pobj"]
            if tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
                holders.append(tok.head)  # "carried out strikes on X", "held talks with X"
        for spec in trig.target:
            if targets:
                break
            if spec == "dobj" and trig.pos == "VERB":
                nsubjpass = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
                objs = [c for c in tok.children if c.dep_ == "dobj"]
                if passive_agent is not None and nsubjpass is not None:
                    objs = [nsubjpass]
                for o in objs:
                    for obj in [o, *o.conjuncts]:
                        r = ref(d, obj, deep=deep)
                        if r is not None:
                            targets.append(r)
                        elif obj.lemma_.lower() in PLACE_NOUNS:
                            r = self._last_state_before(d, obj)
                            if r is not None:
                                targets.append(r)
            elif spec == "dative":
                for c in tok.children:
                    if c.dep_ == "dative":
                        r = ref(d, c)
                        if r is not None:
                            targets.append(r)
            elif spec in ("poss", "amod", "compound"):
                if spec != "compound" or trig.pos == "VERB":
                    for c in tok.children:
                        if c.dep_ == spec:
                            r = self.index.ref(d, c)
                            if r is not None and r.code:
                                targets.append(r)
            else:
                for h in holders:
                    for c in h.children:
                        if c.dep_ in ("prep", "dative") and c.lower_ == spec:
                            for obj in c.children:
                                if obj.dep_ not in ("pobj", "pcomp"):
                                    continue
                                for o in [obj, *obj.conjuncts]:
                                    r = ref(d, o, deep=deep or obj.dep_ == "pcomp")
                                    if r is None and o.lemma_.lower() in PLACE_NOUNS:
                                        r = self._last_state_before(d, o)
                                    if r is not None:
                                        targets.append(r)
                                if spec == "between" and len(targets) >= 2 and not sources:
                                    sources, targets = targets[:1], targets[1:]
        if targets and trig.pos == "VERB":  # "his Congolese and Rwandan counterparts"
            for c in tok.children:
                if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in trig.target):
                    objs = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"]
                    for o in objs:
                        targets += self._coordinated_modifiers(o, d)
        elif trig.pos == "NOUN" and targets:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in trig.target:
                    for o in c.children:
                        if o.dep_ == "pobj":
                            targets += self._coordinated_modifiers(o, d)
        targets = [t for t in targets if t.code]
        sources = [r for r in sources if not r.place]  # a city is where things happen, not who acts
        if not targets and sources and trig.pos == "VERB" and trig.type in ("aid", "statement") and tok.dep_ == "conj":
            targets = self._sibling_target(tok, d, {s.code for s in sources})  # "met X's minister and pledged aid"
        if not targets and sources and trig.pos == "VERB" and not any(c.dep_ == "dobj" for c in tok.children) and (
                trig.type == "aid" or tok.lemma_.lower() in self.lex.word_sets.get("appeal", frozenset())):
            targets = self._state_in_complement(tok, d, {s.code for s in sources})
        if trig.type == "strike" and sources and not targets:
            _, borrowed = self._borrow(tok, d)
            targets = borrowed
        return _unique(sources), _unique(targets)

    def _coordinated_modifiers(self, head: Token, d: int) -> list[Ref]:
        """"Indian and Pakistani officials": each coordinated modifier is one side."""
        out = []
        for c in head.children:
            if c.dep_ in ("amod", "compound", "nmod") and c.conjuncts:
                for m in c.conjuncts:
                    r = self.index.ref(d, m)
                    if r is not None and r.code:
                        out.append(r)
        return out

    def _sibling_target(self, tok: Token, d: int, own: set[str | None]) -> list[Ref]:
        head = tok.head
        for c in head.children:
            objs = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"] if (
                c.dep_ == "prep" and c.lower_ == "with") else []
            for o in objs:
                r = self.index.ref_of_phrase(d, o)
                if r is not None and r.code and r.code not in own:
                    return [r]
        return []

    def _state_in_complement(self, tok: Token, d: int, own: set[str | None]) -> list[Ref]:
        """"warned that the Syrian government would pay", "pledged $100m to help pay Lebanese soldiers":
        the first other state named in the verb's complement clause."""
        for c in tok.children:
            if c.dep_ in ("ccomp", "xcomp", "advcl"):
                for t in c.subtree:
                    r = self.index.ref(d, t)
                    if r is not None and r.code and r.code not in own and r.person is None:
                        return [Ref(r.code)]
        return []

    def _split_hyphen_pair(self, tok: Token, d: int, sources: list[Ref], targets: list[Ref]):
        """"the Gallant-Reznikov call": the two compound names are the two sides."""
        refs = []
        for c in tok.children:
            if c.dep_ in ("compound", "nmod", "amod") and c.i < tok.i:
                for g in c.subtree:
                    r = self.index.ref(d, g)
                    if r is not None and (r.person or r.code) and r not in refs:
                        refs.append(r)
        if len(refs) >= 2:
            return refs[:1], refs[1:2]
        return sources, targets

    def _borrow(self, tok: Token, d: int) -> tuple[list[Ref], list[Ref]]:
        """Actors for a bare "invasion" from the noun phrase it belongs to ("its war against Ukraine")."""
        node = tok
        for _ in range(6):
            if node.head.i == node.i:
                break
            node = node.head
            if node.pos_ not in ("NOUN", "PROPN"):
                continue
            src = [r for c in node.children if c.dep_ in ("poss", "amod", "compound")
                   and (r := self.index.ref(d, c)) is not None and r.code]
            tgt = []
            for c in node.children:
                if c.dep_ == "prep" and c.lower_ in ("against", "on", "in"):
                    for obj in c.children:
                        if obj.dep_ == "pobj":
                            r = self.index.ref_of_phrase(d, obj)
                            if r is not None and r.code:
                                tgt.append(r)
            if src and tgt:
                return src[:1], tgt[:1]
        return [], []

    def _private_counterpart(self, tok: Token, trig: Trigger) -> bool:
        """"met relatives of abductees", "met business leaders": not officials of a state."""
        private = self.lex.word_sets.get("private", frozenset())
        objects = [c for c in tok.children if c.dep_ == "dobj"] + [
            g for c in tok.children if c.dep_ == "prep" and c.lower_ in trig.target for g in c.children if g.dep_ == "pobj"]
        return any(o.lemma_.lower() in private or any(g.lemma_.lower() in private for g in o.children
                                                      if g.dep_ in ("compound", "amod")) for o in objects)

    def _unknown_place(self, tok: Token, trig: Trigger) -> bool:
        """Whether the act names a place the lexicons do not know ("a strike on Bat Yam",
        "shelled the village of Chinari")."""
        objects = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in trig.target
                   for g in c.children if g.dep_ == "pobj"]
        if "dobj" in trig.target:
            objects += [c for c in tok.children if c.dep_ == "dobj"]
        return any(_names_place(o) for o in objects)

    def _other_state_in_sentence(self, d: int, sent: Span, sources: list[Ref]) -> list[Ref]:
        codes = {s.code for s in sources}
        others = []
        for tok in sent:
            r = self.index.ref(d, tok)
            if r is not None and r.code and r.person is None and r.code not in codes and r.code not in {o.code for o in others}:
                others.append(Ref(r.code))
        return others if len(others) == 1 else []

    def _last_state_before(self, d: int, tok: Token) -> Ref | None:
        for t in reversed(list(tok.doc[: tok.i])):
            r = self.index.ref(d, t)
            if r is not None and r.code and r.person is None:
                return Ref(r.code)
        return None

    # -- dates ----------------------------------------------------------------------------

    def settle_dates(self, cands: list[Candidate]) -> None:
        self.lead = self._lead_date()
        pub = self.article.published
        for c in cands:
            mention, tok = self._nearest_date(c)
            if mention is not None and mention.resolved is not None:
                c.date, c.own_date = mention.resolved, True
                c.date_how = mention.resolved.how + ("; 'since': when it began" if mention.since else "")
            elif mention is not None and mention.offset is not None:
                c.offset = (mention, tok)
        for c in cands:
            if c.date is not None:
                continue
            if c.offset is not None:
                mention, tok = c.offset
                base = self._offset_base(c, mention, tok, cands)
                moved = None
                if base is not None:
                    inside = mention.follows_clause and _descends_from(c.trigger, tok)
                    moved = shift(base, -mention.offset if inside else mention.offset, mention.text)
                if moved is not None and (pub is None or moved.start <= pub):
                    c.date = moved
                    c.date_how = f"'{mention.text}' {'the event it precedes' if inside else 'an earlier date'} ({base.iso})"
                    c.own_date = True
                    continue
            if _alleged(c.trigger):
                c.date_how = "undated: an alleged act ('accused X of ...') with no date of its own"
                c.confidence = 0.5
                continue
            if c.perfect:
                c.date_how = "undated: present perfect with no date expression (an indefinite past)"
                c.confidence = 0.5
                continue
            if pub is None:
                c.date_how = "undated: the article has no publication date"
                c.confidence = 0.5
                continue
            earlier = self._same_conflict(c, cands)
            if earlier is not None:
                c.date = replace(earlier.date, how=f"same conflict as an earlier strike dated '{earlier.date.text}'")
                c.date_how = c.date.how
                c.confidence = 0.6
            elif (story := self._story_date(c)) is not None:
                c.date = replace(story, how=f"no date in the sentence: the story's last date before it, '{story.text}'")
                c.date_how = c.date.how
                c.confidence = 0.7
            else:
                c.date = ResolvedDate(pub, pub, "day", "", "no date expression in the article: publication date")
                c.date_how = c.date.how
                c.confidence = 0.5

    def _story_date(self, c: Candidate) -> ResolvedDate | None:
        """The day the story is at when an event's sentence has no date: the last recent,
        day-precision date of a main clause before it ("On Wednesday, X held talks ..."),
        else the article's lead date."""
        before = [m for pos, m, main in self._recent_dates() if main and pos < c.quote_start]
        if before:
            return before[-1].resolved
        return self.lead.resolved if self.lead is not None else None

    def _nearest_date(self, c: Candidate) -> tuple[DateMention | None, Token | None]:
        best = None
        superlative = _has_superlative(c.trigger)
        alleged = _alleged(c.trigger)  # "accused X on Monday of attacking"
        for m, tok in self._sentence_dates(c.d, c.sent):
            if self.quoted[c.d][tok.i] and not self.quoted[c.d][c.trigger.i]:
                continue
            if alleged and c.trigger.i not in {a.i for a in tok.ancestors} | {tok.i}:
                continue  # the accusation's date is not the alleged act's
            if tok.dep_ in ("compound", "nmod", "amod") and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i != c.trigger.i \
                    and tok.head.lemma_.lower() not in TIME_NOUNS | EVENT_NOUNS:
                continue  # "the November 2024 ceasefire" dates the ceasefire, not this event
            if _in_other_clause(tok, c.trigger):
                continue  # "rebels, who launched drones in 2019": the relative clause's own date
            if m.since and superlative:
                continue
            dist = _tree_distance(c.trigger, tok) + (1 if m.offset is not None else 0)  # an explicit date wins a tie
            key = (dist, abs(tok.i - c.trigger.i))
            if best is None or key < best[0]:
                best = (key, m, tok)
        return (best[1], best[2]) if best else (None, None)

    def _offset_base(self, c: Candidate, mention: DateMention, tok: Token, cands: list[Candidate]) -> ResolvedDate | None:
        if not mention.follows_clause:
            # "two days later", "the next morning": from the last date before it in the sentence,
            # else from the last dated event told before this sentence
            day_only = "day" not in mention.text.lower() or "days" in mention.text.lower()
            earlier = [m for m, _ in self._sentence_dates(c.d, c.sent) if m.resolved is not None and m.start < mention.start
                       and (m.resolved.precision == "day" or not day_only)]
            if earlier:
                return earlier[-1].resolved
            before = [o for o in cands if o.own_date and o.date is not None and o.quote_start < c.quote_start
                      and o.date.precision == "day"]
            if before:
                return max(before, key=lambda o: (o.quote_start, o.trigger.i)).date
            return self.lead.resolved if self.lead is not None else None
        inside = _descends_from(c.trigger, tok)
        for m, t in self._sentence_dates(c.d, c.sent):
            if m is mention or m.resolved is None:
                continue
            if _descends_from(t, tok) != inside:
                return m.resolved
        if inside:
            return self.lead.resolved if self.lead is not None else None
        if _offset_governs_clause(tok):
            return None  # "a day after X said ...": X's own date is unknown, so this one is too
        before = [o for o in cands if o.own_date and o.date is not None and o.quote_start < c.quote_start]
        return max(before, key=lambda o: o.quote_start).date if before else None  # "a day after the first strike"

    def _same_conflict(self, c: Candidate, cands: list[Candidate]) -> Candidate | None:
        if c.type != "strike":
            return None
        pair = {c.source.code, c.target.code}
        found = None
        for o in cands:
            if o is c or o.type != "strike" or not o.own_date or o.date is None:
                continue
            if {o.source.code, o.target.code} == pair and o.quote_start <= c.quote_start:
                found = o
        return found

    def settle_talks(self, cands: list[Candidate]) -> list[Candidate]:
        """"spoke with" is a meeting when the two were together on a visit, else a call."""
        visits = [c for c in cands if c.type == "visit" and c.date is not None and c.own_date]
        for c in cands:
            if c.type != "talk":
                continue
            c.type = "call"
            if c.date is None or any(t.lemma_.lower() in PHONE_WORDS for t in c.sent):
                continue
            for v in visits:
                if {v.source.code, v.target.code} == {c.source.code, c.target.code} and \
                        abs((v.date.start - c.date.start).days) <= TALK_IN_PERSON_DAYS + (v.date.end - v.date.start).days:
                    c.type = "meeting"
                    c.date_how += "; in person: during a visit"
                    break
        return cands

    def resolve_event_objects(self, cands: list[Candidate]) -> list[Candidate]:
        """"X condemned the strikes": a statement about an event told before is addressed to its actor."""
        out = list(cands)
        for tok, d, sent, para, _trig in self.event_objects:
            verb = tok.head
            subj = _subject(verb)
            src = self.index.ref_of_phrase(d, subj) if subj is not None else None
            if src is None or not src.code:
                continue
            start = para.start + sent.start_char
            kinds = [c for c in cands if c.type == "strike" and c.quote_start < start and c.source.code != src.code]
            if not kinds:
                continue
            earlier = max(kinds, key=lambda c: (c.quote_start, c.trigger.i))
            out.append(Candidate("statement", src, Ref(earlier.source.code), verb, d, sent, start,
                                 para.start + sent.end_char, perfect=_is_perfect(verb), confidence=0.7))
        return out

    def attach_anaphors(self, merged: list[Candidate]) -> None:
        """Add "the call", "the agreement" sentences as mentions of the latest such event before them."""
        for kind, start, end in self.anaphors:
            before = [c for c in merged if c.type == kind and c.quote_start < start]
            if before:
                target = max(before, key=lambda c: c.quote_start)
                if all((m.quote_start, m.quote_end) != (start, end) for m in target.mentions):
                    target.mentions.append(Mention("", "", start, end))

    # -- output ---------------------------------------------------------------------------

    def to_event(self, c: Candidate) -> Event:
        date = c.date
        quote = self.article.text[c.quote_start:c.quote_end]
        date_end = None
        if date is not None and c.date_end is not None and c.date_end > date.end:
            date_end = c.date_end.isoformat()
        eid = hashlib.sha1("|".join(map(str, (
            self.article.id, c.type, c.source.code, c.target.code, date.iso if date else "", c.quote_start,
        ))).encode()).hexdigest()[:16]
        return Event(
            id=eid, article=self.article.id, type=c.type, source=c.source.code or "", target=c.target.code or "",
            source_person=c.source.person.name if c.source.person else None,
            target_person=c.target.person.name if c.target.person else None,
            date=date.iso if date else None, date_end=date_end, precision=date.precision if date else None,
            date_text=(date.text or None) if date else None, date_how=c.date_how,
            quote=quote, quote_start=c.quote_start, quote_end=c.quote_end, trigger=c.trigger.text,
            confidence=round(c.confidence, 2),
            mentions=tuple(Mention(self.article.id, self.article.text[m.quote_start:m.quote_end], m.quote_start,
                                   m.quote_end) for m in c.mentions)
            or (Mention(self.article.id, quote, c.quote_start, c.quote_end),),
        )


# -- merging ------------------------------------------------------------------------------


def _persons_agree(a: Ref, b: Ref) -> bool:
    return a.person is None or b.person is None or a.person.key == b.person.key


def _same_event(a: Candidate, b: Candidate) -> bool:
    if a.type != b.type:
        return False
    same = (a.source.code, a.target.code) == (b.source.code, b.target.code)
    swapped = (a.source.code, a.target.code) == (b.target.code, b.source.code)
    if not (same or (a.type in SYMMETRIC_TYPES and swapped)):
        return False
    if same and not (_persons_agree(a.source, b.source) and _persons_agree(a.target, b.target)):
        return False
    if swapped and not same and not (_persons_agree(a.source, b.target) and _persons_agree(a.target, b.source)):
        return False
    if a.date is None or b.date is None:
        return a.date is None and b.date is None
    gap = 1 if a.type == "visit" else 0
    return a.date.start <= b.date.end + dt.timedelta(days=gap) and b.date.start <= a.date.end + dt.timedelta(days=gap)


def merge(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per real-world event; the best-dated mention leads, all quotes kept."""
    out: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (c.quote_start, c.trigger.i)):
        for o in out:
            if _same_event(o, c):
                _absorb(o, c)
                break
        else:
            c.mentions = [Mention("", "", c.quote_start, c.quote_end)]
            out.append(c)
    return out


def _absorb(keep: Candidate, other: Candidate) -> None:
    if (keep.mentions[-1].quote_start, keep.mentions[-1].quote_end) != (other.quote_start, other.quote_end):
        keep.mentions.append(Mention("", "", other.quote_start, other.quote_end))
    if keep.source.person is None and other.source.person is not None and keep.source.code == other.source.code:
        keep.source = other.source
    if keep.target.person is None and other.target.person is not None and keep.target.code == other.target.code:
        keep.target = other.target
    if keep.date is None or other.date is None:
        return
    if other.own_date and not keep.own_date:
        keep.date, keep.date_how, keep.own_date = other.date, other.date_how, True
        keep.quote_start, keep.quote_end, keep.confidence = other.quote_start, other.quote_end, other.confidence
    elif other.own_date and keep.own_date and keep.type == "visit" and other.date.start != keep.date.start:
        first, last = sorted([keep.date, other.date], key=lambda r: r.start)
        end = max(first.end, last.end, keep.date_end or first.end)
        keep.date, keep.date_how = first, first.how + f"; continues to '{last.text}'"
        keep.date_end = end


# -- parse helpers ------------------------------------------------------------------------


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if tok.dep_ == "conj" and not any(c.dep_ in ("nsubj", "aux") for c in tok.children):
        return any(c.dep_ == "neg" for c in tok.head.children) and tok.head.pos_ == "VERB"
    return tok.dep_ == "pcomp" and tok.head.lower_ == "without"


def _clause_verb(tok: Token) -> Token | None:
    node = tok
    for _ in range(6):
        if node.head.i == node.i:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return None


def _subject(verb: Token) -> Token | None:
    node = verb
    if node.dep_ == "pcomp" and node.head.lower_ == "of":  # "accusing Rwandan troops of shelling"
        governor = node.head.head
        obj = next((c for c in governor.children if c.dep_ == "dobj"), None)
        if obj is not None and not any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
            return obj
    for _ in range(4):
        for c in node.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("that", "which"):
                return c
        if node.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl") and node.head.i != node.i:
            if node.dep_ == "xcomp":
                obj = next((c for c in node.head.children if c.dep_ == "dobj"), None)
                if obj is not None:
                    return obj
            node = node.head
            while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
                node = node.head
        elif node.dep_ == "relcl":
            return node.head
        else:
            return None
    return None


def _is_perfect(verb: Token | None) -> bool:
    if verb is None:
        return False
    node = verb
    if node.dep_ == "conj" and not any(c.dep_ == "aux" for c in node.children):
        node = node.head
    return any(c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in ("VBZ", "VBP") for c in node.children) \
        and node.tag_ in ("VBN", "VBG")


def _has_superlative(tok: Token) -> bool:
    near = [tok, *tok.children]
    if tok.dep_ == "attr":
        near += list(tok.head.children)
    for t in list(near):
        near += list(t.children)
    return any(t.tag_ in ("JJS", "RBS") or t.lower_ in SUPERLATIVE for t in near)


def _tree_distance(a: Token, b: Token) -> int:
    ancestors_a = {a.i: 0}
    node, n = a, 0
    while node.head.i != node.i:
        node, n = node.head, n + 1
        ancestors_a[node.i] = n
    node, n = b, 0
    while True:
        if node.i in ancestors_a:
            return n + ancestors_a[node.i]
        if node.head.i == node.i:
            return 99
        node, n = node.head, n + 1


def _offset_word(anchor: Token) -> Token | None:
    doc = anchor.doc
    near = [t for t in [*anchor.subtree, *doc[max(0, anchor.i - 3): anchor.i + 4]] if t.lower_ in ("after", "before")]
    return min(near, key=lambda t: abs(t.i - anchor.i)) if near else None


def _descends_from(tok: Token, anchor: Token) -> bool:
    """Whether ``tok`` sits in what the "after"/"before" of a date offset ("a day after X") governs."""
    word = _offset_word(anchor)
    if word is None:
        return False
    root = word.head if word.dep_ == "mark" else word  # "after the EU imposed": the clause's verb
    if tok.i == word.i:
        return False
    return tok.i == root.i and root.i != word.i or root.i in {a.i for a in tok.ancestors}


def _offset_governs_clause(anchor: Token) -> bool:
    word = _offset_word(anchor)
    if word is None:
        return False
    return word.dep_ == "mark" or not any(c.dep_ == "pobj" for c in word.children) or any(
        c.dep_ in ("pcomp", "advcl", "ccomp") or c.pos_ in ("VERB", "AUX") for c in word.children)


def _names_place(obj: Token) -> bool:
    """"Bat Yam", "the village of Chinari", "Tavush province": a proper-noun place."""
    if obj.pos_ == "PROPN" or obj.ent_type_ in ("GPE", "LOC", "FAC"):
        return True
    return any(g.pos_ == "PROPN" and g.dep_ in ("pobj", "compound") for c in obj.children
               for g in ([c] if c.dep_ == "compound" else c.children if c.dep_ == "prep" and c.lower_ == "of" else []))


def _alleged(tok: Token) -> bool:
    """Whether an act is what someone is accused of ("accused X of attacking", "of being behind attacks")."""
    for node in [tok, *list(tok.ancestors)[:3]]:
        if node.dep_ == "pcomp" and node.head.lower_ == "of":
            return True
    return False


def _in_other_clause(date_tok: Token, trigger: Token) -> bool:
    """Whether a date sits in a subordinate clause that does not hold the trigger.

    A relative clause on the trigger noun itself, or on the subject whose complement
    the trigger is ("The trip, which began on Tuesday, was a visit"), still dates it.
    """
    own = {trigger.i, *(a.i for a in trigger.ancestors)}
    hosts = {trigger.i}
    if trigger.dep_ == "attr":
        hosts |= {c.i for c in trigger.head.children if c.dep_ in ("nsubj", "nsubjpass")}
    node = date_tok
    while node.head.i != node.i:
        if node.dep_ in CLAUSES and node.i not in own and (node.dep_ != "pcomp" or node.head.lower_ == "of"):
            return not (node.dep_ in ("relcl", "acl") and node.head.i in hosts)
        node = node.head
    return False


def _unique(refs: list[Ref]) -> list[Ref]:
    out: list[Ref] = []
    for r in refs:
        if not any(o.code == r.code and o.person is r.person for o in out):
            out.append(r)
    return out

