"""What moved: find and resolve the subject of a move word in the dependency parse.

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
SHARE_WORDS = frozenset({"shares", "share", "stock", "stocks", "equity", "securities", "adrs", "adr"})
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

    def latest(
        self, before: int, kind: str, prefer: tuple[str, ...] = (), name_hint: str = ""
    ) -> Subject | None:
        """Latest subject of `kind` starting before `before`; `prefer` tickers and a name hint win ties."""
        candidates = [s for s in self.subjects[: bisect.bisect_left(self.starts, before)] if s.kind == kind]
        if not candidates:
            return None
        for wanted in (
            [s for s in candidates if name_hint and name_hint in s.name.casefold()],
            [s for s in candidates if s.ticker in prefer],
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
    nominal = [c for c in subjects if c.pos_ not in ("DET", "PUNCT", "CCONJ")]
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
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in lexicon.noun_subject_preps:
            obj = _child(child, ("pobj",))
            if obj is not None and obj.i not in exclude and not any(t.i in exclude for t in obj.subtree):
                return obj
    if noun.dep_ in ("dobj", "attr"):
        # "Alibaba posted a 2% gain": the subject of the verb that has the move.
        return _nsubj(noun.head)
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


class SubjectResolver:
    """Turn the head of a subject phrase into resolved subjects (see the module docstring)."""

    def __init__(self, lexicon: MoveLexicon) -> None:
        self.lexicon = lexicon

    # ------------------------------------------------------------------ public
    def resolve(self, head: Token, history: SubjectHistory) -> list[Subject] | None:
        """Return the subjects named by `head` and its coordinated phrases.

        An empty list means nothing recognisable; None means the phrase names something that is
        not a price (GDP, a rate, earnings ...) and the move must be dropped.
        """
        subjects: list[Subject] = []
        heads = [head, *self._conjuncts(head)]
        for item in heads:
            found = self._resolve_one(item, history)
            if found is None:
                if item.i == head.i:
                    return None
                continue
            subjects.extend(found)
        return _unique(subjects)

    # ------------------------------------------------------------------ helpers
    def _conjuncts(self, head: Token) -> list[Token]:
        found = []
        for child in head.children:
            if child.dep_ == "conj" and _is_nominal(child):
                found.append(child)
                found.extend(self._conjuncts(child))
        return found

    def _normalise(self, text: str) -> str:
        text = _DASHES.sub("-", text.casefold())
        text = re.sub(r"['\u2019]s\b", "", text)
        text = re.sub(r"\s+", " ", text).strip(" ,;:-")
        changed = True
        while changed:
            changed = False
            for prefix in self.lexicon.stop_prefixes:
                if text.startswith(prefix + " "):
                    text = text[len(prefix) + 1 :]
                    changed = True
        return text

    def _excluded(self, tokens: list[Token]) -> bool:
        """Tell whether the phrase is an economic or corporate figure rather than a price."""
        doc = tokens[0].doc if tokens else None
        linked = {
            i
            for ent in (doc.ents if doc is not None else ())
            if entity_subject(ent) is not None
            for i in range(ent.start, ent.end)
        }
        words = [t for t in tokens if t.i not in linked]
        text = " " + self._normalise(" ".join(t.text for t in words)) + " "
        head_lower = tokens[-1].lower_ if tokens else ""
        for phrase in self.lexicon.not_price_subjects:
            if f" {phrase} " in text:
                return True
        return head_lower in self.lexicon.not_price_subjects

    def _linked(self, tokens: list[Token]) -> list[Subject]:
        if not tokens:
            return []
        doc = tokens[0].doc
        first, last = tokens[0].i, tokens[-1].i
        found = []
        for ent in doc.ents:
            if ent.end > first and ent.start <= last:
                subject = entity_subject(ent)
                if subject is not None:
                    found.append(subject)
        return found

    def _resolve_one(
        self, head: Token, history: SubjectHistory, with_members: bool = True
    ) -> list[Subject] | None:
        lex = self.lexicon
        doc = head.doc
        # "shares of Tencent", "Tencent's shares", "Tencent shares"
        if head.lower_ in SHARE_WORDS:
            owner = _child(head, ("poss",))
            if owner is None:
                for prep in head.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
                        owner = _child(prep, ("pobj",))
                        break
            if owner is not None:
                owned = self._resolve_one(owner, history)
                if owned:
                    return owned
        tokens = phrase_tokens(head)
        if not tokens:
            return []
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        linked = self._linked(tokens)
        members = self._members(head, history) if with_members else []
        text = self._normalise(doc.text[start:end])
        if self._excluded(tokens):
            return None
        if linked and not members:
            return linked
        market = self._generic_market(text, start, end)
        if market is not None:
            return [market]
        extra = self.extra_index(doc.text[start:end], start, end)
        if extra is not None:
            return [extra]
        if head.lower_ in SHARE_WORDS:
            named = self._share_owner(head)
            if named is not None:
                return [named]
        for child in head.children:
            if child.dep_ == "appos":
                appos_linked = self._linked(phrase_tokens(child))
                if appos_linked:
                    return appos_linked
        coref = self._coreference(text, head, history)
        if coref is EXCLUDED:
            return None
        if coref is not None:
            return [coref]
        if text in lex.currencies:
            return [Subject(lex.currencies[text], None, "currency", start, end, "currency")]
        if text in lex.commodities or any(text.endswith(" " + c) for c in lex.commodities if " " in c):
            return [Subject(text, None, "commodity", start, end, "commodity")]
        words = text.split()
        if (
            len(words) > 1
            and words[-1] in ("prices", "price", "futures")
            and " ".join(words[:-1]) in lex.commodities
        ):
            # "copper prices slid 2%": the commodity
            return [Subject(" ".join(words[:-1]), None, "commodity", start, end, "commodity")]
        head_lower = head.lower_
        if head_lower in lex.index_heads:
            named = self._index_name(head, tokens)
            if named is not None:
                return [named, *members]
        all_names = len(tokens) > 1 and all(t.text[:1].isupper() or t.is_punct for t in tokens)
        if (
            head_lower in lex.group_heads and len(text.split()) > 1 and not all_names
        ) or text in lex.single_word_groups:
            return [Subject(text, None, "group", start, end, "group"), *members]
        if members:
            return members
        for child in head.children:
            if child.dep_ == "appos":
                appos_linked = self._linked(phrase_tokens(child))
                if appos_linked:
                    return appos_linked
        proper = self._proper_noun(head, tokens)
        if proper is not None:
            return [proper]
        # "the performance of the Hang Seng Tech Index": the complement names what moved.
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                obj = _child(prep, ("pobj",))
                if obj is not None:
                    found = self._resolve_one(obj, history)
                    if found:
                        return found
        # An appositive may name what a description stands for ("equipment maker Advantest").
        for child in head.children:
            if child.dep_ == "appos":
                appos = self._resolve_one(child, history)
                if appos:
                    return appos
        return []

    def extra_index(self, text: str, start: int, end: int) -> Subject | None:
        """Return the index of the lexicon's `extra_indices` named by the phrase or by its last words."""
        words = re.sub(r"['\u2019]s\b", "", text).split()
        for k in range(len(words)):
            tail = " ".join(words[k:])
            for pattern, name in self.lexicon.extra_indices:
                if pattern.match(tail):
                    return Subject(name, None, "index", start, end, "extra_index")
        return None

    def _index_name(self, head: Token, tokens: list[Token]) -> Subject | None:
        """Name an index the KB does not know named by its modifiers ("Milan Stock Index", "composite index").

        The possessor is left out ("the Manila exchange's composite index" -> "composite index") so
        that the name stays a part of the full name a reader would give.
        """
        owner = {t.i for c in head.children if c.dep_ == "poss" for t in c.subtree}
        words = [
            t for t in tokens if t.i not in owner and t.dep_ not in ("det", "punct", "case") or t.i == head.i
        ]
        while words and words[0].lower_ in ("the", "its", "their", "'s"):
            words = words[1:]
        if len(words) < 2 or words[0].i == head.i:
            return None
        if any(t.ent_type_ in ("DATE", "TIME", "PERCENT", "MONEY") for t in words if t.i != head.i):
            return None  # "the January index" is a monthly statistic, not a market index
        doc = head.doc
        start, end = words[0].idx, head.idx + len(head.text)
        return Subject(_clean_name(doc.text[start:end]), None, "index", start, end, "index_name")

    def _members(self, head: Token, history: SubjectHistory) -> list[Subject]:
        """Named members of a group: "names, including A and B", "stocks such as those of A and B"."""
        members: list[Subject] = []
        doc = head.doc
        for child in head.children:
            words = child.lower_
            if child.i + 1 < len(doc) and doc[child.i + 1].lower_ == "as":
                words = f"{child.lower_} as"
            elif child.lower_ == "as" and child.i > 0 and doc[child.i - 1].lower_ == "such":
                words = "such as"
            if child.dep_ not in ("prep", "acl", "amod", "advmod") or words not in self.lexicon.member_preps:
                continue
            obj = _child(child, ("pobj", "dobj"))
            if obj is None and child.i + 1 < len(doc):
                obj = _child(doc[child.i + 1], ("pobj", "dobj"))
            if obj is not None and obj.lower_ in ("those", "that", "shares", "stocks"):
                of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                obj = _child(of, ("pobj",)) if of is not None else obj
            if obj is None:
                continue
            for member in [obj, *self._conjuncts(obj)]:
                found = self._resolve_one(member, history, with_members=False)
                if found:
                    members.extend(found)
        return members

    def _share_owner(self, head: Token) -> Subject | None:
        """Return the capitalised name written just before a share word ("Wizz Air <WIZZ.L> shares")."""
        doc = head.doc
        i = head.i - 1
        if i >= 0 and doc[i].text == ">":
            while i >= 0 and doc[i].text != "<":
                i -= 1
            i -= 1
        last = i
        while i >= head.sent.start and (
            (
                doc[i].text[:1].isupper()
                and (doc[i].pos_ == "PROPN" or i > head.sent.start)
                and not doc[i].is_stop
            )
            or doc[i].text in ("&", "-", ".")
        ):
            if doc[i].ent_type_ in ("GPE", "NORP", "LOC"):
                return None  # "Taiwan stocks", "Japanese shares": a market, not a company
            i -= 1
        first = i + 1
        if first > last or not doc[first].text[:1].isupper():
            return None
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        return Subject(_clean_name(doc.text[start:end]), None, "company", start, end, "share_owner")

    def _generic_market(self, text: str, start: int, end: int) -> Subject | None:
        for market in self.lexicon.generic_markets:
            if market.pattern.match(text):
                return Subject(market.subject, market.ticker, "index", start, end, "generic_market")
        return None

    def _coreference(self, text: str, head: Token, history: SubjectHistory) -> Subject | None:
        lex = self.lexicon
        position = head.idx
        phrase = phrase_tokens(head)
        determiner = phrase[0].lower_ if phrase else ""
        if (
            phrase
            and determiner not in ("the", "its", "this", "that", "these", "those", "their")
            and head.lower_ not in ("its", "it")
        ):
            return None  # "ride-hailing firm Lyft" names a company; only "the firm" refers back
        if text in lex.coref_index:
            hint = "tech" if "tech" in text else ""
            prefer = lex.benchmarks if "benchmark" in text else ()
            found = history.latest(position, "index", prefer=prefer, name_hint=hint)
            if found is not None:
                return _moved(found, head, "coref")
            if self._unresolved_index(text, head) is EXCLUDED:
                return EXCLUDED
        proper = any(t.pos_ == "PROPN" for t in phrase if t.i != head.i)
        causative_it = head.lower_ == "it" and head.dep_ == "dobj" and head.head.lower_ in lex.causative_verbs
        if (
            causative_it
            or text in lex.coref_company
            or (head.lower_ in lex.coref_company and determiner in ("the", "its") and not proper)
        ):
            found = history.latest(position, "company")
            if found is not None:
                return _moved(found, head, "coref")
        return None

    def _unresolved_index(self, text: str, head: Token) -> Subject | None:
        """Resolve "the index" with no index named before it.

        Returns the index as written, or EXCLUDED when the last index the article did name is an
        economic statistic ("the consumer price index ... the index").
        """
        doc = head.doc
        for token in reversed(doc[: phrase_tokens(head)[0].i]):
            if token.lower_ in self.lexicon.index_heads and token.pos_ in ("NOUN", "PROPN"):
                if self._excluded(phrase_tokens(token)):
                    return EXCLUDED
                break
        return Subject(text, None, "index", head.idx, head.idx + len(head.text), "unresolved_coref")

    def _proper_noun(self, head: Token, tokens: list[Token]) -> Subject | None:
        doc = head.doc
        for ent in doc.ents:
            if ent.start <= head.i < ent.end:
                if ent.label_ in NER_SUBJECT_LABELS or (
                    # NER often calls a two-word company a person or a nationality ("Anglo American",
                    # "Wizz Air"); a place stays a place, a lone nationality word stays one.
                    ent.label_ in ("PERSON", "NORP")
                    and len(ent) > 1
                    and all(t.text[:1].isupper() for t in ent)
                ):
                    return Subject(
                        _clean_name(ent.text), None, "company", ent.start_char, ent.end_char, "ner"
                    )
                if ent.label_ in NOT_SUBJECT_LABELS:
                    return None
        if head.ent_type_ in NOT_SUBJECT_LABELS:
            return None
        if head.pos_ != "PROPN" and not (head.text[:1].isupper() and head.i > head.sent.start):
            return None
        if head.lower_ in self.lexicon.stock_words:
            return None
        names = [t for t in tokens if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i > t.sent.start)]
        names = [t for t in names if not t.is_punct and not _RIC.search(t.text)]
        if head.i > 0 and doc[head.i - 1].text == "<" or _RIC.search(head.text):
            return None  # an instrument code ("TWTR.N", "USIMP=ECI") is not a name
        if not names:
            return None
        first, last = names[0], names[-1]
        text = doc.text[first.idx : last.idx + len(last.text)]
        return Subject(
            _clean_name(text), None, "company", first.idx, last.idx + len(last.text), "proper_noun"
        )


def _clean_name(text: str) -> str:
    text = re.sub(r"\s*[<(][^>)]*[>)]\s*", " ", text)
    text = re.sub(r"\s*<[^>]*$", "", text)  # an instrument code cut at the end ("Rio Tinto <RIO.AX")
    return re.sub(r"\s+", " ", text).strip(" ,;:")


def _moved(subject: Subject, head: Token, how: str) -> Subject:
    """Copy an antecedent subject to placed where the coreferring phrase is."""
    return Subject(subject.name, subject.ticker, subject.kind, head.idx, head.idx + len(head.text), how)


def _unique(subjects: list[Subject]) -> list[Subject]:
    seen: set[str] = set()
    unique = []
    for subject in subjects:
        if subject.key not in seen:
            seen.add(subject.key)
            unique.append(subject)
    return unique
