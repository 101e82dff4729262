"""Who moved: the subjects of one move, from the parse first, then from the text around it.

Order: the name before a gapped percentage ("..., the S&P 500 2.4%"); the parse (`subject_heads`,
resolved by `SubjectResolver`); the name right before the move word when the parse gives nothing, a
bare name or another clause's subject; lists of names read from the tokens (`namelists.py`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Token

from pipeline.components.anchors import Move
from pipeline.components.movelex import MoveLexicon
from pipeline.components.namelists import list_subjects
from pipeline.components.resolver import SubjectResolver
from pipeline.components.subjects import SHARE_WORDS, Subject, SubjectHistory, entity_subject, subject_heads
from pipeline.components.surface import (
    SIGN_GAP,
    aside_opening,
    capitalised_run,
    conjunct_of_figure,
    doc_slice,
    drop_descriptors,
    skip_left,
    skip_place,
    verb_above,
)
from pipeline.gazetteer import KnowledgeBase

# Tokens before a sentence searched for the name of a signed percentage: the parser may start a
# sentence at the percentage of a note line ("...; Alibaba (9988 HK) +2.7% ahead of results").
SIGNED_LOOKBACK_TOKENS = 12
# Tokens a relative clause between a name and its move word spans at most.
# a line that opens with a name and a dash: "Nike — Shares slid 5.9% ..."
_HEADING_SUFFIXES = ("Inc.", "Inc", "Corp", "Corp.", "Corporation", "Co", "Holdings", "Group", "plc", "Ltd")
_LINE_HEADING = re.compile(r"[ \t]*([A-Z][^\n—–]{0,60}?)[ \t]+[—–][ \t]+")

_LEVEL_THEN_BRACKET = re.compile(
    r"\b(?:at|to)\s+(?:[A-Z]{0,3}\$\s?)?(?P<level>\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s*(?:points?\s*)?\(\s*$"
)
_FIGURE_LIST_NEXT = re.compile(r"\s*(?:%|per\s?cent|percent|pct)?\s*(?:,|and|to)\s+[-+]?\d")
_NUMBER_LABELS = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "DATE", "TIME"})


class MoveSubjects:
    """Find and resolve the subjects of moves (see the module docstring)."""

    def __init__(self, lexicon: MoveLexicon, resolver: SubjectResolver) -> None:
        self.lexicon = lexicon
        self.resolver = resolver

    def find(self, move: Move, history: SubjectHistory) -> list[Subject] | None:
        """Return the move's subjects ([] when none is found, None when the move is an economic figure)."""
        if move.rule.endswith("move_signed"):
            return self._signed_subject(move, history)
        exclude = frozenset(t.i for t in move.anchor.subtree)
        aside = self._name_before_aside(move)
        if aside is not None:
            return [aside]
        if self._describes_object(move) or self._after_a_figure_word(move):
            return None
        gapped = self.gapped_subject(move)
        if gapped is not None:
            return [gapped]
        headed = self.line_heading_subject(move)
        if headed is not None:
            return [headed]
        coded = self.coded_subjects(move)
        if coded:
            return coded
        named = self._named_before_figure(move)
        if named is not None:
            return [named]
        misread = self._subject_read_as_object(move, history)
        if misread is None:
            return None  # "Banks lagged as inflation rose 3%": an economic figure moved
        if misread:
            return misread
        # "dragging the X index <.SX8P> down 2.4%": the parser hangs "down" on another verb; the
        # causative verb found for it (`_move_head`) names what moved
        misparsed = move.head.lower_ in self.lexicon.causative_verbs and move.trigger.head.i != move.head.i
        found = self.resolve_first(move.head if misparsed else move.trigger, history, exclude)
        if found is None:
            return None
        if not found and move.head.i != move.trigger.i:
            found = self.resolve_first(move.head, history, exclude)
            if found is None:
                return None
        if (
            not found
            and move.trigger.head.i == move.anchor.i
            and move.trigger.lower_ in self.lexicon.move_adverbs
        ):
            # "ended 212.64 points, or 0.6 pct, down at X": the direction word hangs on the figure;
            # the clause's verb above the figure has the subject
            verb = verb_above(move.anchor)
            if verb is not None:
                found = self.resolve_first(verb, history, exclude)
                if found is None:
                    return None
        # the move word's own subject: its nsubj, or the nsubj of the verb it completes right after
        # ("closed up 0.3%"), not of a verb several words back ("slipped, with Alibaba down 0.25%")
        carriers = [move.trigger]
        if (
            move.head.i != move.trigger.i
            and 0 < move.trigger.i - move.head.i
            and not any(
                t.pos_ in ("PROPN", "NOUN")
                and not t._.fin_num
                and t.ent_type_ not in ("PERCENT", "CARDINAL")
                and t.lower_ not in ("per", "cent", "percent", "pct", "pc", "%")
                for t in doc_slice(move.head, move.trigger)
            )
        ):
            carriers.append(move.head)
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for t in carriers for c in t.children)
        conjoined = not own_subject and "conj" in (move.trigger.dep_, move.head.dep_)
        # "..., with Alibaba down 0.25%": a bare direction word right after a name moves that name
        bare = (
            not own_subject
            and move.trigger.lower_ in self.lexicon.move_adverbs
            and not _after_attribute(move)
        )
        weak = all(s.how in ("proper_noun", "ner", "share_owner") for s in found)
        # "..., with A advancing 2.3% and B (1180) rising 1.6%": a participle the parser hangs on
        # the main verb moves the name written right before it
        participle = (
            not own_subject
            and move.trigger.tag_ == "VBG"
            and move.trigger.dep_ in ("advcl", "pcomp")
            and move.trigger.i > 0
            and move.anchor.doc[skip_left(move.anchor.doc, move.trigger.i - 1)].text != ","
        )  # not "X was the most active issue on the NYSE, climbing 6.9 pct"
        # "..., Tencent gained 4.35% and Baidu jumped 9.6%, having soared 12% at one point": a clause
        # hung on a conjoined verb that lost its subject moves that verb's name, not the first one's
        head_verb = move.trigger.head
        hung = (
            not own_subject
            and move.trigger.dep_ == "advcl"
            and head_verb.dep_ == "conj"
            and head_verb.pos_ == "VERB"
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in head_verb.children)
        )
        if hung:
            of_head = self.find(replace(move, trigger=head_verb, head=head_verb), history)
            if of_head:
                return of_head
        # a move word found near its figure, not through the parse (title-case headlines): the name
        # right before it is what moved ("..., Hang Seng Tech Index Surges 5.2%")
        window = move.rule.endswith("move_window")
        # "A closed 1.1% higher and the B in Paris firmed 0.6%": a finite verb the parser hung on
        # another clause without a subject has lost the name written right before it
        finite = move.trigger.tag_ in ("VBD", "VBZ", "VBP") or (
            move.trigger.tag_ == "VBN" and any(c.dep_ == "aux" for c in move.trigger.children)
        )  # "had gained"
        orphan = not own_subject and move.trigger.dep_ in ("advcl", "ccomp") and finite
        if not found or weak or conjoined or bare or participle or window or orphan:
            # no subject of its own (a conjoined verb, a broken parse): the name right before wins
            adjacent = self.adjacent_entity(move, linked_only=bool(found) and own_subject)
            if adjacent is not None and window:
                return [adjacent]  # not a list with the words before it: "Tech Frenzy, Hang Seng ..."
            if adjacent is not None and all(adjacent.key != s.key for s in found):
                found = [adjacent]
        if bare:  # "with A up 5.6% and B climbing 4.1%": a name after "up" did not move with it
            found = [s for s in found if s.start < move.trigger.idx] or found
        if len(found) > 1:
            found = [s for s in found if not self._has_own_move(s, move)] or found
        antecedent = _relative_antecedent(move.trigger)
        # "A and B, which fell 1.2% and 1.0% respectively": the clause is about both
        in_pairs = any(t.lower_ == "respectively" for t in move.trigger.subtree)
        if antecedent is not None and len(found) > 1 and not in_pairs:
            # "A, which fell 2.4%, and B, down 1.8%": "which" is A alone, not A and B
            found = [s for s in found if s.start <= antecedent.idx < s.end] or found
            return found
        return self._surface_coordination(found, move)

    def line_heading_subject(self, move: Move) -> Subject | None:
        """ "Nike — Shares slid 5.9%", "Target — The retailer fell 3.1%": a line that opens with a
        listed name and a dash is about that security; a descriptor subject refers to it."""
        doc = move.anchor.doc
        subject = next(
            (c for w in (move.trigger, move.head) for c in w.children if c.dep_ in ("nsubj", "nsubjpass")),
            None,
        )
        if subject is None or subject.pos_ == "PROPN" or subject.ent_type_:
            return None
        determined = any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "its") for c in subject.children)
        if not determined and subject.lower_ not in SHARE_WORDS:
            return None  # "Revenue rose 3%" on that line is a figure, not the security
        line_start = doc.text.rfind("\n", 0, subject.idx) + 1
        heading = _LINE_HEADING.match(doc.text, line_start)
        if heading is None or heading.end() > subject.idx:
            return None
        for ent in doc.ents:
            if line_start <= ent.start_char and ent.end_char <= heading.end(1):
                linked = entity_subject(ent)
                if linked is not None:
                    return linked
        # a short name the lists hold only with its legal suffix ("Target" -> "Target Corp")
        name = heading.group(1)
        kb = KnowledgeBase.load()
        for written in (name, *(f"{name} {suffix}" for suffix in _HEADING_SUFFIXES)):
            entity = kb.lookup(written)
            if entity is not None and entity.kind == "company":
                return Subject(
                    entity.canonical, entity.ticker, "company", heading.start(1), heading.end(1), "heading"
                )
        return None

    def _named_before_figure(self, move: Move) -> Subject | None:
        """The name written right before a figure whose direction word follows it, in a clause with
        no verb of its own: "..., with Michelin 2.1 pct higher at 3,060 francs"."""
        trigger = move.trigger
        if trigger.idx < move.number.end or any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children):
            return None
        if trigger.pos_ not in ("ADJ", "ADV"):
            return None
        doc = trigger.doc
        first = next((t for t in trigger.sent if t.idx >= move.number.start), None)
        if first is None or first.i == 0:
            return None

        def opens_clause(start: int) -> bool:  # ", with (the) Michelin 2.1 pct higher"
            i = start - 1 if start > 0 and doc[start - 1].lower_ == "the" else start
            return i > trigger.sent.start and doc[i - 1].lower_ in ("with", ",", "and")

        for ent in doc.ents:
            if ent.end == first.i and opens_clause(ent.start):
                linked = entity_subject(ent)
                if linked is not None:
                    return linked
        named = capitalised_run(doc, first.i - 1, trigger.sent.start)
        if named is None:
            return None
        start = next(t.i for t in doc[trigger.sent.start : first.i] if t.idx >= named.start)
        return named if opens_clause(start) else None

    def _has_own_move(self, subject: Subject, move: Move) -> bool:
        """Whether a coordinated name is followed by a move of its own ("with Longfor up 5.6% and
        CR Land climbing 4.1%": the parser makes both names the subjects of "climbing")."""
        doc = move.anchor.doc
        after = doc.char_span(subject.end, min(len(doc.text), subject.end + 40), alignment_mode="expand")
        if after is None or not len(after) or after[0].lower_ not in self.lexicon.move_adverbs:
            return False
        own = next((t for t in after[1:4] if t._.fin_num == "pct"), None)
        if own is None or own.i == move.anchor.i:
            return False
        # "A and B down 2.6% and 1.9% respectively": a list of figures belongs to the list of names
        rest = doc.text[own.idx + len(own.text) : own.idx + len(own.text) + 24]
        return _FIGURE_LIST_NEXT.match(rest) is None

    def _subject_read_as_object(self, move: Move, history: SubjectHistory) -> list[Subject] | None:
        """The subject of "Banks lagged as the Hang Seng Index rose 1.2%": the parser takes "as"
        for a preposition and the index for its object, leaving "rose" without a subject of its own.

        [] when the move has no such subject; None when it is an economic figure (no move).
        """
        verb = move.trigger if move.trigger.pos_ in ("VERB", "AUX") else move.head
        if (
            verb.i == 0
            or verb.dep_ not in ("advcl", "conj")
            or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)
        ):
            return []
        word = verb.doc[verb.i - 1]
        joined = conjunct_of_figure(word)
        if joined is not None:  # "SMIC slumped 5.3% to HK$71.40 and Hua Hong lost 3.8%"
            return self.resolver.resolve(joined, history)
        prep = word.head
        if (
            word.dep_ != "pobj"
            or prep.lower_ not in self.lexicon.clause_subordinators
            or prep.head.i != verb.head.i
        ):
            return []
        return self.resolver.resolve(word, history)

    def gapped_subject(self, move: Move) -> Subject | None:
        """Return the subject of a left-out verb: the name right before the percentage.

        "The Nasdaq added 3.3%, the S&P 500 <.SPX> 2.4% and ...".
        """
        doc = move.anchor.doc
        first = doc.char_span(move.number.start, move.number.end, alignment_mode="expand")
        if first is None or move.trigger.i > first.start:
            return None
        i = skip_left(doc, first.start - 1)
        if i <= move.trigger.i:
            return None
        for ent in move.anchor.sent.ents:
            if ent.end - 1 == i and ent.start > move.trigger.i:
                linked = entity_subject(ent)
                if linked is not None:
                    return linked
                break
        if doc[i].lower_ in self.lexicon.index_heads:  # "... and the utilities sub-index 2.1 pct"
            found = self.resolver.resolve(doc[i], SubjectHistory())
            if found and found[0].is_index:
                return found[0]
        # "with Mitsubishi Heavy Industries rising 3.9 pct and Ishikawajima-Harima Heavy Industries
        # 5.3 pct": a name the lists do not know, as written
        named = capitalised_run(doc, i, move.anchor.sent.start)
        if named is not None and named.start > move.trigger.idx:
            return named
        return None

    def coded_subjects(self, move: Move) -> list[Subject]:
        """Return the securities whose instrument codes stand right before the move word.

        "China stocks <.SSEC> <.CSI300> shed 0.6% each", "Hong Kong shares <.HSI> fell 2.5%": the
        codes name what moved, however the parser reads the words around them.
        """
        doc = move.anchor.doc
        i = min(move.trigger.i, move.head.i) - 1
        if i < 0 or doc[i].text != ">":
            return []  # most moves: no code before the move word, nothing to look up
        coded_ends = {
            ent.end - 1: ent
            for ent in move.anchor.sent.ents
            if ent.text.startswith("<") and ent.text.endswith(">") and entity_subject(ent) is not None
        }
        found: list[Subject] = []
        if i not in coded_ends:
            return found
        sent_start = move.anchor.sent.start
        # "Stocks in Malaysia <.KLSE> and Indonesia <.JKSE> gained": every code of the subject phrase
        while (
            i >= sent_start
            and doc[i].text not in (";", ":", "%")
            and doc[i].pos_ not in ("VERB", "AUX")
            and not doc[i].like_num
        ):
            if i in coded_ends:
                found.insert(0, entity_subject(coded_ends[i]))
                i = coded_ends[i].start - 1
            else:
                i -= 1
        return found

    def _name_before_aside(self, move: Move) -> Subject | None:
        """The linked name before an aside that a bare direction word or a participle follows: "with
        Saudi Aramco, whose dividend yield has climbed to 6.4%, down 1.5%", "with SoftBank Group, the
        market's main AI proxy, sliding 4.4%"."""
        trigger = move.trigger
        if trigger.lower_ not in self.lexicon.move_adverbs and trigger.tag_ != "VBG":
            return None
        doc = trigger.doc
        opening = aside_opening(doc, skip_left(doc, trigger.i - 1), trigger.sent.start)
        if opening is None:
            return None
        i = skip_left(doc, opening - 1)
        ent = next((e for e in doc.ents if e.end - 1 == i), None)
        return entity_subject(ent) if ent is not None else None

    def _after_a_figure_word(self, move: Move) -> bool:
        """A direction word right after a figure noun the tagger read as a verb: "pushed the 10-year
        bond yield up 3.5 basis points" (the yield moved, not a security)."""
        trigger = move.trigger
        if trigger.lower_ not in self.lexicon.move_adverbs or trigger.i == 0:
            return False
        before = trigger.doc[trigger.i - 1]
        return before.pos_ == "VERB" and before.lower_ in self.lexicon.not_price_subjects

    def _describes_object(self, move: Move) -> bool:
        """Tell whether a bare "up" describes a figure: "HSBC will pay a dividend of US$0.10, up 5%".

        On a verb that is not a move verb the direction word describes that verb's object; when the
        object is a figure (dividend, profit) there is no move.
        """
        lex = self.lexicon
        verb = move.trigger.head
        if move.rule.endswith("flat_verb") and verb.i != move.trigger.i:
            # "left its dividend unchanged at 12.50": the object kept flat is a figure
            return any(
                obj.dep_ == "dobj" and self.resolver.resolve(obj, SubjectHistory()) is None
                for obj in verb.children
            )
        if move.trigger.lower_ not in lex.move_adverbs or verb.i == move.trigger.i:
            return False
        if verb.lower_ in lex.neutral_verbs or verb.lower_ in lex.move_verbs:
            return False
        for obj in verb.children:
            if obj.dep_ in ("dobj", "attr") and self.resolver.resolve(obj, SubjectHistory()) is None:
                return True
        return False

    def resolve_first(
        self, word: Token, history: SubjectHistory, exclude: frozenset[int]
    ) -> list[Subject] | None:
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
                    or head.head.i == word.head.i
                    and word.dep_ in ("prt", "advmod")
                    or any(t.i == head.i for t in word.subtree)  # "a 27% drop in quarterly profit"
                )
                return None if direct or head.i == word.i else []
            if found:
                return found
        return []

    def _surface_coordination(self, found: list[Subject], move: Move) -> list[Subject]:
        """Mend the parse with the text: lists of names and descriptors.

        "A <A.N>, B and C fell" moves every listed name, and a group word written right before the
        names ("optical-module makers A and B") only describes them.
        """
        doc = move.anchor.doc
        end = doc[min(move.trigger.i, move.head.i)]
        listed = list_subjects(end)
        if not listed:
            return drop_descriptors(found, move.anchor.sent)
        list_start = min(s.start for s in listed)
        kept = []
        for subject in found:
            if subject.start >= list_start or any(subject.key == s.key for s in listed):
                continue
            if subject.kind == "group" and not doc.text[subject.end : list_start].strip():
                continue  # a descriptor right before the names
            kept.append(subject)
        return kept + listed

    def adjacent_entity(self, move: Move, linked_only: bool = True) -> Subject | None:
        """Return the linked name written right before the move word ("Hang Seng Index Surges 3.51%").

        Used when the parse gives no subject or only an unlinked name: headlines in title case, wire
        copy in capitals and names followed by instrument codes ("Nikkei <.N225> dropped") are often
        parsed wrongly, but the name-then-verb order still holds. A participle or a bare "down" may
        follow the name after a comma ("UBS <UBSG.S>, falling 6%").
        """
        doc = move.anchor.doc
        for word in (move.trigger, move.head):
            i = skip_left(doc, word.i - 1)
            while i >= 0 and doc[i].dep_ in ("aux", "auxpass") and doc[i].head.i == word.i:
                i = skip_left(doc, i - 1)  # "the S&P 500 <.SPX> had gained 0.44%"
            opening = aside_opening(doc, i, word.sent.start)
            if opening is not None:  # "Advantest (6857), which tests AI processors, jumped 8.1%"
                i = skip_left(doc, opening - 1)
            if (
                i >= 0
                and doc[i].text == ","
                and (word.tag_ == "VBG" or word.lower_ in self.lexicon.move_adverbs)
            ):
                i = skip_left(doc, i - 1)
            placed = skip_place(doc, i)  # "the CAC 40 in Paris firmed 0.6%"
            if placed != i:
                i = placed
            elif i >= 0 and doc[i].dep_ == "pobj" and doc[i].head.lower_ in ("of", "for", "in", "from", "at"):
                continue  # "the funds of Blackstone rose", "trading revenue at Goldman up 18%"
            for ent in doc.ents:
                if ent.end - 1 == i:
                    subject = entity_subject(ent)
                    if subject is not None:
                        return subject
            if not linked_only and i >= 0:
                named = capitalised_run(doc, i, word.sent.start)
                if named is not None:
                    return self.resolver.extra_index(named.name, named.start, named.end) or named
        return None

    def _signed_subject(self, move: Move, history: SubjectHistory) -> list[Subject]:
        """Return the name before a signed percentage: "S&P 500 +0.7%", "Hang Seng 17,651.15 (-1.8%)"."""
        doc = move.anchor.doc
        # the doc's names, not the sentence's: the parser may start a sentence at the percentage
        # ("Meituan (3690 HK) +5.1%; Alibaba (9988 HK) +2.7% ahead of results")
        first = max(0, move.anchor.sent.start - SIGNED_LOOKBACK_TOKENS)
        for ent in doc[first : move.anchor.i + 1].ents:
            if ent.end_char > move.number.number_start - 1:
                break  # a name after the number is not what moved
            if ent.label_ in _NUMBER_LABELS or ent.text[:1].isdigit():
                continue  # "closed at 3,412.6 (-0.3%)": a number is no name
            gap = doc.text[ent.end_char : move.number.number_start - 1]
            if len(gap) <= 28 and SIGN_GAP.fullmatch(gap):
                linked = entity_subject(ent)
                if linked is not None:
                    return [linked]  # the name itself, not the names the parser coordinates with it
                found = self.resolver.resolve(ent.root, history)
                return found or []
        return self._bracketed_after_level(move, history)

    def _bracketed_after_level(self, move: Move, history: SubjectHistory) -> list[Subject]:
        """ "SHCOMP closed at 3,412.6 (-0.3%)": the subject of the verb the level completes; in a
        list ("..., HSTECH at 5,642 (+2.3%)") the name right before "at" instead."""
        doc = move.anchor.doc
        start = move.number.number_start - 1
        window = max(0, start - 24)
        found = _LEVEL_THEN_BRACKET.search(doc.text[window:start])
        if found is None:
            return []
        level = doc.char_span(
            window + found.start("level"), window + found.end("level"), alignment_mode="expand"
        )
        if level is None:
            return []
        named = doc.char_span(window, window + found.start(), alignment_mode="contract")
        last = named[-1] if named is not None and len(named) else None
        if last is not None and last.ent_type_ and last.ent_iob_ != "O":
            ent = next((e for e in last.sent.ents if e.start <= last.i < e.end), None)
            if ent is not None and entity_subject(ent) is not None:
                return self.resolver.resolve(ent.root, history) or []
        verb = verb_above(level.root)
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
        return (self.resolver.resolve(subject, history) or []) if subject is not None else []


def _after_attribute(move: Move) -> bool:
    """ "Siemens was the biggest gainer on the DAX, up 4.2%": a direction word set off by a comma
    after the complement of "was" moves the subject of "was", not the index just before it."""
    word = move.trigger
    doc = word.doc
    return (
        word.i > 0
        and doc[skip_left(doc, word.i - 1)].text == ","
        and word.head.dep_ == "attr"
        and any(c.dep_ == "nsubj" for c in word.head.head.children)
    )


def _relative_antecedent(word: Token) -> Token | None:
    """The noun a relative clause hangs on when the move word's subject is "which"/"that"/"who"."""
    if word.dep_ != "relcl":
        return None
    if not any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("which", "that", "who") for c in word.children
    ):
        return None
    return word.head
