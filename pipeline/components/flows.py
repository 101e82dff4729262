"""`fin_flows`: money flows ("southern flows recorded net purchases of over HK$900 million").

Amount-first: every amount of money in a sentence (`pipeline.numbers.find_amounts`, plus bare
"105.80 billion" after a currency amount) becomes a flow when the words it hangs on state a
direction (net purchases, inflows, poured into, investors sold ...) and nothing marks it as a
market value, a deal, turnover, a price or a dividend. The channel comes from the sentence, else from
its paragraph's lead-in, else from the sentences just before; the subject from "into/of/toward X" or
from what "drew"/"took in" the money; the period from the time cues of `horizons.py`.
Vocabulary: `configs/moves/flows.yaml`.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from pipeline.components.flowlex import Cue, CueGroup, FlowLexicon, shared_flow_lexicon
from pipeline.components.flowsubjects import FlowSubjects
from pipeline.components.horizons import HorizonFinder, assign, zone
from pipeline.components.mood import is_infinitive, is_unreal
from pipeline.components.movelex import shared_lexicon
from pipeline.components.subjects import entity_subject
from pipeline.hits import Hit, add_hit
from pipeline.localdollar import article_dollar, paragraph_dollar, with_local_dollar
from pipeline.numbers import NUMBER, NumberMatch, find_amounts, parse_number, parse_qualifier

COMPONENT = "fin_flows"
_BARE_SCALED = re.compile(
    rf"(?P<qual>(?:more than|over|about|around|nearly|almost|some|roughly|approximately)\s+)?"
    rf"(?P<num>{NUMBER})\s+(?P<scale>trillion|billion|million|bln|mln|bn|mn|trln)\b(?!\s+(?:shares|units|tonnes|tons|barrels|ounces|people|users|customers|vehicles|cars|yen|dlrs|dollars|yuan))",
    re.IGNORECASE,
)
_SCALES = {
    "trillion": 1e12,
    "trln": 1e12,
    "billion": 1e9,
    "bln": 1e9,
    "bn": 1e9,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
}
# Amounts below this after "to"/"at" are prices, not sums that flowed.
_PRICE_CEILING = 1e6
_CLAUSE_DEPS = frozenset({"ccomp", "conj", "relcl", "ROOT", "parataxis", "csubj"})


def _bare_amounts(sent: Span, amounts: list[NumberMatch]) -> list[NumberMatch]:
    """Find bare scaled numbers, each with the currency before it ("X yen against 105.80 billion")."""
    found = []
    base = sent.start_char
    for match in _BARE_SCALED.finditer(sent.text):
        start, end = match.start() + base, match.end() + base
        if any(a.start <= start < a.end or a.start < end <= a.end for a in amounts):
            continue
        previous = [a for a in amounts if a.end <= start and a.currency]
        value = parse_number(match.group("num"))
        if not previous or value is None:
            continue
        approx = parse_qualifier(match.group("qual") or "") or "exact"
        value *= _SCALES[match.group("scale").casefold()]
        found.append(
            NumberMatch(
                start,
                end,
                value,
                None,
                approx,
                previous[-1].currency,
                match.start("num") + base,
                match.group("scale"),
                previous[-1].bare_dollar,
            )
        )
    return found


def _a_price(doc: Doc, span: Span, amount: NumberMatch) -> bool:
    """Tell whether an amount is a share price ("rose 2.2 pct to 9,275 rupiah", "at $68.40"): after
    "to"/"at" and under a million (a flow states a sum, "to 2.3 billion yen")."""
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return before in ("to", "at") and amount.value < _PRICE_CEILING


class FlowExtractor:
    """spaCy component: add `money_flow` hits (see the module docstring)."""

    def __init__(self, nlp: Language, lexicon: FlowLexicon | None = None) -> None:
        self.lex = lexicon or shared_flow_lexicon()
        self.subjects = FlowSubjects(self.lex)
        self.channels = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.directions = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exclusions = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.groups: dict[str, CueGroup] = {}
        for group in self.lex.channels:
            self.channels.add(f"channel:{group.id}", [nlp.make_doc(p) for p in group.phrases])
            self.groups[f"channel:{group.id}"] = group
        for group in self.lex.directions:
            self.directions.add(f"direction:{group.id}", [nlp.make_doc(p) for p in group.phrases])
            self.groups[f"direction:{group.id}"] = group
        self.exclusions.add("not_flow", [nlp.make_doc(p) for p in self.lex.not_flow])
        self.horizons = HorizonFinder(nlp.vocab)
        self.channel_order = {g.id: i for i, g in enumerate(self.lex.channels)}

    @staticmethod
    def _unreal(amount: Token) -> bool:
        """Tell whether the amount's clause states a flow that did not happen ("inflows could top X")."""
        word = amount
        for _ in range(4):
            if word.pos_ in ("VERB", "AUX") or word.head.i == word.i:
                break
            word = word.head
        return is_unreal(word, shared_lexicon().unreal)

    # ------------------------------------------------------------------ cues
    def _cues(self, matcher: PhraseMatcher, doc: Doc) -> list[Cue]:
        found = []
        for match_id, start, end in matcher(doc):
            found.append(Cue(start, end, self.groups[doc.vocab.strings[match_id]]))
        # longest match first where they overlap ("net inflows" over "inflows")
        found.sort(key=lambda c: (c.start, -(c.end - c.start)))
        kept: list[Cue] = []
        for cue in found:
            if kept and cue.start < kept[-1].end:
                continue
            kept.append(cue)
        return kept

    def _with_named_funds(self, doc: Doc, cues: list[Cue]) -> list[Cue]:
        """A fund the gazetteer knows is an ETF channel however it is written ("SPDR Gold Shares
        (GLD) absorbed $410 million"); the channel cues already found win where they overlap."""
        etf = self.groups.get("channel:etf")
        if etf is None:
            return cues
        taken = {i for c in cues for i in range(c.start, c.end)}
        funds = [
            Cue(ent.start, ent.end, etf)
            for ent in doc.ents
            if (subject := entity_subject(ent)) is not None
            and subject.kind == "fund"
            and not taken & set(range(ent.start, ent.end))
        ]
        return sorted(cues + funds, key=lambda c: c.start)

    def _sentence_channel(self, sent: Span, channel_cues: list[Cue]) -> CueGroup | None:
        inside = [c.group for c in channel_cues if sent.start <= c.start < sent.end]
        if not inside:
            return None
        return min(inside, key=lambda g: self.channel_order[g.id])

    def _channel(self, doc: Doc, sent: Span, sents: list[Span], index: int, channel_cues: list[Cue]) -> str:
        """Own sentence, then the paragraph's lead-in, then up to three sentences before."""
        own = self._sentence_channel(sent, channel_cues)
        if own is not None:
            return own.value
        paragraph = doc.text.count("\n", 0, sent.start_char)
        same = [s for s in sents[:index] if doc.text.count("\n", 0, s.start_char) == paragraph]
        if same:
            lead = self._sentence_channel(same[0], channel_cues)
            if lead is not None:
                return lead.value
        for previous in reversed(sents[max(0, index - 3) : index]):
            found = self._sentence_channel(previous, channel_cues)
            if found is not None:
                return found.value
        return "other"

    @staticmethod
    def _amount_channel(root: Token, inside: list[Cue]) -> str | None:
        """With two channels in one sentence (`inside`), the one named nearest before the amount
        (else after).

        "Foreign investors offloaded a net 1.9 trillion dong ..., while the VanEck Vietnam ETF drew
        about US$35 million": foreign, then etf.
        """
        if len({c.group.value for c in inside}) < 2:
            return None
        before = [c for c in inside if c.start < root.i]
        if before:
            return max(before, key=lambda c: c.start).group.value
        return min(inside, key=lambda c: c.start).group.value

    # ------------------------------------------------------------------ amounts
    def _is_conversion(self, doc: Doc, amount: NumberMatch, previous: list[NumberMatch]) -> bool:
        """Tell a conversion in brackets: "412 billion won ($301 million)"."""
        if not previous:
            return False
        gap = doc.text[previous[-1].end : amount.start]
        return bool(
            re.fullmatch(
                r"\s*(?:\(|,?\s*or|,?\s*equivalent to|,?\s*about)\s*(?:about|approximately|"
                r"around|roughly|some)?\s*",
                gap,
                re.IGNORECASE,
            )
        )

    def _context(self, root: Token) -> set[int]:
        """Return the amount's own clause: the words it hangs on up to the clause head, with modifiers."""
        purposes = [c for c in root.children if c.dep_ in ("relcl", "acl") and is_infinitive(c)]
        # "sold a net 15 billion yen to lock in profits": what the money was for is not what it is
        purpose_ids = {t.i for c in purposes for t in c.subtree}
        ids = {t.i for t in root.subtree}
        token = root
        for _ in range(6):
            if token.head.i == token.i or token.dep_ in _CLAUSE_DEPS:
                break
            if token.dep_ == "advcl" and any(c.dep_ == "mark" for c in token.children):
                break  # a subordinate clause ("after traders rushed to withdraw ...") stands alone
            token = token.head
            ids.add(token.i)
            for child in token.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    ids.add(child.i)
                    ids.update(t.i for t in child.children if t.dep_ in ("compound", "amod"))
                elif child.dep_ in ("amod", "compound", "advmod", "prt", "neg", "attr", "dobj", "acomp"):
                    ids.update(t.i for t in child.subtree)
        return ids - purpose_ids

    def _direction(
        self, sent: Span, root: Token, context: set[int], cues: list[Cue]
    ) -> tuple[Cue | None, bool]:
        """Return the direction cue of an amount: in its clause first, then a strong one in the sentence."""
        local = [c for c in cues if any(i in context for i in range(c.start, c.end))]
        # "drew the heaviest southbound net buying": a net cue in the clause says more than its verb
        local = [c for c in local if c.group.strong] or local
        if local:
            ancestors = {t.i: depth for depth, t in enumerate(root.ancestors, start=1)}
            doc = sent.doc

            def depth_of(i: int) -> float:
                # a cue on the amount's path, or hung on a word of it ("bringing their net outflow
                # ... to X": "outflow" is the object of the verb above the amount)
                return ancestors.get(i, ancestors.get(doc[i].head.i, 98.5) + 0.5)

            def rank(c: Cue) -> tuple[float, bool, int]:
                depth = min((depth_of(i) for i in range(c.start, c.end)), default=99.0)
                return depth, not c.group.strong, abs(c.start - root.i)

            return min(local, key=rank), True
        strong = [c for c in cues if c.group.strong and sent.start <= c.start < sent.end]
        if strong:
            return min(strong, key=lambda c: abs(c.start - root.i)), False
        return None, False

    def _weak_ok(self, doc: Doc, cue: Cue, sent: Span, channel_in_sentence: bool) -> bool:
        """Tell whether a plain "bought"/"poured" counts: a channel or an investor is named as its doer."""
        verb = doc[cue.start]
        if cue.group.needs_into and not any(c.dep_ == "prep" and c.lower_ == "into" for c in verb.children):
            return False
        if cue.group.strong or channel_in_sentence:
            return True
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None and verb.dep_ in ("xcomp", "advcl", "conj"):
            subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ in self.lex.investor_words:
            return True
        # a passive flow verb with the money as its subject: "HKD 13 billion has been funneled into ..."
        return verb.lower_ in ("funneled", "funnelled", "poured", "pumped", "injected", "flowed", "withdrawn")

    def _doer_channel(self, doc: Doc, cue: Cue | None, channel_cues: list[Cue]) -> str | None:
        """ "other" when the flow verb's own subject is an investor and its clause names no channel
        ("..., while individuals soaked up a net 964.2 billion won" after a foreign-investor clause)."""
        if cue is None:
            return None
        verb = doc[cue.start]
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.lower_ not in self.lex.investor_words or subject.pos_ == "PRON":
            return None
        # the verb's own clause, not a clause joined to it ("... and have absorbed the foreign selling")
        joined = {
            t.i for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for t in c.subtree
        }
        clause = {t.i for t in verb.subtree} - joined
        if any(c.start in clause for c in channel_cues):
            return None  # "Investors poured US$310 million into the ... ETF": the clause names it
        return "other"

    def _net_trade(self, doc: Doc, cue: Cue, amount: NumberMatch) -> str | None:
        """The net direction of a plain trade verb whose amount is marked net ("bought ... a net X")."""
        before = re.search(r"\bnet\s*$", doc.text[max(0, amount.start - 6) : amount.start])
        after = re.match(r"\s*net\b", doc.text[amount.end : amount.end + 6])  # "bought Rs 5,103 crore net"
        if cue.group.strong or not (before or after):
            return None
        return self.lex.net_trades.get(doc[cue.start].lemma_.casefold())

    def _continues(self, doc: Doc, root: Token, amount: NumberMatch, kept) -> bool:
        """Tell whether an amount without its own cue continues the flow before it.

        It does in a list ("X, Y and Z"), a sub-total ("Y of that coming in January") or a comparison
        ("X against Y the week before").
        """
        kept_ids = {k[1].i for k in kept}
        token = root
        for _ in range(3):
            if token.head.i == token.i:
                break
            token = token.head
            if token.i in kept_ids:
                return True
        for prep in root.children:
            if (
                prep.dep_ == "prep"
                and prep.lower_ == "of"
                and any(c.lower_ in ("that", "which", "this", "it", "those") for c in prep.children)
            ):
                return True
        gap = doc.text[kept[-1][0].end : amount.start]
        return bool(re.fullmatch(r"\s*(?:against|compared with|compared to|versus|vs\.?|from|,|and)\s*", gap))

    # ------------------------------------------------------------------ subject
    def _flow_head(self, doc: Doc, root: Token, cue: Cue | None) -> Token:
        """Return the word a flow's time cues hang on: its cue word, or the verb the amount is subject of."""
        if cue is not None:
            cue_ids = set(range(cue.start, cue.end))
            if any(t.i in cue_ids for t in root.ancestors) or any(t.i in cue_ids for t in root.subtree):
                return doc[cue.start]
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.i != root.i:
            return root.head
        return root

    def __call__(self, doc: Doc) -> Doc:
        """Add a `money_flow` hit for every amount that moves through a channel."""
        channel_cues = self._with_named_funds(doc, self._cues(self.channels, doc))
        direction_cues = self._cues(self.directions, doc)
        excluded = {i for _, s, e in self.exclusions(doc) for i in range(s, e)}
        sents = list(doc.sents)
        dollar = article_dollar(doc)
        text = doc.text
        for index, sent in enumerate(sents):
            base = sent.start_char
            amounts = [m.shifted(base) for m in find_amounts(sent.text)]
            amounts = sorted(amounts + _bare_amounts(sent, amounts), key=lambda a: a.start)
            if amounts:
                amounts = with_local_dollar(amounts, paragraph_dollar(text, sent, dollar))
                self._sentence(doc, sent, sents, index, amounts, channel_cues, direction_cues, excluded)
        return doc

    def _sentence(self, doc, sent, sents, index, amounts, channel_cues, direction_cues, excluded) -> None:
        cues = [c for c in direction_cues if sent.start <= c.start < sent.end]
        channel_here = self._sentence_channel(sent, channel_cues) is not None
        kept: list[tuple[NumberMatch, Token, Cue | None, str]] = []
        previous: list[NumberMatch] = []
        for amount in amounts:
            span = doc.char_span(amount.number_start, amount.end, alignment_mode="expand")
            conversion = self._is_conversion(doc, amount, previous)
            previous.append(amount)
            if span is None or conversion:
                continue
            root = span.root
            if _a_price(doc, span, amount):
                continue  # "finished 1.5 pct higher at 2,390 yen on buying by foreign investors"
            context = self._context(root)
            if any(i in excluded for i in context) or self._unreal(root):
                continue
            cue, local = self._direction(sent, root, context, cues)
            if cue is not None and not self._weak_ok(doc, cue, sent, channel_here):
                cue = None
            if cue is None:
                if kept and self._continues(doc, root, amount, kept):
                    kept.append((amount, root, None, kept[-1][3]))
                continue
            kept.append((amount, root, cue, self._net_trade(doc, cue, amount) or cue.group.value))
        if not kept:
            return
        sentence_channel = self._channel(doc, sent, sents, index, channel_cues)
        channels_here = [c for c in channel_cues if sent.start <= c.start < sent.end]
        per_amount = self.subjects.respectively(sent, [k[0] for k in kept])
        blocked = {
            t.i for k in kept for t in doc.char_span(k[0].start, k[0].end, alignment_mode="expand") or ()
        }
        time_cues = self.horizons.cues(sent, blocked)
        heads = [self._flow_head(doc, k[1], k[2]) for k in kept]
        for n, (amount, root, cue, direction) in enumerate(kept):
            amount_span = doc.char_span(amount.start, amount.end, alignment_mode="expand")
            amount_ids = {t.i for t in amount_span or [root]}
            subject = per_amount[n] if per_amount else self.subjects.subject(root, cue, direction, amount_ids)
            own = zone(heads[n], heads) | {t.i for t in root.subtree}
            others = [zone(h, heads) for m, h in enumerate(heads) if m != n]
            horizon = assign(time_cues, own, others, False)
            fields = {
                "channel": self._doer_channel(doc, cue, channels_here)
                or self._amount_channel(root, channels_here)
                or sentence_channel,
                "subject": subject,
                "direction": direction,
                "amount": amount.value,
                "currency": amount.currency,
                "approx": amount.approx,
                "period": horizon.period if horizon.horizon == "period" else None,
            }
            rule = cue.group.id if cue is not None else "carried"
            start = min(amount.start, doc[cue.start].idx) if cue is not None else amount.start
            end = (
                max(amount.end, doc[cue.end - 1].idx + len(doc[cue.end - 1].text))
                if cue is not None
                else amount.end
            )
            if end - start > 300:
                start, end = amount.start, amount.end
            confidence = 0.8 if cue is not None and cue.group.strong else 0.65
            add_hit(doc, Hit("money_flow", start, end, fields, f"{COMPONENT}:{rule}", confidence))


@Language.factory(COMPONENT, assigns=["doc._.fin_hits"], requires=["doc.ents", "token.dep"])
def make_flow_extractor(nlp: Language, name: str) -> FlowExtractor:
    """Create the money-flow extractor over the vocabulary in configs/moves/flows.yaml."""
    return FlowExtractor(nlp)
