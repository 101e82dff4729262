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

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token

from pipeline.components.anchors import Move, anchor, sentence_numbers
from pipeline.components.horizons import HorizonFinder, assign, zone
from pipeline.components.levels import LevelFinder
from pipeline.components.mood import is_unreal
from pipeline.components.movelex import MoveLexicon, load_patterns, shared_lexicon
from pipeline.components.movesubjects import MoveSubjects
from pipeline.components.resolver import SubjectResolver
from pipeline.components.subjects import Subject, SubjectHistory
from pipeline.components.surface import (
    SIGNS,
    continues_line,
    respectively,
    skip_left,
    subordinate_tokens,
    verb_above,
    word_moved_by_size,
)
from pipeline.hits import Hit, add_hit
from pipeline.localdollar import article_dollar, paragraph_dollar, with_local_dollar
from pipeline.numbers import NumberMatch, parse_level

COMPONENT = "fin_moves"
_NOT_MAGNITUDE_BEFORE = frozenset({"to", "from", "at", "of", "than"})


POINT_WORDS = frozenset({"points", "point", "pts"})


class MoveExtractor:
    """spaCy component: add `price_move` and `index_level` hits (see the module docstring)."""

    def __init__(self, nlp: Language, lexicon: MoveLexicon | None = None) -> None:
        self.lexicon = lexicon or shared_lexicon()
        self.resolver = SubjectResolver(self.lexicon)
        self.subjects = MoveSubjects(self.lexicon, self.resolver)
        self.levels = LevelFinder(self.lexicon, self.subjects)
        self.horizons = HorizonFinder(nlp.vocab)
        self.matcher = DependencyMatcher(nlp.vocab)
        self.kinds: dict[str, str] = {}
        self.directions: dict[str, str] = {}  # a pattern's own direction, for triggers without one
        self.order: dict[str, int] = {}
        self.right_ids: dict[str, list[str]] = {}
        for number, record in enumerate(load_patterns("patterns.jsonl")):
            self.matcher.add(record["id"], [record["pattern"]])
            self.kinds[record["id"]] = record["kind"]
            if "direction" in record:
                self.directions[record["id"]] = record["direction"]
            self.order[record["id"]] = number
            self.right_ids[record["id"]] = [node["RIGHT_ID"] for node in record["pattern"]]

    # ------------------------------------------------------------------ component
    def __call__(self, doc: Doc) -> Doc:
        """Mark the numbers, match the patterns once, then read the doc sentence by sentence."""
        sentences = []
        dollar = article_dollar(doc)
        text = doc.text
        for sent in doc.sents:
            percents, amounts, levels = sentence_numbers(sent)
            amounts = with_local_dollar(amounts, paragraph_dollar(text, sent, dollar))
            anchors = {}
            for number in percents:
                token = anchor(doc, number.number_start, number.end)
                if token is not None:
                    token._.fin_num = "pct"
                    anchors[token.i] = number
            level_anchors = {}
            for start, end, value in levels:
                token = anchor(doc, start, end)
                if token is not None and not token._.fin_num and not _part_of_a_name(token):
                    token._.fin_num = "level"
                    level_anchors[token.i] = (start, end, value)
            sentences.append((sent, anchors, amounts, level_anchors))
        matches = self._matches(doc)
        history = SubjectHistory.from_doc(doc)
        previous: list[tuple[Subject, Hit]] = []
        for n, (sent, anchors, amounts, level_anchors) in enumerate(sentences):
            moves = self._moves(sent, anchors, matches)
            carried = previous if n and continues_line(sentences[n - 1][0], sent) else []
            emitted = self._emit_moves(doc, sent, moves, amounts, history, matches, carried)
            self.levels.emit(doc, sent, level_anchors, matches, emitted, history)
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
        """Return the direction of a move word; an adverb next to it wins ("edged up", "to close up")."""
        lex = self.lexicon
        if trigger.lower_ in lex.move_adverbs and abs(trigger.i - head.i) > 2:
            # "was flat at X, with DBS Group down 0.8%": the adverb far from the verb is its own move
            own = lex.direction(trigger.lower_, ("adverbs",))
            if own is not None:
                return own
        for token in (trigger, head):
            for child in token.children:
                if child.dep_ == "prt" and f"{token.lower_} {child.lower_}" in lex.reversed_particles:
                    return _opposite(lex.direction(child.lower_, ("adverbs",)))  # "gave up 2%"
                if child.dep_ in ("prt", "advmod", "acomp") and lex.direction(child.lower_, ("adverbs",)):
                    if child.i > token.i and child.i - token.i <= 2:
                        return lex.direction(child.lower_, ("adverbs",))
        return lex.direction(trigger.lower_)

    def _move_head(self, trigger: Token) -> Token:
        """Return the clause word that carries a move: the verb an adverb or a move noun completes."""
        lex = self.lexicon
        moved = _object_before_code(trigger)
        if moved is not None and moved.head.lower_ in lex.causative_verbs:
            # "dragging the STOXX 600 technology index <.SX8P> down 2.4%": the code breaks the parse;
            # the verb whose object stands before the code carries the move
            return moved.head
        at_the_close = trigger.head.dep_ == "pobj" and trigger.head.pos_ != "VERB"
        if trigger.lower_ in lex.move_adverbs and at_the_close and trigger.head.lower_ in lex.neutral_verbs:
            # "reported 24,383.32 points at the close, down 1.12%": the parse hangs the direction word
            # on "close" in "at the close"; the clause's verb carries the move
            verb = verb_above(trigger.head)
            if verb is not None:
                return verb
        if trigger.lower_ in lex.move_adverbs and trigger.head.lower_ in lex.neutral_verbs | lex.move_verbs:
            return trigger.head
        if (
            trigger.lower_ in lex.move_adverbs
            and trigger.dep_ == "amod"
            and trigger.head.pos_ in ("NOUN", "PROPN")
        ):
            # "closed 98.2 points, or 0.4%, higher", "finished Friday 0.4% higher": the parser hangs the
            # direction word on the size or the day; the verb above them carries the move
            word = word_moved_by_size(trigger)
            if word.pos_ in ("VERB", "AUX"):
                return word
        if (
            trigger.lower_ in lex.move_nouns
            and trigger.dep_ in ("dobj", "attr")
            and (trigger.head.lower_ in lex.neutral_verbs | lex.extend_verbs)
        ):
            return trigger.head
        level = trigger.head
        if (
            trigger.lower_ in lex.move_nouns
            and trigger.dep_ == "appos"
            and (level.like_num or level.lower_ in POINT_WORDS and any(c.like_num for c in level.children))
            and level.head.lower_ in ("at", "to")
            and level.head.head.pos_ in ("VERB", "AUX")
        ):  # "ended at 2,845.12 (points), a gain of 1.6%": the verb the level completes
            return level.head.head
        return trigger

    def _moves(self, sent: Span, anchors: dict[int, NumberMatch], matches) -> list[Move]:
        moves = []
        used_triggers: set[int] = set()
        for anchor_i, number in sorted(anchors.items()):
            anchor = sent.doc[anchor_i]
            move = self._attached(anchor, number, matches) or self._fallback(sent, anchor, number, anchors)
            if move is None:
                move = self._gapped(sent, anchor, number, moves)
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
            extended = rule.startswith("move_extended_total")
            if not extended and self._preceded_by_level_word(anchor.doc, number):
                return None
            if not self._plausible_order(trigger, anchor, number):
                continue
            head = nodes.get("verb") if extended else self._move_head(trigger)
            direction = self._direction(trigger, head) or self.directions.get(rule)
            if direction is None:
                continue
            return Move(number, anchor, trigger, head, direction, f"{COMPONENT}:{rule}", 0.85)
        return None

    def _plausible_order(self, trigger: Token, anchor: Token, number: NumberMatch) -> bool:
        """Check the order: a verb states its magnitude after itself, never across a semicolon or colon."""
        doc = anchor.doc
        lo, hi = sorted((trigger.i, anchor.i))
        if any(doc[i].text in (";", ":") for i in range(lo + 1, hi)):
            return False
        if trigger.lower_ in self.lexicon.move_verbs and trigger.lower_ not in self.lexicon.move_nouns:
            return number.start > trigger.idx
        return True

    def _preceded_by_level_word(self, doc: Doc, number: NumberMatch) -> bool:
        """Tell a level reached ("rose to 34.3 pct", "from 5%") from the size of a move.

        "Of" after a move noun states the size: "a gain of 1.6%", "a drop of 0.9%", "jumped by the
        daily limit of 10%".
        """
        before = [w.casefold() for w in doc.text[max(0, number.start - 24) : number.start].split()]
        if not before or before[-1] not in _NOT_MAGNITUDE_BEFORE:
            return False
        size_of_move = (
            before[-1] == "of"
            and len(before) > 1
            and (before[-2] in self.lexicon.move_nouns or before[-2] in self.lexicon.limit_nouns)
        )
        return not size_of_move

    def _fallback(self, sent: Span, anchor: Token, number: NumberMatch, anchors) -> Move | None:
        """Attach a signed "+0.7%" after a name, or a move word at most five words before the percentage."""
        doc = sent.doc
        before = doc.text[max(0, number.number_start - 2) : number.number_start].rstrip()
        sign = before[-1:] if before else ""
        if sign in SIGNS and number.approx == "exact":
            direction = SIGNS[sign]
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
            if token.dep_ == "prt" and token.head.lower_ in lex.share_verbs:
                break  # "makes up more than 40 percent of the benchmark": a share, not a move
            if token.lower_ in lex.move_verbs | lex.move_adverbs:
                return Move(
                    number,
                    anchor,
                    token,
                    self._move_head(token),
                    self._direction(token, token) or lex.direction(token.lower_),
                    f"{COMPONENT}:move_window",
                    0.6,
                )
        return None

    def _gapped(self, sent: Span, anchor: Token, number: NumberMatch, moves: list[Move]) -> Move | None:
        """Return the move of a list item whose verb is left out, if a name comes right before it.

        "The Hang Seng rose 1.2% and the Shanghai Composite 0.4%" moves the Shanghai Composite up
        0.4% (the subject is found by `MoveSubjects`, which needs that name).
        """
        earlier = [m for m in moves if not m.rule.endswith("move_signed")]
        doc = sent.doc
        first = doc.char_span(number.start, number.end, alignment_mode="expand")
        if not earlier or first is None:
            return None
        previous = earlier[-1]
        between = doc[previous.anchor.i + 1 : first.start]
        index_heads = self.lexicon.index_heads  # "... and the utilities sub-index 2.1%": no verb
        verbs = [t for t in between if t.pos_ in ("VERB", "AUX") and t.lower_ not in index_heads]
        if verbs or any(t.text in (";", ":") for t in between):
            return None
        if not any(t.text == "," or t.lower_ in ("and", "while") for t in between):
            return None
        rule = f"{COMPONENT}:move_gapped"
        move = Move(number, anchor, previous.trigger, previous.head, previous.direction, rule, 0.6)
        return move if self.subjects.gapped_subject(move) is not None else None

    def _price(
        self, move: Move, amounts: list[NumberMatch], subject: Subject
    ) -> tuple[float | None, str | None]:
        """Return the price a move ended at ("to HK$129.30", "at $67.45 a barrel"), for non-index subjects."""
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
        blocked |= subordinate_tokens(heads)
        cues = self.horizons.cues(sent, blocked)
        zones = {m.anchor.i: zone(m.head, heads) for m in moves}
        flat = self._flat_moves(sent, moves, matches)
        stated = [m for m in [*moves, *flat] if not is_unreal(m.head, self.lexicon.unreal)]
        resolved = [(move, self.subjects.find(move, history)) for move in stated]
        resolved = respectively(sent, resolved)
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
        """Find flat moves ("closed flat", "ended unchanged", "was flat"): 0% with direction flat."""
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


@Language.factory(COMPONENT, assigns=["doc._.fin_hits"], requires=["doc.ents", "token.dep"])
def make_move_extractor(nlp: Language, name: str) -> MoveExtractor:
    """Create the price-move and index-level extractor over the lexicon in configs/moves/."""
    return MoveExtractor(nlp)


def _object_before_code(trigger: Token) -> Token | None:
    """The direct object written right before an instrument code that precedes `trigger`."""
    i = trigger.i - 1
    if i < 2 or trigger.doc[i].text != ">":
        return None
    moved = trigger.doc[skip_left(trigger.doc, i)]
    return moved if moved.i < i and moved.dep_ == "dobj" else None


def _part_of_a_name(token: Token) -> bool:
    """Tell whether a number belongs to a security's name ("Nifty 50", "FTSE 100"): no level."""
    return token.ent_iob_ != "O" and token.ent_id_ != ""  # inside a gazetteer entity


def _opposite(direction: str | None) -> str | None:
    return {"up": "down", "down": "up"}.get(direction or "", direction)
