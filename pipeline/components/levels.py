"""Index levels: "closing at 3346.72", "rose 12.5 points to 2,405.54", "S&P 500: 6,204.95".

A level is a bare number that a DependencyMatcher pattern attaches to a verb ("at"/"to" objects,
"reached X", "a record X"), or that is written right after an index name. It is kept when its
subject resolves to an index; pct and direction come from that index's move in the same sentence.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from pipeline.components.anchors import Move
from pipeline.components.mood import is_infinitive, is_unreal
from pipeline.components.movelex import MoveLexicon
from pipeline.components.movesubjects import MoveSubjects
from pipeline.components.subjects import Subject, entity_subject
from pipeline.components.surface import (
    aside_opening,
    conjunct_of_figure,
    skip_place,
    verb_above,
    word_moved_by_size,
)
from pipeline.hits import Hit, add_hit
from pipeline.numbers import NumberMatch

COMPONENT = "fin_moves"
# Words after the size of a change: "310.52 points", "0.6 pct", "1.2%", "0.5 per cent".
_CHANGE_UNITS = frozenset({"points", "point", "pts", "pct", "%", "percent", "cent", "pc"})
# "hovered around 26,150 before closing 0.6% higher": a level the index hovered at, not where it moved to
_HOVER_RULES = (
    "level_hovered",
    "level_hovered_points",
    "level_hovered_adverb",
    "level_hovered_adverb_points",
)


class LevelFinder:
    """Add `index_level` hits for one sentence (see the module docstring)."""

    def __init__(self, lexicon: MoveLexicon, subjects: MoveSubjects) -> None:
        self.lexicon = lexicon
        self.subjects = subjects

    def emit(self, doc: Doc, sent: Span, level_anchors, matches, emitted, history) -> None:
        """Add the sentence's index levels; `emitted` are its price moves (for pct and direction)."""
        done: set[int] = set()
        done_subjects: set[str] = set()
        candidates = [(rule, nodes["level"], nodes["verb"]) for rule, nodes in matches["level"]]
        candidates += self._levels_after_names(doc, sent, level_anchors)
        candidates += self._misparsed_extremes(doc, sent, level_anchors)
        candidates += self._range_extremes(doc, sent, level_anchors)
        candidates += self._gapped_clause_levels(doc, sent, level_anchors)
        candidates += self._levels_after_change(doc, sent, level_anchors)
        candidates += self._levels_left(doc, sent, level_anchors)
        # a level written right after an index name belongs to that name ("HSCEI at 9,081, HSTECH at
        # 5,642"), before any reading through the clause's verb
        for rule, level, verb in sorted(
            candidates, key=lambda item: (item[1].i, item[0] != "level_after_name")
        ):
            if level.i not in level_anchors or level.i in done or not sent.start <= level.i < sent.end:
                continue
            verb = word_moved_by_size(self._verb_of_time_phrase(verb))
            if is_unreal(verb, self.lexicon.unreal) or self._sets_a_forecast(verb):
                continue  # "if the market falls to 24,000", "raised its Hang Seng target to 27,000"
            if rule == "level_after_name" and self._forecast_clause(verb):
                continue  # "we see the Nikkei at 44,000 by December"
            start, end, value = level_anchors[level.i]
            side_level = False
            named = verb.head if verb.is_punct and verb.head.pos_ in ("NOUN", "PROPN") else None
            if rule == "level_after_name":
                subjects = self._index_named_before(level)
            elif rule == "level_gapped_clause":
                subjects = self._index_before_change(level, history) or []
            elif named is not None:  # "The Commerzbank index, at 1,845.6, was 12.3 points down"
                subjects = self.subjects.resolver.resolve(named, history) or []
                verb = named.head
            elif (gapped := self._gapped_index(verb, level, history)) is not None:
                subjects = [gapped]
            elif (taken := self._subject_taken_as_conjunct(verb, history)) is not None:
                subjects = [taken]
            else:
                subjects = self.subjects.resolve_first(verb, history, frozenset({level.i}))
                if not subjects or not subjects[0].is_index:
                    adjacent = self.subjects.adjacent_entity(
                        Move(NumberMatch(start, end, value), level, verb, verb, "", "", 0)
                    )
                    subjects = [adjacent] if adjacent is not None else subjects
                if not subjects or not subjects[0].is_index:
                    subjects = self._clause_subject(verb, level, history) or subjects
                if not subjects or not subjects[0].is_index:
                    aside = self._participle_subject(verb, level, history)
                    subjects = aside or subjects
                    side_level = bool(aside)  # an opening or a low on the way, not where the move ended
            if not subjects:
                continue
            subject = subjects[0]
            # a range has two levels on one verb, and so has a move from a level it left
            both_ends = rule in ("level_range_extreme", "level_left")
            if not subject.is_index or (not both_ends and (subject.key, verb.i) in done_subjects):
                continue  # one level per index and verb ("gained 13.3 points to X and ... 3.0 to Y")
            done_subjects.add((subject.key, verb.i))
            pct, direction = self._level_move(subject, emitted, sent, verb)
            if rule in ("level_left", *_HOVER_RULES) or side_level:
                pct, direction = None, None  # the move is the one away from this level
            fields = {
                "index": subject.name,
                "ticker": subject.ticker,
                "level": value,
                "pct": pct,
                "direction": direction,
            }
            hit_start = subject.start if sent.start_char <= subject.start < start else verb.idx
            add_hit(doc, Hit("index_level", min(hit_start, start), end, fields, f"{COMPONENT}:{rule}", 0.8))
            done.add(level.i)

    def _verb_of_time_phrase(self, word: Token) -> Token:
        """The clause's verb when the parser hung the level on a time phrase's "close": "plunged
        105.49 points by the midday close to 789.54"; not after "from the record close at X", a level
        the index left."""
        # "rose 2.3% over the week to X": the parser hangs the level on the time noun
        time_noun = word.pos_ == "NOUN" and word.ent_type_ in ("DATE", "TIME")
        if word.pos_ in ("VERB", "AUX") or not (word.lower_ in self.lexicon.close_verbs or time_noun):
            return word
        prep = next((a for a in word.ancestors if a.dep_ == "prep"), None)
        if prep is None or prep.lower_ in self.lexicon.left_level_preps:
            return word  # "fell from the record close at 25,929.42"
        return next((a for a in word.ancestors if a.pos_ in ("VERB", "AUX")), word)

    def _sets_a_forecast(self, verb: Token) -> bool:
        """Tell whether the verb moves a forecast, not the index: "raised its Hang Seng target to X"."""
        return any(
            child.dep_ in ("dobj", "nsubjpass", "nsubj")
            and child.lemma_.lower() in self.lexicon.forecast_nouns
            for child in verb.children
        )

    def _clause_subject(self, verb: Token, level: Token, history) -> list[Subject] | None:  # noqa: ANN001
        """Return the index of the clause an infinitive belongs to, when the parser hung it on a noun.

        "The index had lost 233.2 points after the opening to stand at 1,819.1".
        """
        if not is_infinitive(verb):
            return None
        clause = next((a for a in verb.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if clause is None:
            return None
        found = self.subjects.resolve_first(clause, history, frozenset({level.i}))
        return found if found and found[0].is_index else None

    def _participle_subject(self, verb: Token, level: Token, history) -> list[Subject] | None:  # noqa: ANN001
        """The index of the main clause a participle clause hangs on: "... to 46,420.10, after opening
        at 46,301.77", "closed down 0.3%, having touched a session low of 538.90"."""
        if verb.tag_ not in ("VBG", "VBN") or verb.dep_ not in ("pcomp", "advcl", "pobj"):
            return None
        if any(c.dep_ == "dobj" and c.lower_ not in self.lexicon.extreme_nouns for c in verb.children):
            return None  # "driving price/earnings ratios to over 70": the object reached the level
        main = verb_above(verb)
        if main is None:
            return None
        found = self.subjects.resolve_first(main, history, frozenset({level.i}))
        return found if found and found[0].is_index else None

    def _gapped_index(self, verb: Token, level: Token, history) -> Subject | None:  # noqa: ANN001
        """Return the index of a clause whose verb is left out, if the level belongs to one.

        "... gained 20.8 points to 2,639.3 and the all resources 6.2 to 1,110.2": the parser hangs
        "resources" on "gained" as a conjunct.
        """
        gapped = [
            c
            for c in verb.children
            if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") and verb.i < c.i < level.i
        ]
        if not gapped:
            return None
        found = self.subjects.resolver.resolve(gapped[-1], history)
        return found[0] if found and found[0].is_index else None

    def _subject_taken_as_conjunct(self, verb: Token, history) -> Subject | None:  # noqa: ANN001
        """Return the index written right before a verbless or second clause that the parser took away.

        "... up 25.3 points at 2,300.4 and the FT 30 share index up 18.2 at 1,700.1": the parser
        joins "index" to the first level as a conjunct, so the second clause has no subject.
        """
        doc = verb.doc
        if is_infinitive(verb) and verb.head.pos_ == "VERB" and verb.head.i < verb.i:
            verb = verb.head  # "... at 24,310.15 and the BSE Sensex shed 498 points to close at X"
        i = verb.i - 1
        while i >= 0 and doc[i].lemma_ in ("be", "have"):
            i -= 1
        between = doc[i + 1 : verb.i + 1]
        if i < 0 or any(c.dep_ in ("nsubj", "nsubjpass") for t in between for c in t.children):
            return None
        aside = aside_opening(
            doc, i, verb.sent.start
        )  # "and the Commerzbank index, calculated at midsession, rose"
        if aside is not None:
            i = aside - 1
        i = skip_place(doc, i)  # "... and the CAC 40 in Paris firmed 0.6% to X"
        noun = conjunct_of_figure(doc[i])  # "... at 23,614.08 and France's CAC 40 gained 1.4% to X"
        if noun is None and verb.dep_ == "conj":
            noun = _object_after_and(doc[i], verb)
        if noun is None:
            return None
        found = self.subjects.resolver.resolve(noun, history)
        return found[0] if found and found[0].is_index else None

    def _misparsed_extremes(self, doc: Doc, sent: Span, level_anchors) -> list[tuple[str, Token, Token]]:
        """Find "hit an intraday high of X" where the parser hangs "high" or "of X" on "intraday".

        Read from each level up (a few tokens), not matched over the sentence: a pattern with such
        loose nodes costs the dependency matcher dearly on very long sentences.
        """
        lex = self.lexicon
        found = []
        for i in level_anchors:
            level = doc[i]
            of = _of_phrase(level)
            if not sent.start <= i < sent.end or of is None:
                continue
            holder = of.head  # "high" (misread as a modifier) or "intraday" (holding "of")
            extreme = holder.lower_ in lex.extreme_nouns and holder.dep_ in ("amod", "compound")
            if extreme:
                holder = holder.head
            else:
                modifiers = [c for c in holder.children if c.dep_ in ("amod", "compound")]
                extreme = any(c.lower_ in lex.extreme_nouns for c in modifiers)
            reached = holder.dep_ in ("dobj", "attr", "npadvmod") and holder.head.lower_ in lex.reach_verbs
            if extreme and reached:
                found.append(("level_reached_noun_misparsed", level, holder.head))
        return found

    def _range_extremes(self, doc: Doc, sent: Span, level_anchors) -> list[tuple[str, Token, Token]]:
        """Find the ends of a range: "swung between a low of X and a high of Y" (both are levels)."""
        found = []
        for i in level_anchors:
            level = doc[i]
            of = _of_phrase(level)
            if not sent.start <= i < sent.end or of is None:
                continue
            extreme = of.head
            if extreme.lower_ not in self.lexicon.extreme_nouns or extreme.dep_ not in ("pobj", "conj"):
                continue
            verb = verb_above(extreme, root_counts=True)  # up through "between" and the conjunct
            if verb is not None:
                found.append(("level_range_extreme", level, verb))
        return found

    def _verb_before(
        self, doc: Doc, start: int, end: int, pos: tuple[str, ...] = ("VERB", "AUX")
    ) -> Token | None:
        """The nearest verb before token `end` (from `start`); a "sub-index" tagged as a verb is none."""
        heads = self.lexicon.index_heads
        return next((t for t in reversed(doc[start:end]) if t.pos_ in pos and t.lower_ not in heads), None)

    def _levels_left(self, doc: Doc, sent: Span, level_anchors) -> list[tuple[str, Token, Token]]:
        """Find a level the index moved away from, read on the surface: "up 0.7 pct from Tuesday's
        close of 3,885.19", "off a midsession 716.8". The clause's verb is the nearest before it."""
        found = []
        for i in level_anchors:
            if not sent.start + 2 <= i < sent.end:
                continue
            before = [t.lower_ for t in doc[max(sent.start, i - 3) : i]]
            closing = before[-2:] in (["close", "of"], ["closing", "of"], ["finish", "of"])
            session = len(before) == 3 and before[0] == "off" and before[1] in ("a", "an", "the")
            if not closing and not (session and before[2] in self.lexicon.session_words):
                continue
            verb = self._verb_before(doc, sent.start, i)
            if verb is not None:
                found.append(("level_left", doc[i], verb))
        return found

    def _forecast_clause(self, level: Token) -> bool:
        """Tell whether a level written after an index name is the object of a forecast ("we see the
        Nikkei at 44,000", "targets the Hang Seng at 28,000") or in an unreal clause."""
        verb = verb_above(level)
        if verb is None:
            return False
        unreal = self.lexicon.unreal
        return verb.lemma_.lower() in unreal.forecast_heads or is_unreal(verb, unreal)

    def _levels_after_names(self, doc: Doc, sent: Span, level_anchors) -> list[tuple[str, Token, Token]]:
        """Find levels written right after an index name: "Hang Seng 24,383.32", "S&P 500: 6,204.95"."""
        found = []
        for i in level_anchors:
            token = doc[i]
            if not sent.start <= i < sent.end:
                continue
            after = doc[i + 1].lower_ if i + 1 < len(doc) else ""
            if after in ("to", "points", "point", "pts", "pct", "%"):
                continue  # "the all resources 6.2 to 1,110.2": a change, the level comes next
            if after in ("times", "x"):
                continue  # "the Kospi at 0.85 times book value": a valuation multiple
            if self._index_named_before(token):
                found.append(("level_after_name", token, token))
        return found

    def _gapped_clause_levels(self, doc: Doc, sent: Span, level_anchors) -> list[tuple[str, Token, Token]]:
        """Find levels of verbless clauses that share the sentence's verb: "The gold index rose 23.4
        to 1,234.5, the metals index 4.3 to 789.0 and the industrial index 1.2 to 1,567.8".

        Read on the surface (index, change, "to", level after a comma or "and"), because the parser
        joins such clauses in many ways; tried after the parse-based readings of the same level.
        """
        found = []
        for i in level_anchors:
            if not sent.start <= i < sent.end or self._change_before(doc[i]) is None:
                continue
            verb = self._verb_before(doc, sent.start, i, ("VERB",))
            if verb is not None:
                found.append(("level_gapped_clause", doc[i], verb))
        return found

    def _levels_after_change(self, doc: Doc, sent: Span, level_anchors) -> list[tuple[str, Token, Token]]:
        """Find "<change> to/at <level>" read on the surface, for parses that lose it: "gained 310.52
        points to 44,902.17" ("to 44,902.17" taken for an infinitive), "ended 212.64 points, or 0.6
        pct, down at 35,318.06". The clause's verb is the nearest verb before the change."""
        found = []
        for i in level_anchors:
            if not sent.start <= i < sent.end:
                continue
            change = self._change_start(doc[i])
            if change is None:
                continue
            verb = self._verb_before(doc, sent.start, change)
            # the change follows its verb ("gained 310.52 points", "was up 0.5 pct"), not a name of
            # its own ("..., with Caterpillar up 2.3 pct at 56-1/4")
            if verb is not None and all(t.pos_ in ("ADV", "PART", "AUX") for t in doc[verb.i + 1 : change]):
                found.append(("level_after_change", doc[i], verb))
        return found

    def _change_start(self, level: Token) -> int | None:
        """Where the change before "to/at <level>" starts ("310.52 points", "212.64 points, or 0.6
        pct, down"), if the level follows one; else None."""
        doc = level.doc
        j = level.i - 1
        if j < 2 or doc[j].lower_ not in ("to", "at"):
            return None
        j -= 1
        if self.lexicon.direction(doc[j].lower_, ("adverbs",)) is not None:
            j -= 1  # "0.6 pct, down at"
        if doc[j].text == ",":
            j -= 1
        start = None
        for _ in range(2):  # "212.64 points, or 0.6 pct"
            k = j
            if doc[k].lower_ in _CHANGE_UNITS:
                k -= 2 if doc[k].lower_ == "cent" and doc[k - 1].lower_ == "per" else 1
            if k < 0 or not doc[k].like_num:
                break
            start = k
            if k >= 2 and doc[k - 1].lower_ == "or" and doc[k - 2].text == ",":
                j = k - 3
            else:
                break
        return start

    def _change_before(self, level: Token) -> Token | None:
        """The last word of the name before "<change> to/at <level>", if that clause opens after a
        comma, "and" or "while" (a clause whose verb is left out); else None."""
        change = self._change_start(level)
        if change is None or change < 1:
            return None
        name_end = level.doc[change - 1]
        if name_end.pos_ not in ("NOUN", "PROPN") and name_end.lower_ not in self.lexicon.index_heads:
            return None  # the parser may tag a gapped clause's "sub-index" as its verb
        opener = level.doc[name_end.left_edge.i - 1] if name_end.left_edge.i > level.sent.start else None
        if opener is None or opener.lower_ not in (",", "and", "while", ";"):
            return None
        return name_end

    def _index_before_change(self, level: Token, history) -> list[Subject] | None:  # noqa: ANN001
        """The index a gapped clause names before its change (see `_gapped_clause_levels`)."""
        name_end = self._change_before(level)
        if name_end is None:
            return None
        for ent in level.sent.ents:
            if ent.end - 1 == name_end.i:
                subject = entity_subject(ent)
                return [subject] if subject is not None and subject.is_index else None
        found = self.subjects.resolver.resolve(name_end, history)
        return [found[0]] if found and found[0].is_index else None

    def _index_named_before(self, level: Token) -> list[Subject] | None:
        doc = level.doc
        j = level.i - 1
        if j >= 0 and doc[j].text in (":", "at", "|"):
            j -= 1
        elif j >= 0 and doc[j].text == "(":  # "the Nifty 50 (25,581.30) was 0.3% higher"
            if level.i + 1 >= len(doc) or doc[level.i + 1].text != ")":
                return None
            j -= 1
        for ent in level.sent.ents:
            if ent.end - 1 == j:
                subject = entity_subject(ent)
                if subject is not None and subject.is_index:
                    return [subject]
        return None

    def _level_move(
        self, subject: Subject, emitted, sent: Span, verb: Token
    ) -> tuple[float | None, str | None]:
        """Pct and direction of the same subject's move in the same sentence, else the verb's direction."""
        asides = [  # "The index, which fell 1.2% on Monday, rebounded 23 points to X"
            (t.left_edge.idx, t.right_edge.idx + len(t.right_edge))
            for t in sent
            if t.dep_ == "relcl" and not t.left_edge.i <= verb.i <= t.right_edge.i
        ]
        same = [
            hit
            for moved, hit in emitted
            if moved.key == subject.key
            and sent.start_char <= hit.start < sent.end_char
            and not any(lo < hit.end <= hi for lo, hi in asides)
        ]
        if same:
            # the move nearest the level word ("The index, which rose 2% last week, slipped 0.3% to X")
            hit = min(same, key=lambda h: (not h.start <= verb.idx <= h.end, abs(h.end - verb.idx)))
            return hit.fields["pct"], hit.fields["direction"]
        lex = self.lexicon
        # "lost 15.29 points to end the day at", "ended 462.43 points lower at": the nearest move word
        heads = [verb.head] if verb.dep_ in ("xcomp", "advcl", "pcomp") and verb.head.i != verb.i else []
        for word in (verb, *[c for c in verb.children if c.dep_ in ("advmod", "prt", "acomp")], *heads):
            direction = lex.direction(word.lower_, ("verbs", "adverbs"))
            if direction is not None:
                return None, direction
        return None, None


def _of_phrase(level: Token) -> Token | None:
    """The "of" a level hangs on, directly or through its unit: "a high of 26,175.90 (points)"."""
    head = level.head
    if head.lower_ in ("points", "point", "pts") and head.i > level.i:
        head = head.head
    return head if head.lower_ == "of" else None


def _object_after_and(word: Token, verb: Token) -> Token | None:
    """ "... gained 1.6 pct to 574.28 and the Commerzbank index rose 23.9 points": the parser makes the
    second index the object of the first verb; written after "and", it is the second verb's subject."""
    if word.dep_ != "dobj" or word.head.i != verb.head.i or word.pos_ not in ("NOUN", "PROPN"):
        return None
    before = word.left_edge.i - 1
    return word if before >= 0 and word.doc[before].dep_ == "cc" else None
