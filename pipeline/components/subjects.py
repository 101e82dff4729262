"""What moved: the subject of a move word in the dependency parse, and subjects as values.

`subject_head(trigger)` walks the parse from the word that states a move ("fell", "down", "drop") to
the noun that names what moved (its `nsubj`, the object of "lifting", the "in" complement of "a 2%
drop", the subject of the clause a participle hangs on). `SubjectResolver.resolve(head)` turns that
noun into `Subject`s: linked entities (gazetteer/KB), coordinated subjects ("A, B and C" -> three),
group members ("names, including A and B"), national markets named generically ("Japanese shares" ->
Nikkei 225), commodities, currencies, groups as written ("gold miners") and coreference ("the index",
"its shares") to the latest fitting subject before it (`SubjectHistory`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from pipeline.components.movelex import MoveLexicon

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Dependencies a move word hangs on while its clause borrows the subject of the clause above.
CLIMB_DEPS = frozenset(
    {
        "advcl",
        "xcomp",
        "conj",
        "pcomp",
        "prep",
        "ccomp",
        "acomp",
        "advmod",
        "npadvmod",
        "dobj",
        "attr",
        "oprd",
        "dep",
        "prt",
        "amod",
        "appos",
        "parataxis",
    }
)
# Times a level is given at: "stood at X at the close, a fall of 1.5 pct" (the fall is the clause's).
_TIME_OF_DAY_NOUNS = frozenset({"close", "open", "opening", "midday", "session", "break", "day", "week"})
# Children that stay inside the noun phrase naming a subject.
NP_DEPS = frozenset(
    {
        "compound",
        "amod",
        "nmod",
        "poss",
        "nummod",
        "det",
        "quantmod",
        "punct",
        "case",
        "npadvmod",
        "predet",
        "nn",
        "prt",
        "dep",
    }
)
# "Nestle bearers", "Ciba-Geigy bearer shares": Swiss bearer shares are the company's shares.
SHARE_WORDS = frozenset(
    {"shares", "share", "stock", "stocks", "equity", "securities", "adrs", "adr", "bearers", "bearer"}
)
NER_SUBJECT_LABELS = frozenset({"ORG", "PRODUCT", "FAC", "WORK_OF_ART", "LAW", ""})
NOT_SUBJECT_LABELS = frozenset(
    {
        "PERSON",
        "NORP",
        "GPE",
        "DATE",
        "TIME",
        "PERCENT",
        "MONEY",
        "QUANTITY",
        "CARDINAL",
        "ORDINAL",
        "LOC",
        "EVENT",
        "LANGUAGE",
    }
)
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014]")
_RIC = re.compile(r"^\.|[=]|^[A-Z0-9]{1,6}\.[A-Z]{1,2}$|^[A-Z0-9]+\.[A-Za-z]{1,2}n?$")


@dataclass(frozen=True)
class Subject:
    """A resolved subject: its name (canonical when known), ticker, kind and where the text names it."""

    name: str
    ticker: str | None
    kind: str
    start: int
    end: int
    how: str

    @property
    def key(self) -> str:
        """Identity used to compare subjects (ticker when known, else the name)."""
        return (self.ticker or self.name).casefold()

    @property
    def is_index(self) -> bool:
        """True for indices (linked, generic national markets, or unresolved index names)."""
        return self.kind == "index"


# Returned by coreference when the antecedent is an economic figure: the move is dropped.
EXCLUDED = Subject("", None, "excluded", 0, 0, "excluded")


@dataclass
class SubjectHistory:
    """Subjects and linked mentions in text order, for coreference ("the index", "its shares")."""

    starts: list[int] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)

    def add(self, subject: Subject) -> None:
        """Record a subject at its position (kept sorted by start)."""
        position = bisect.bisect_right(self.starts, subject.start)
        self.starts.insert(position, subject.start)
        self.subjects.insert(position, subject)

    def within(self, start: int, end: int) -> Subject | None:
        """The first subject recorded inside the characters `start:end`, if any."""
        i = bisect.bisect_left(self.starts, start)
        return self.subjects[i] if i < len(self.subjects) and self.starts[i] < end else None

    def latest(
        self, before: int, kind: str, prefer: tuple[str, ...] = (), name_hint: str = ""
    ) -> Subject | None:
        """Latest subject of `kind` starting before `before`; `prefer` (tickers, names) and a hint win."""
        candidates = [s for s in self.subjects[: bisect.bisect_left(self.starts, before)] if s.kind == kind]
        if not candidates:
            return None
        for wanted in (
            [s for s in candidates if name_hint and name_hint in s.name.casefold()],
            [s for s in candidates if s.ticker in prefer or s.name in prefer],
        ):
            if wanted:
                return wanted[-1]
        return candidates[-1]

    @classmethod
    def from_doc(cls, doc: Doc) -> SubjectHistory:
        """Start a history with every entity the mention linker resolved."""
        history = cls()
        for ent in doc.ents:
            subject = entity_subject(ent)
            if subject is not None:
                history.add(subject)
        return history


def entity_subject(ent: Span) -> Subject | None:
    """Return the subject a linked entity span names (None when the span is not linked to the KB)."""
    entity = ent._.get("fin_entity") if ent.has_extension("fin_entity") else None
    if entity is None:
        return None
    kind = getattr(entity, "kind", "company")
    if kind in ("institution", "exchange"):
        kind = "company"
    return Subject(entity.canonical, entity.ticker, kind, ent.start_char, ent.end_char, "entity")


def _child(token: Token, deps: tuple[str, ...] | frozenset[str]) -> Token | None:
    for child in token.children:
        if child.dep_ in deps:
            return child
    return None


def _nsubj(token: Token) -> Token | None:
    subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
    if not subjects:
        return None
    # "The/nsubj Nikkei/nsubj 225 closed": prefer a nominal word over a stray determiner.
    nominal = [c for c in subjects if c.pos_ not in ("DET", "PUNCT", "CCONJ") and not _RIC.search(c.text)]
    subject = nominal[-1] if nominal else subjects[-1]
    if subject.lower_ in ("which", "that", "who") and token.dep_ == "relcl":
        return token.head
    return subject


def _is_nominal(token: Token) -> bool:
    return token.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X") or token.ent_type_ != ""


def subject_head(trigger: Token, lexicon: MoveLexicon, exclude: frozenset[int] = frozenset()) -> Token | None:
    """Return the token that heads the noun phrase naming what moved, or None.

    `exclude` lists token indices that cannot be the subject (the percentage itself).
    """
    return next(subject_heads(trigger, lexicon, exclude), None)


def subject_heads(
    trigger: Token, lexicon: MoveLexicon, exclude: frozenset[int] = frozenset()
) -> Iterator[Token]:
    """Candidate subject heads, nearest first, while climbing the parse from a move word.

    The caller takes the first one it can resolve: "had lost 233 points after the opening to stand at
    1,819.1" offers "opening" (what "to stand" hangs on) and then "index" (the subject of "lost").
    """
    token = trigger
    is_noun_trigger = trigger.lower_ in lexicon.move_nouns and trigger.pos_ in ("NOUN", "PROPN", "X")
    for _ in range(6):
        lower = token.lower_
        if lower in lexicon.causative_verbs:
            obj = _child(token, ("dobj",))
            if obj is not None and obj.i not in exclude:
                yield obj
        subject = _nsubj(token)
        if (
            subject is not None
            and token.dep_ == "relcl"
            and any(c.lower_ == "whose" for c in subject.children)
            and token.head.i not in exclude
        ):
            yield token.head  # "Microsoft, whose shares are up 24%": the shares are Microsoft's
            return
        if subject is not None and subject.i not in exclude:
            yield subject
            return
        if token.dep_ in ("relcl", "acl") and _is_nominal(token.head):
            yield token.head
            if token.dep_ == "relcl":
                return
        if token.i == trigger.i and is_noun_trigger:
            head = _noun_trigger_subject(token, lexicon, exclude)
            if head is not None:
                yield head
                return
            if token.dep_ in SUBJECT_DEPS:
                return
            if (
                token.dep_ == "appos"
                and token.head.dep_ == "pobj"
                and token.head.head.dep_ == "prep"
                and (token.head.like_num or token.head.lower_ in _TIME_OF_DAY_NOUNS)
            ):
                # "stood at 1,218.66 at the close, a fall of 1.5 pct": the clause's subject fell
                token = token.head.head
                continue
        elif token.dep_ in ("advmod", "amod", "npadvmod", "appos", "nmod", "compound", "conj") and (
            token.head.pos_ in ("PROPN", "NOUN")
            and token.head.lower_ not in lexicon.move_nouns
            and token.head.i not in exclude
            and token.head.i < token.i
        ):
            # "Tencent down 0.54%" parsed as a modifier of the name; "X shares are the biggest
            # loser, down 2.8%": the predicate noun stands for the copula's subject.
            if token.head.dep_ in ("attr", "acomp") and _nsubj(token.head.head) is not None:
                yield _nsubj(token.head.head)
                return
            yield token.head
            return
        if token.dep_ == "ROOT" or token.dep_ not in CLIMB_DEPS | {"acl"} or token.head.i == token.i:
            return
        if token.head.i in exclude or any(
            t.text in (";",) for t in token.doc[min(token.i, token.head.i) : max(token.i, token.head.i)]
        ):
            return  # never through the percentage itself or across a semicolon
        token = token.head


def _noun_trigger_subject(noun: Token, lexicon: MoveLexicon, exclude: frozenset[int]) -> Token | None:
    """Subject of a move noun: "the 2% drop in Alibaba shares", "Alibaba's 2% gain"."""
    for child in noun.children:
        if child.dep_ == "poss" and child.i not in exclude:
            return _participle_owner(child) or child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in lexicon.noun_subject_preps:
            if child.i > 0 and child.doc[child.i - 1].text == ",":
                continue  # "a gain of 0.8 pct, in moderate volume": set off, it says how, not what
            obj = _child(child, ("pobj",))
            if obj is not None and obj.i not in exclude and not any(t.i in exclude for t in obj.subtree):
                return obj
    if noun.dep_ in ("dobj", "attr"):
        # "Alibaba posted a 2% gain": the subject of the verb that has the move.
        return _nsubj(noun.head)
    if noun.dep_ == "pobj" and noun.head.lower_ == "with" and noun.head.dep_ == "prep":
        # "Midea bucked the trend with a 2.2% gain", "The Kospi ended the week with a 1.5% loss"
        return _nsubj(noun.head.head)
    return None


def _participle_owner(pronoun: Token) -> Token | None:
    """The subject of the move verb right before a participle clause that "its" opens: "... while
    Resona soared 5.8%, bringing its rise since the start of November to 19%" (Resona's rise)."""
    noun = pronoun.head
    participle = noun.head if noun.dep_ == "dobj" else noun.head.head  # "having built on its gain"
    having = participle.tag_ == "VBN" and any(c.lower_ == "having" for c in participle.children)
    if (
        pronoun.lower_ != "its"  # "their" may be several names: left to coreference
        or noun.dep_ not in ("dobj", "pobj")
        or not (participle.tag_ == "VBG" or having)
    ):
        return None
    doc = participle.doc
    for i in range(participle.i - 1, participle.sent.start - 1, -1):
        word = doc[i]
        if word.pos_ != "VERB" or word.tag_ in ("VBG", "VB"):
            continue
        # the nearest finite verb: its subject, or the name the parser left before it ("... and
        # Leapmotor climbed 4.6%, taking its gain so far this year to 129%")
        before = doc[i - 1] if i > participle.sent.start else None
        named = before if before is not None and before.pos_ == "PROPN" else None
        return _nsubj(word) or named
    return None


def phrase_tokens(head: Token) -> list[Token]:
    """Return the head and the words that stay with it in its noun phrase (no clauses, no prepositions)."""
    tokens = [head]
    for child in head.children:
        if child.dep_ in NP_DEPS:
            tokens.extend(child.subtree)
    doc = head.doc
    for ent in doc.ents:
        if ent.start <= head.i < ent.end:
            tokens.extend(ent)
    tokens = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    # keep a contiguous block that contains the head
    start = end = tokens.index(head)
    while start > 0 and tokens[start - 1].i == tokens[start].i - 1:
        start -= 1
    while end < len(tokens) - 1 and tokens[end + 1].i == tokens[end].i + 1:
        end += 1
    block = tokens[start : end + 1]
    while block and block[0].is_punct:
        block = block[1:]
    while block and block[-1].is_punct and block[-1].i != head.i:
        block = block[:-1]
    return block
