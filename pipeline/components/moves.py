"""`fin_moves`: price moves ("Tencent fell 2.2% to HK$129.30") and index levels ("closing at 3346.72").

Steps per sentence, each a small function:
1. find the numbers (`pipeline.numbers`) and mark their head tokens (`token._.fin_num`);
2. attach each percentage to the word that states the move with the DependencyMatcher patterns of
   `configs/moves/patterns.jsonl` (fallbacks: a signed "+0.7%" after a name; a move word just before);
3. find and resolve the subject(s) (`subjects.py`), drop economic figures, rates, stakes ...;
4. give the move its horizon/period (`horizons.py`) and a moved-to price;
5. attach levels to the verb whose "at"/"to" object they are, keep those whose subject is an index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token

from pipeline.components.horizons import HorizonFinder, assign, zone
from pipeline.components.movelex import MoveLexicon, load_patterns, shared_lexicon
from pipeline.components.namelists import list_subjects
from pipeline.components.subjects import Subject, SubjectHistory, SubjectResolver, entity_subject, subject_heads
from pipeline.hits import Hit, add_hit
from pipeline.numbers import NUMBER, NumberMatch, find_amounts, find_basis_points, find_percents, parse_level

COMPONENT = "fin_moves"
_LEVEL_RE = re.compile(rf"(?<![\w.$/,])(?:{NUMBER})(?![\w%/])")
_TIME_WORDS = frozenset({"gmt", "am", "a.m", "pm", "p.m", "local", "edt", "est", "bst", "hkt", "jst", "cet", "hours", "hrs"})
_SIGNS = {"+": "up", "-": "down", "\u2212": "down", "\u2013": "down", "\u25b2": "up", "\u25bc": "down",
          "\u2191": "up", "\u2193": "down"}
_SIGN_GAP = re.compile(r"\s*(?:[:|]\s*)?(?:\d{1,3}(?:,\d{3})*(?:\.\d+)?\s*)?(?:[(|]\s*)?[\u25b2\u25bc\u2191\u2193]?\s*")
_NOT_MAGNITUDE_BEFORE = frozenset({"to", "from", "at", "of", "than"})

# The Matcher hashes extension values, so the default is "" rather than None.
if not Token.has_extension("fin_num"):
    Token.set_extension("fin_num", default="")


@dataclass(frozen=True)
class Move:
    """A percentage attached to its move word, before subjects are resolved."""

    number: NumberMatch
    anchor: Token
    trigger: Token
    head: Token  # the clause word that carries the move ("closed" in "closed up 0.3%")
    direction: str
    rule: str
    confidence: float


def _sentence_numbers(sent: Span) -> tuple[list[NumberMatch], list[NumberMatch], list[tuple[int, int, float]]]:
    """Percentages (basis points included), amounts and candidate levels of a sentence, doc offsets."""
    base = sent.start_char
    text = sent.text

    def shift(m: NumberMatch) -> NumberMatch:
        return NumberMatch(m.start + base, m.end + base, m.value, m.high, m.approx, m.currency,
                           m.number_start + base, m.unit)

    percents = [shift(m) for m in find_percents(text)]
    taken = [(m.start, m.end) for m in percents]
    for bp in find_basis_points(text):
        bp = shift(bp)
        if not any(s <= bp.start < e for s, e in taken):
            percents.append(bp)
    amounts = [shift(m) for m in find_amounts(text)]
    busy = [(m.start, m.end) for m in percents + amounts]
    levels = []
    for match in _LEVEL_RE.finditer(text):
        start, end = match.start() + base, match.end() + base
        if any(s <= start < e or s < end <= e for s, e in busy):
            continue
        value = parse_level(match.group(0))
        if value is None:
            continue
        raw = match.group(0)
        after = text[match.end() : match.end() + 12].split()
        if re.fullmatch(r"(19|20)\d\d", raw) or re.fullmatch(r"\d{4}", raw) and raw.startswith("0"):
            continue  # years and clock times
        if after and after[0].casefold().strip(".,") in _TIME_WORDS:
            continue  # "at 1141 GMT"
        levels.append((start, end, value))
    return percents, amounts, levels


def _anchor(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def doc_slice(left: Token, right: Token) -> Span:
    """The words strictly between two tokens."""
    return left.doc[left.i + 1 : right.i]


def _subordinate_tokens(heads: list[Token]) -> set[int]:
    """Words of the reasons and relative clauses that hang on moves ("after Macau shut its casinos
    since ..."): their time words date something else. Clauses that hold a move keep theirs."""
    head_ids = {h.i for h in heads}
    found: set[int] = set()
    for head in heads:
        for child in head.children:
            subordinate = child.dep_ == "relcl" or child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ != "since" for c in child.children
            )
            if subordinate:
                subtree = {t.i for t in child.subtree}
                if not subtree & head_ids:
                    found |= subtree
    return found


def _drop_descriptors(found: list[Subject], sent: Span) -> list[Subject]:
    """A group written right before a linked name describes it ("battery giant CATL")."""
    doc = sent.doc
    linked = [ent for ent in sent.ents if entity_subject(ent) is not None]
    return [
        s for s in found
        if not (s.kind == "group" and any(e.start_char > s.end and not doc.text[s.end : e.start_char].strip()
                                          for e in linked))
    ]


def _respectively(sent: Span, resolved: list[tuple[Move, list[Subject] | None]]):
    """"A and B rose 2.8% and 1.3%, respectively": the n-th subject takes the n-th percentage."""
    if "respectively" not in sent.text.casefold():
        return resolved
    by_subjects: dict[tuple[str, ...], list[int]] = {}
    for n, (_, subjects) in enumerate(resolved):
        if subjects and len(subjects) > 1:
            by_subjects.setdefault(tuple(s.key for s in subjects), []).append(n)
    out = list(resolved)
    for keys, positions in by_subjects.items():
        if len(positions) != len(keys):
            continue
        positions.sort(key=lambda n: resolved[n][0].number.start)
        subjects = sorted(resolved[positions[0]][1], key=lambda s: s.start)
        for subject, n in zip(subjects, positions, strict=True):
            out[n] = (resolved[n][0], [subject])
    return out


def _skip_left(doc: Doc, i: int) -> int:
    """Step left over share words, possessives and instrument codes ("<TSLA.O>") before a move word."""
    while i >= 0:
        if doc[i].text == ">":
            j = i
            while j >= 0 and doc[j].text != "<" and i - j < 4:
                j -= 1
            if j < 0 or doc[j].text != "<":
                return i
            i = j - 1
        elif doc[i].lower_ in ("shares", "stock", "'s", "adrs"):
            i -= 1
        else:
            return i
    return i


_LEGAL = {"inc", "corp", "co", "ltd", "plc", "llc", "sa", "ag", "nv", "group", "holdings", "se", "spa"}


def _capitalised_run(doc: Doc, i: int, sent_start: int) -> Subject | None:
    """A capitalised name that ends at token i ("Lyft Inc"), not a place, person or date."""
    last = i
    if doc[i].sent.text.isupper() or doc[i].is_stop:
        return None  # wire copy in capitals: capitalisation says nothing
    while i >= sent_start and i > last - 6 and (
        (doc[i].text[:1].isupper() and not any(ch.isdigit() or ch in "$=.<>\u20ac\u00a3\u00a5" for ch in doc[i].text))
        or doc[i].text in ("&", "-")
        or doc[i].lower_ == "of" and i > sent_start and doc[i - 1].text[:1].isupper()  # "Airports of Thailand"
    ):
        if doc[i].ent_type_ in ("DATE", "TIME") or doc[i].is_sent_start:
            return None
        i -= 1
    first = i + 1
    if first > last or doc[first].text in ("&", "-"):
        return None
    words = [doc[k] for k in range(first, last + 1)]
    if all(w.lower_ in _LEGAL for w in words) or all(w.ent_type_ in ("GPE", "LOC", "NORP") for w in words) and len(words) == 1:
        return None  # a place or a nationality alone is not a company
    if doc[first].lower_ == "of":
        return None
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    return Subject(doc.text[start:end], None, "company", start, end, "proper_noun")


def _continues_line(previous: Span, sent: Span) -> bool:
    """True when `sent` is the rest of a sentence broken by a line break (wire copy, wrapped text)."""
    text = previous.text.rstrip()
    if not text or text[-1] in ".!?:;\"'\u201d)|" or "\n" not in previous.text[-2:]:
        return False
    first = sent.text.lstrip()[:1]
    # a lower-case start goes on with the line above; wire copy in capitals gives no such hint
    return first.islower() or (text.isupper() and sent.text.isupper())


class MoveExtractor:
    """spaCy component: add `price_move` and `index_level` hits (see the module docstring)."""

    def __init__(self, nlp: Language, lexicon: MoveLexicon | None = None) -> None:
        self.lexicon = lexicon or shared_lexicon()
        self.resolver = SubjectResolver(self.lexicon)
        self.horizons = HorizonFinder(nlp.vocab)
        self.matcher = DependencyMatcher(nlp.vocab)
        self.kinds: dict[str, str] = {}
        self.order: dict[str, int] = {}
        self.right_ids: dict[str, list[str]] = {}
        for number, record in enumerate(load_patterns("patterns.jsonl")):
            self.matcher.add(record["id"], [record["pattern"]])
            self.kinds[record["id"]] = record["kind"]
            self.order[record["id"]] = number
            self.right_ids[record["id"]] = [node["RIGHT_ID"] for node in record["pattern"]]

    # ------------------------------------------------------------------ component
    def __call__(self, doc: Doc) -> Doc:
        sentences = []
        for sent in doc.sents:
            percents, amounts, levels = _sentence_numbers(sent)
            anchors = {}
            for number in percents:
                token = _anchor(doc, number.number_start, number.end)
                if token is not None:
                    token._.fin_num = "pct"
                    anchors[token.i] = number
            level_anchors = {}
            for start, end, value in levels:
                token = _anchor(doc, start, end)
                if token is not None and not token._.fin_num:
                    token._.fin_num = "level"
                    level_anchors[token.i] = (start, end, value)
            sentences.append((sent, anchors, amounts, level_anchors))
        matches = self._matches(doc)
        history = SubjectHistory.from_doc(doc)
        previous: list[tuple[Subject, Hit]] = []
        for n, (sent, anchors, amounts, level_anchors) in enumerate(sentences):
            moves = self._moves(sent, anchors, matches)
            carried = previous if n and _continues_line(sentences[n - 1][0], sent) else []
            emitted = self._emit_moves(doc, sent, moves, amounts, history, matches, carried)
            self._emit_levels(doc, sent, level_anchors, matches, emitted, history)
            previous = emitted
        for token in doc:
            token._.fin_num = ""
        return doc

    def _matches(self, doc: Doc) -> dict[str, list[tuple[str, dict[str, Token]]]]:
        """DependencyMatcher results keyed by kind, each as (rule id, {node name: token})."""
        found: dict[str, list[tuple[str, dict[str, Token]]]] = {"move": [], "level": [], "flat": []}
        for match_id, token_ids in self.matcher(doc):
            rule = doc.vocab.strings[match_id]
            nodes = {name: doc[i] for name, i in zip(self.right_ids[rule], token_ids, strict=True)}
            found[self.kinds[rule]].append((rule, nodes))
        for kind in found:
            found[kind].sort(key=lambda item: self.order[item[0]])
        return found

    # ------------------------------------------------------------------ moves
    def _direction(self, trigger: Token, head: Token) -> str | None:
        """Direction of a move word; a direction adverb next to it wins ("edged up", "pared gains to close up")."""
        lex = self.lexicon
        for token in (trigger, head):
            for child in token.children:
                if child.dep_ in ("prt", "advmod", "acomp") and lex.direction(child.lower_, ("adverbs",)):
                    if child.i > token.i and child.i - token.i <= 2:
                        return lex.direction(child.lower_, ("adverbs",))
        return lex.direction(trigger.lower_)

    def _move_head(self, trigger: Token) -> Token:
        """The clause word that carries a move: the verb an adverb or a move noun completes."""
        lex = self.lexicon
        if trigger.lower_ in lex.move_adverbs and trigger.head.lower_ in lex.neutral_verbs | lex.move_verbs:
            return trigger.head
        if trigger.lower_ in lex.move_nouns and trigger.dep_ in ("dobj", "attr") and (
            trigger.head.lower_ in lex.neutral_verbs | lex.extend_verbs
        ):
            return trigger.head
        return trigger

    def _moves(self, sent: Span, anchors: dict[int, NumberMatch], matches) -> list[Move]:
        moves = []
        used_triggers: set[int] = set()
        for anchor_i, number in sorted(anchors.items()):
            anchor = sent.doc[anchor_i]
            move = self._attached(anchor, number, matches) or self._fallback(sent, anchor, number, anchors)
            if move is None:
                continue
            moves.append(move)
            used_triggers.add(move.trigger.i)
        return moves

    def _attached(self, anchor: Token, number: NumberMatch, matches) -> Move | None:
        for rule, nodes in matches["move"]:
            if nodes["pct"].i != anchor.i:
                continue
            trigger = nodes["trigger"]
            if rule != "move_extended_total" and self._preceded_by_level_word(anchor.doc, number):
                return None
            if not self._plausible_order(trigger, anchor, number):
                continue
            head = nodes.get("verb") if rule == "move_extended_total" else self._move_head(trigger)
            direction = self._direction(trigger, head)
            if direction is None:
                continue
            return Move(number, anchor, trigger, head, direction, f"{COMPONENT}:{rule}", 0.85)
        return None

    def _plausible_order(self, trigger: Token, anchor: Token, number: NumberMatch) -> bool:
        """A verb states its magnitude after itself, and never across a semicolon or a colon."""
        doc = anchor.doc
        lo, hi = sorted((trigger.i, anchor.i))
        if any(doc[i].text in (";", ":") for i in range(lo + 1, hi)):
            return False
        if trigger.lower_ in self.lexicon.move_verbs and trigger.lower_ not in self.lexicon.move_nouns:
            return number.start > trigger.idx
        return True

    def _preceded_by_level_word(self, doc: Doc, number: NumberMatch) -> bool:
        """"rose to 34.3 pct", "from 5%": the percentage is a level reached, not the size of a move."""
        before = doc.text[max(0, number.start - 12) : number.start].split()
        return bool(before) and before[-1].casefold() in _NOT_MAGNITUDE_BEFORE

    def _fallback(self, sent: Span, anchor: Token, number: NumberMatch, anchors) -> Move | None:
        """A signed "+0.7%" after a name, or a move word at most five words before the percentage."""
        doc = sent.doc
        before = doc.text[max(0, number.number_start - 2) : number.number_start].rstrip()
        sign = before[-1:] if before else ""
        if sign in _SIGNS and number.approx == "exact":
            direction = _SIGNS[sign]
            return Move(number, anchor, anchor, anchor, direction, f"{COMPONENT}:move_signed", 0.7)
        if self._preceded_by_level_word(doc, number):
            return None
        first = doc.char_span(number.start, number.end, alignment_mode="expand")
        if first is None:
            return None
        lex = self.lexicon
        for i in range(first.start - 1, max(sent.start, first.start - 6) - 1, -1):
            token = doc[i]
            if i in anchors or token.text in (";", ":") or token.lower_ in ("and", "but", "while"):
                break
            if token.lower_ in lex.move_verbs | lex.move_adverbs:
                return Move(number, anchor, token, self._move_head(token), self._direction(token, token)
                            or lex.direction(token.lower_), f"{COMPONENT}:move_window", 0.6)
        return None

    def _subjects(self, move: Move, history: SubjectHistory) -> list[Subject] | None:
        if move.rule.endswith("move_signed"):
            return self._signed_subject(move, history)
        exclude = frozenset(t.i for t in move.anchor.subtree)
        if self._describes_object(move):
            return None
        gapped = self._gapped_subject(move)
        if gapped is not None:
            return [gapped]
        found = self._resolve_first(move.trigger, history, exclude)
        if found is None:
            return None
        if not found and move.head.i != move.trigger.i:
            found = self._resolve_first(move.head, history, exclude)
            if found is None:
                return None
        # the move word's own subject: its nsubj, or the nsubj of the verb it completes right after
        # ("closed up 0.3%"), not of a verb several words back ("slipped, with Alibaba down 0.25%")
        carriers = [move.trigger]
        if move.head.i != move.trigger.i and 0 < move.trigger.i - move.head.i and not any(
            t.pos_ in ("PROPN", "NOUN") and not t._.fin_num and t.ent_type_ not in ("PERCENT", "CARDINAL")
            and t.lower_ not in ("per", "cent", "percent", "pct", "pc", "%")
            for t in doc_slice(move.head, move.trigger)
        ):
            carriers.append(move.head)
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for t in carriers for c in t.children)
        conjoined = not own_subject and "conj" in (move.trigger.dep_, move.head.dep_)
        # "..., with Alibaba down 0.25%": a bare direction word right after a name moves that name
        bare = not own_subject and move.trigger.lower_ in self.lexicon.move_adverbs
        if not found or all(s.how in ("proper_noun", "ner") for s in found) or conjoined or bare:
            # no subject of its own (a conjoined verb, a broken parse): the name right before wins
            adjacent = self._adjacent_entity(move, linked_only=bool(found) and own_subject)
            if adjacent is not None and all(adjacent.key != s.key for s in found):
                found = [adjacent]
        return self._surface_coordination(found, move)

    def _gapped_subject(self, move: Move) -> Subject | None:
        """"The Nasdaq added 3.3%, the S&P 500 <.SPX> 2.4% and ...": a name right before the
        percentage, after the move word, is the subject of the left-out verb."""
        doc = move.anchor.doc
        first = doc.char_span(move.number.start, move.number.end, alignment_mode="expand")
        if first is None or move.trigger.i > first.start:
            return None
        i = _skip_left(doc, first.start - 1)
        if i <= move.trigger.i:
            return None
        for ent in move.anchor.sent.ents:
            if ent.end - 1 == i and ent.start > move.trigger.i:
                return entity_subject(ent)
        return None

    def _describes_object(self, move: Move) -> bool:
        """"HSBC will pay a dividend of US$0.10, up 5%": a bare "up" on a verb that is not a move verb
        describes that verb's object; when the object is a figure (dividend, profit) there is no move."""
        lex = self.lexicon
        verb = move.trigger.head
        if move.trigger.lower_ not in lex.move_adverbs or verb.i == move.trigger.i:
            return False
        if verb.lower_ in lex.neutral_verbs or verb.lower_ in lex.move_verbs:
            return False
        for obj in verb.children:
            if obj.dep_ in ("dobj", "attr") and self.resolver.resolve(obj, SubjectHistory()) is None:
                return True
        return False

    def _resolve_first(self, word: Token, history: SubjectHistory, exclude: frozenset[int]) -> list[Subject] | None:
        """Subjects of the first candidate head that resolves.

        None means the move word's own subject is an economic figure (GDP, a rate): no move. A figure
        found only by climbing to another clause ("earnings are weighing ..., namely UBS, falling
        6%") does not veto the move; it leaves it to the fallbacks.
        """
        for head in subject_heads(word, self.lexicon, exclude):
            found = self.resolver.resolve(head, history)
            if found is None:
                direct = (
                    head.head.i == word.i
                    or head.head.i == word.head.i and word.dep_ in ("prt", "advmod")
                    or any(t.i == head.i for t in word.subtree)  # "a 27% drop in quarterly profit"
                )
                return None if direct or head.i == word.i else []
            if found:
                return found
        return []

    def _surface_coordination(self, found: list[Subject], move: Move) -> list[Subject]:
        """Mend the parse with the text: "A <A.N>, B and C fell" moves every listed name, and a group
        word written right before the names ("optical-module makers A and B") only describes them."""
        doc = move.anchor.doc
        end = doc[min(move.trigger.i, move.head.i)]
        listed = list_subjects(end)
        if not listed:
            return _drop_descriptors(found, move.anchor.sent)
        list_start = min(s.start for s in listed)
        kept = []
        for subject in found:
            if subject.start >= list_start or any(subject.key == s.key for s in listed):
                continue
            if subject.kind == "group" and not doc.text[subject.end : list_start].strip():
                continue  # a descriptor right before the names
            kept.append(subject)
        return kept + listed

    def _adjacent_entity(self, move: Move, linked_only: bool = True) -> Subject | None:
        """A linked name written right before the move word ("Hang Seng Index Surges 3.51%").

        Used when the parse gives no subject or only an unlinked name: headlines in title case, wire
        copy in capitals and names followed by instrument codes ("Nikkei <.N225> dropped") are often
        parsed wrongly, but the name-then-verb order still holds. A participle or a bare "down" may
        follow the name after a comma ("UBS <UBSG.S>, falling 6%").
        """
        doc = move.anchor.doc
        for word in (move.trigger, move.head):
            i = _skip_left(doc, word.i - 1)
            if i >= 0 and doc[i].text == "," and (word.tag_ == "VBG" or word.lower_ in self.lexicon.move_adverbs):
                i = _skip_left(doc, i - 1)
            for ent in doc.ents:
                if ent.end - 1 == i:
                    subject = entity_subject(ent)
                    if subject is not None:
                        return subject
            if not linked_only and i >= 0:
                named = _capitalised_run(doc, i, word.sent.start)
                if named is not None:
                    return self.resolver.extra_index(named.name, named.start, named.end) or named
        return None

    def _signed_subject(self, move: Move, history: SubjectHistory) -> list[Subject]:
        """The name before a signed percentage: "S&P 500 +0.7%", "Hang Seng 17,651.15 (-1.8%)"."""
        doc = move.anchor.doc
        for ent in move.anchor.sent.ents:
            gap = doc.text[ent.end_char : move.number.number_start - 1]
            if 0 <= len(gap) <= 16 and _SIGN_GAP.fullmatch(gap):
                found = self.resolver.resolve(ent.root, history)
                return found or []
        return []

    def _price(self, move: Move, amounts: list[NumberMatch], subject: Subject) -> tuple[float | None, str | None]:
        """The price a move ended at ("to HK$129.30", "at $67.45 a barrel"), for non-index subjects."""
        if subject.is_index:
            return None, None
        doc = move.anchor.doc
        for token in (move.trigger, move.head):
            for prep in token.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("to", "at"):
                    continue
                closing = prep.lower_ == "to" or token.lower_ in self.lexicon.close_verbs
                span = [t for t in prep.subtree if t.i != prep.i]
                if not span or any(t.i == move.anchor.i for t in span):
                    continue
                start, end = span[0].idx, span[-1].idx + len(span[-1].text)
                for amount in amounts:
                    if start <= amount.number_start < end and amount.value < 1e7:
                        return amount.value, amount.currency
                first = span[0]
                # a bare number after "at" is a price only where the move closes there
                if closing and first.like_num and subject.kind == "company":
                    value = parse_level(first.text)
                    if value is not None and doc.text[end : end + 1] != "%":
                        return value, None
        return None, None

    def _emit_moves(
        self, doc: Doc, sent: Span, moves: list[Move], amounts, history, matches, carried=()
    ) -> list[tuple[Subject, Hit]]:
        emitted: list[tuple[Subject, Hit]] = []
        blocked = set()
        for move in moves:
            span = doc.char_span(move.number.start, move.number.end, alignment_mode="expand")
            blocked.update(t.i for t in span or ())
        heads = [m.head for m in moves]
        blocked |= _subordinate_tokens(heads)
        cues = self.horizons.cues(sent, blocked)
        zones = {m.anchor.i: zone(m.head, heads) for m in moves}
        flat = self._flat_moves(sent, moves, matches)
        resolved = [(move, self._subjects(move, history)) for move in [*moves, *flat]]
        resolved = _respectively(sent, resolved)
        for move, subjects in resolved:
            if subjects is not None and not subjects and carried and not move.rule.endswith("move_signed"):
                # a hard-wrapped line that goes on with the sentence above: same subject
                subjects = [carried[-1][0]]
            if not subjects:
                continue
            own = zones.get(move.anchor.i) or zone(move.head, heads)
            others = [z for i, z in zones.items() if i != move.anchor.i]
            before = move.number.approx == "up_to" and any(
                c.lower_ == "before" for t in (move.trigger, move.head) for c in t.children
            )
            horizon = assign(cues, own, others, before)
            for subject in subjects:
                price, currency = self._price(move, amounts, subject)
                fields = {
                    "subject": subject.name,
                    "ticker": subject.ticker,
                    "direction": move.direction,
                    "pct": move.number.value,
                    "pct_high": move.number.high,
                    "approx": move.number.approx,
                    "horizon": horizon.horizon,
                    "period": horizon.period if horizon.horizon == "period" else None,
                    "price": price,
                    "currency": currency if price is not None else None,
                }
                start = min(move.trigger.idx, move.number.start)
                if subject.start >= sent.start_char and subject.start < start:
                    start = subject.start
                end = max(move.number.end, move.trigger.idx + len(move.trigger.text))
                hit = Hit("price_move", start, end, fields, move.rule, move.confidence)
                add_hit(doc, hit)
                emitted.append((subject, hit))
                history.add(subject)
        return emitted

    def _flat_moves(self, sent: Span, moves: list[Move], matches) -> list[Move]:
        """"closed flat", "ended unchanged", "was flat": a move of 0% with direction flat."""
        found = []
        verbs_with_pct = {m.head.i for m in moves} | {m.trigger.i for m in moves}
        for rule, nodes in matches["flat"]:
            flat, verb = nodes["flat"], nodes["verb"]
            if not sent.start <= flat.i < sent.end or verb.i in verbs_with_pct:
                continue
            number = NumberMatch(flat.idx, flat.idx + len(flat.text), 0.0, None, "exact", None, flat.idx, "")
            found.append(Move(number, flat, verb, verb, "flat", f"{COMPONENT}:{rule}", 0.75))
            verbs_with_pct.add(verb.i)
        return found

    # ------------------------------------------------------------------ levels
    def _emit_levels(self, doc: Doc, sent: Span, level_anchors, matches, emitted, history) -> None:
        done: set[int] = set()
        done_subjects: set[str] = set()
        candidates = [(rule, nodes["level"], nodes["verb"]) for rule, nodes in matches["level"]]
        candidates += self._levels_after_names(doc, sent, level_anchors)
        for rule, level, verb in sorted(candidates, key=lambda item: item[1].i):
            if level.i not in level_anchors or level.i in done or not sent.start <= level.i < sent.end:
                continue
            start, end, value = level_anchors[level.i]
            if rule == "level_after_name":
                subjects = self._index_named_before(level)
            else:
                subjects = self._resolve_first(verb, history, frozenset({level.i}))
                if not subjects or not subjects[0].is_index:
                    adjacent = self._adjacent_entity(Move(NumberMatch(start, end, value), level, verb, verb, "", "", 0))
                    subjects = [adjacent] if adjacent is not None else subjects
            if not subjects:
                continue
            subject = subjects[0]
            if not subject.is_index or (subject.key, verb.i) in done_subjects:
                continue  # one level per index and verb ("gained 13.3 points to X and ... 3.0 to Y")
            done_subjects.add((subject.key, verb.i))
            pct, direction = self._level_move(subject, emitted, sent, verb)
            fields = {"index": subject.name, "ticker": subject.ticker, "level": value, "pct": pct,
                      "direction": direction}
            hit_start = subject.start if sent.start_char <= subject.start < start else verb.idx
            add_hit(doc, Hit("index_level", min(hit_start, start), end, fields, f"{COMPONENT}:{rule}", 0.8))
            done.add(level.i)

    def _levels_after_names(self, doc: Doc, sent: Span, level_anchors) -> list[tuple[str, Token, Token]]:
        """"Hang Seng 24,383.32 (+1.2%)", "S&P 500: 6,204.95": a level written right after an index name."""
        found = []
        for i in level_anchors:
            token = doc[i]
            if not sent.start <= i < sent.end:
                continue
            if self._index_named_before(token):
                found.append(("level_after_name", token, token))
        return found

    def _index_named_before(self, level: Token) -> list[Subject] | None:
        doc = level.doc
        j = level.i - 1
        if j >= 0 and doc[j].text in (":", "at", "|"):
            j -= 1
        for ent in level.sent.ents:
            if ent.end - 1 == j:
                subject = entity_subject(ent)
                if subject is not None and subject.is_index:
                    return [subject]
        return None

    def _level_move(self, subject: Subject, emitted, sent: Span, verb: Token) -> tuple[float | None, str | None]:
        """pct and direction of the same subject's move in the same sentence, else the verb's direction."""
        for moved, hit in emitted:
            if moved.key == subject.key and sent.start_char <= hit.start < sent.end_char:
                return hit.fields["pct"], hit.fields["direction"]
        lex = self.lexicon
        # "lost 15.29 points to end the day at", "ended 462.43 points lower at": the nearest move word
        heads = [verb.head] if verb.dep_ in ("xcomp", "advcl", "pcomp") and verb.head.i != verb.i else []
        for word in (verb, *[c for c in verb.children if c.dep_ in ("advmod", "prt", "acomp")], *heads):
            direction = lex.direction(word.lower_, ("verbs", "adverbs"))
            if direction is not None:
                return None, direction
        return None, None


@Language.factory(COMPONENT, assigns=["doc._.fin_hits"], requires=["doc.ents", "token.dep"])
def make_move_extractor(nlp: Language, name: str) -> MoveExtractor:
    """Create the price-move and index-level extractor over the lexicon in configs/moves/."""
    return MoveExtractor(nlp)
