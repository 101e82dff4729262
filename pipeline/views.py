"""Assemble analyst views from attribution frames: one view per speaker and statement.

Steps, each a small function: skip editorial boxes; find frames per sentence
(`pipeline.attribution`); name the speakers (`pipeline.sources`), carrying a person's organisation
to later mentions ("Innes emphasized ...") and pronouns ("he said") to the view they continue;
drop claims that only report data or flows; group the frames of one speaker into one view (a quote
over several sentences is one view); decide the stance over the group's claims, reading on into the
next sentences of the paragraph only when the claims themselves take no direction.

Not views (no record): data citations ("according to CITIC Securities statistics"), news outlets as
sources ("according to SCMP"), the publication's own commentary (editorial boxes such as "Editor's
Desk", "Why this matters"), and generic speakers with no named organisation ("analysts say",
"experts assert", "some major financial institutions remain optimistic"). "An analyst from a
foreign TMT institution" is one identified analyst: institution `unnamed`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from pipeline.attribution import Frame, find_frames, list_item, list_lead, rating_list_items
from pipeline.institutions import InstitutionResolver
from pipeline.sources import UNNAMED, AttributionConfig, OrgMention, Source, sources_in
from pipeline.stance import StanceResult, contrast_positions, decide, find_cues, load_lexicon, tokenize

MARKET_WORDS = frozenset(
    {
        "market",
        "markets",
        "stock",
        "stocks",
        "share",
        "shares",
        "equities",
        "equity",
        "bourse",
        "index",
        "prices",
        "price",
        "sector",
        "assets",
        "valuation",
        "valuations",
        "sell-off",
        "selloff",
        "rally",
        "rebound",
        "correction",
        "pullback",
        # sectors and groups of shares ("industrials looked expensive", "gold miners")
        "industrials",
        "financials",
        "miners",
        "banks",
        "blue",
        "chips",
        "issues",
    }
)
ECONOMY_WORDS = MARKET_WORDS | frozenset(
    {
        "economy",
        "economic",
        "growth",
        "inflation",
        "rate",
        "rates",
        "earnings",
        "profit",
        "profits",
        "sales",
        "revenue",
        "revenues",
        "demand",
        "supply",
        "dollar",
        "yen",
        "currency",
        "currencies",
        "yield",
        "yields",
        "bond",
        "bonds",
        "futures",
        "dividend",
        "dividends",
        "deficit",
        "surplus",
        "exports",
        "imports",
        "trade",
        "tariffs",
        "tariff",
        "oil",
        "gold",
        "index",
        "investors",
        "shareholders",
        "offer",
        "deal",
        "merger",
        "takeover",
        "bid",
        "valuation",
        "outlook",
        "forecast",
        "gdp",
        "budget",
        "policy",
    }
)
_TARGET_NOUNS = frozenset(
    {"stock", "share", "market", "equity", "asset", "sector", "index", "bourse", "bond"}
)
MAX_GAP_SENTENCES = 2
# Which frames let a bare subject name be the organisation (see `pipeline.sources.sources_in`).
SUBJECT_ORG = {
    "rating_action": "any",
    "subject_verb": "financial",
    "report_from_verb": "financial",
    "heading_claim": "financial",
    "according_to": "financial",
    "stance_copula": "financial",
    "view_taken": "financial",
    "colon_claim": "financial",
}

StanceFn = Callable[[str], StanceResult]


def _firm_words(name: str) -> list[str]:
    return [w.lower().removesuffix("'s").removesuffix("’s").rstrip("s") for w in name.split()]


def _same_firm(known: str | None, mention: str | None) -> bool:
    """Whether `mention` names the firm `known` or a short form of it ("Cantonal Bank" for "Zurich
    Cantonal Bank", "Barclay" for "Barclays")."""
    if not known or not mention:
        return known == mention
    a, b = _firm_words(known), _firm_words(mention)
    return any(a[i : i + len(b)] == b for i in range(len(a) - len(b) + 1))


@dataclass
class Statement:
    """One frame with its speaker, claim (char bounds) and the claim's stance."""

    frame: Frame
    source: Source
    sent_index: int
    claim: tuple[int, int]
    span: tuple[int, int]
    stance: StanceResult
    is_view: bool


@dataclass
class View:
    """Statements of one speaker that form one view, plus the sentences that continue it."""

    key: tuple[str, str | None]
    statements: list[Statement] = field(default_factory=list)
    context: list[str] = field(default_factory=list)

    @property
    def last_sent(self) -> int:
        """Index of the last sentence that belongs to this view."""
        return max(s.sent_index for s in self.statements)


def editorial_sentences(sents: list[Span], labels: tuple[str, ...]) -> set[int]:
    """Indices of sentences in the publication's own commentary boxes."""
    skip: set[int] = set()
    in_box = False
    for i, sent in enumerate(sents):
        text = sent.text.strip().lstrip("-•*–— ").strip()
        lowered = text.lower()
        heading = bool(text) and text[-1] not in ".!?" and len(text.split()) <= 6
        # a label may close a short heading ("Gogo's Take"), not a headline ("X UP ON RAISED OPINION")
        closes = len(text.split()) <= 3
        is_label = any(lowered.startswith(lab) or (closes and lowered.endswith(lab)) for lab in labels)
        if heading:
            in_box = is_label or (in_box and lowered in ("desk", "take"))
        if in_box or (is_label and (":" in text[:40] or heading)):
            skip.add(i)
    return skip


def is_fact(words: list[str], cfg: AttributionConfig) -> bool:
    """A claim that only reports money or trading (no forward look, no judgement)."""
    joined = " " + " ".join(words) + " "
    has_fact = any(" " + " ".join(p) + " " in joined for p in cfg.fact_cues)
    return has_fact and not any(w in cfg.forward_markers for w in words)


def _main_clause_words(doc: Doc, lo: int, hi: int) -> list[str]:
    """Claim words outside background clauses ("as ...", "because ...")."""
    drop: set[int] = set()
    for tok in doc[lo:hi]:
        if tok.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("as", "because", "since") for c in tok.children
        ):
            drop.update(range(tok.left_edge.i, tok.right_edge.i + 1))
    return [t.lower_ for t in doc[lo:hi] if t.i not in drop]


def target_of(doc: Doc, lo: int, hi: int, ratings: frozenset[str] = frozenset()) -> str | None:
    """What the view is about: a rating line's object ("Overweight: insurers"), "outlook on X", else
    the first market-like noun phrase of the claim."""
    claim = doc[lo:hi]
    colon = next((t.i for t in claim[:3] if t.text == ":"), None)
    # a rating line "Overweight: Hong Kong-listed insurers, on ...": its object up to the comma
    if colon is not None and doc[colon - 1].lower_ in ratings:
        end = next((t.i for t in doc[colon + 1 : hi] if t.is_punct and t.text != "-"), hi)
        if end > colon + 1:
            return doc[colon + 1 : end].text.strip()
    for tok in claim:
        if tok.lower_ in ("on", "about", "regarding", "for", "towards") and tok.head.lemma_.lower() in (
            "outlook",
            "view",
            "stance",
            "bullish",
            "bearish",
            "optimistic",
            "positive",
            "negative",
        ):
            objs = [c for c in tok.children if c.dep_ == "pobj"]
            if objs:
                return _chunk_text(doc, objs[0])
    for chunk in doc.noun_chunks:
        if lo <= chunk.start and chunk.end <= hi and chunk.root.lemma_.lower() in _TARGET_NOUNS:
            return _chunk_text(doc, chunk.root)
    return None


def _chunk_text(doc: Doc, root) -> str:  # noqa: ANN001
    left = min(t.i for t in root.lefts) if list(root.lefts) else root.i
    words = [t for t in doc[left : root.i + 1] if t.dep_ not in ("det", "poss", "predet") and not t.is_punct]
    return " ".join(t.text for t in words) or root.text


def _another_rating(doc: Doc, view: View, item: Statement, rating_objects: frozenset[str]) -> bool:
    """A rating action after another one of the same speaker is a view of its own when it names
    what it rates ("cut its target on A, but upgraded B to buy": two views); "kept A at Buy but cut
    its target price" rates the same stock (one view, mixed)."""
    if item.frame.rule != "rating_action" or not any(
        s.frame.rule == "rating_action" and s.frame.cue != item.frame.cue for s in view.statements
    ):
        return False
    target = _rated_target(doc[item.frame.cue], rating_objects)
    if target is None:
        return False
    earlier = " ".join(
        doc.text[s.claim[0] : s.claim[1]] for s in view.statements if s.frame.rule == "rating_action"
    ).lower()
    return target.lower() not in earlier


def _in_a_document(verb: Token, cfg: AttributionConfig) -> bool:
    """Whether the verb speaks through a document ("said in its monthly review", "wrote in a note")."""
    return any(
        prep.lower_ == "in"
        and any(o.dep_ == "pobj" and o.lemma_.lower() in cfg.document_nouns for o in prep.children)
        for prep in verb.children
    )


def _rated_target(verb: Token, rating_objects: frozenset[str]) -> str | None:
    """What a rating verb rates, when it names it: the object ("upgraded Baidu") or the "on/in/for"
    phrase of a rating noun ("cut its weighting in stores"); None for "cut its target price"."""
    if verb.pos_ == "NOUN":  # a coordinated call cued by its rating noun ("... and a buy on Digital")
        return next(
            (o.text for p in verb.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"), None
        )
    for obj in (c for c in verb.children if c.dep_ == "dobj" and c.pos_ != "PRON"):
        if not any(t.lemma_.lower() in rating_objects for t in obj.subtree):
            return obj.text
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("on", "in", "for", "of")):
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            if objects:
                return objects[0].text
    return None


class ViewBuilder:
    """Turns a parsed doc into views; holds the loaded rule data."""

    def __init__(
        self,
        cfg: AttributionConfig,
        resolver: InstitutionResolver,
        model: StanceFn | None = None,
        mode: str | None = None,
    ) -> None:
        self.cfg = cfg
        self.resolver = resolver
        self.lex = load_lexicon()
        self.model = model
        self.mode = mode or self.lex.mode
        if self.mode != "rules" and model is None:
            raise ValueError(f"stance mode {self.mode!r} needs a stance model; pass one or use mode 'rules'")

    def rules(self, text: str, contrasts: bool = True) -> StanceResult:
        """Rule-based stance of a text (`contrasts`: a "but" between the sides makes it mixed)."""
        at = contrast_positions(text) if contrasts else []
        return decide(find_cues(text, self.lex), self.lex.mixed_min_share, at)

    def stance(self, text: str, rules: StanceResult | None = None) -> StanceResult:
        """Stance of one claim by the configured scorer: rules, model, or hybrid (the model only where
        the rules find no direction).
        """
        rules = rules or self.rules(text)
        if self.mode == "rules" or self.model is None:
            return rules
        if self.mode == "hybrid" and rules.directional:
            return rules
        return self.model(text)

    def _remembered(self, doc: Doc, region: tuple[int, int], memory: dict[str, Source]) -> Source | None:
        """A person named alone ("Innes emphasized", "said Barnes") whose organisation was given earlier."""
        for tok in doc[region[0] : region[1]]:
            if tok.pos_ == "PROPN" and tok.text in memory:
                return memory[tok.text]
        return None

    @staticmethod
    def _full_name(source: Source, memory: dict[str, Source], surnames: list[str]) -> Source:
        """The remembered speaker when a later mention names the same analyst at the same firm.

        "Shearson's Tulis" after "Daniel Tulis, an analyst with Shearson"; "Cantonal Bank's Fritschi"
        after "Herbert Fritschi, director of Zurich Cantonal Bank" (the short form of the firm);
        `surnames` are the proper nouns of the source phrase, for a surname NER did not take for a
        person ("said Barclay's Morgan").
        """
        names = [source.analyst] if source.analyst and " " not in source.analyst else []
        if not source.analyst:
            names = surnames
        for name in names:
            known = memory.get(name)
            if known is not None and _same_firm(known.institution, source.institution):
                return known
        return source

    def _is_pronoun(self, doc: Doc, region: tuple[int, int]) -> bool:
        words = tuple(t.lower_ for t in doc[region[0] : region[1]])
        return words in self.cfg.continuation_subjects

    def statements(self, doc: Doc, orgs: list[OrgMention]) -> list[Statement]:
        """All frames of the doc with their speakers (a pronoun speaks for the last named speaker)."""
        sents = list(doc.sents)
        skip = editorial_sentences(sents, self.cfg.editorial_labels)
        org_starts = {m.start: m.end for m in orgs}
        memory: dict[str, Source] = {}
        last: tuple[int, Source] | None = None
        lead: tuple[int, int] | None = None  # the source of a list's lead-in line
        out: list[Statement] = []
        for i, sent in enumerate(sents):
            if i in skip:
                continue
            frames = [
                item
                for frame in find_frames(sent, self.cfg, org_starts)
                for item in (rating_list_items(doc, frame, self.lex.ratings) or [frame])
            ]
            if not frames:
                for source in self._introduced(doc, sent, orgs):
                    memory[source.analyst.split()[-1]] = memory[source.analyst] = source
                    last = (i, source)
            item = list_item(sent, lead) if lead is not None and not frames else None
            lead = list_lead(sent, org_starts) or (lead if item is not None else None)
            for frame in frames or ([item] if item is not None else []):
                subject_org = SUBJECT_ORG.get(frame.rule, "")
                if frame.rule == "subject_verb" and _in_a_document(doc[frame.cue], self.cfg):
                    subject_org = "document"  # "Wood Mackenzie said in its monthly review that ..."
                sources = sources_in(doc, frame.source, orgs, self.resolver, self.cfg, subject_org)
                if not sources:
                    known = self._remembered(doc, frame.source, memory)
                    if known is not None:
                        sources = [known]
                    elif (
                        self._is_pronoun(doc, frame.source)
                        and last is not None
                        and i - last[0] <= MAX_GAP_SENTENCES
                    ):
                        sources = [last[1]]
                    elif frame.source[1] - frame.source[0] > 0 and not self._reporters(doc, frame.source):
                        last = None  # someone else speaks now: a later "he said" is not ours
                surnames = [t.text for t in doc[frame.source[0] : frame.source[1]] if t.pos_ == "PROPN"]
                sources = [self._full_name(s, memory, surnames) for s in sources]
                # "Markham raised her estimate": a surname read as a firm is the analyst named before
                sources = [
                    memory.get(s.institution, s) if not s.analyst and s.institution else s for s in sources
                ]
                for source in sources:
                    if source.analyst:
                        memory[source.analyst.split()[-1]] = source
                        memory[source.analyst] = source
                    out.append(self._statement(doc, frame, source, i))
                    last = (i, source)
        return out

    def _reporters(self, doc: Doc, region: tuple[int, int]) -> bool:
        """ "Traders said he raised ...": plural generic speakers pass a story on; the "he" they
        report is still the analyst named before."""
        root = doc[region[0] : region[1]].root
        return root.tag_ == "NNS" and root.lower_ in self.cfg.generic_sources

    def _introduced(self, doc: Doc, sent: Span, orgs: list[OrgMention]) -> list[Source]:
        """Analysts named with their firm in a sentence that states no view ("Prudential Bache
        analyst Mark Rogers was not available for comment"): a later "Rogers said" or "he raised
        his recommendation" speaks for that firm."""
        found = []
        for subj in (t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ == "PERSON"):
            lo, hi = subj.left_edge.i, subj.right_edge.i + 1
            if not any(t.lower_ in self.cfg.financial_roles for t in doc[lo:hi]):
                continue
            sources = sources_in(doc, (lo, hi), orgs, self.resolver, self.cfg)
            found += [
                s for s in sources if s.analyst and s.financial and s.institution and s.institution != UNNAMED
            ]
        return found

    def _quote_opening(self, doc: Doc, claim_start: int) -> int:
        """Where a quote that closes in this claim opened, if in an earlier sentence of the paragraph."""
        para_start = doc.text.rfind("\n", 0, claim_start) + 1
        before = doc.text[para_start:claim_start]
        opening = max(before.rfind('"'), before.rfind("“"))
        return para_start + opening + 1 if opening >= 0 else claim_start

    def _statement(self, doc: Doc, frame: Frame, source: Source, sent_index: int) -> Statement:
        lo, hi = frame.claim
        claim = (doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text))
        start = min(doc[frame.source[0]].idx, doc[frame.cue].idx, claim[0])
        src_end = doc[frame.source[1] - 1].idx + len(doc[frame.source[1] - 1].text)
        end = max(claim[1], src_end)
        text = doc.text[claim[0] : claim[1]]
        scored = text
        if frame.rule == "quote_then_source":
            opened = self._quote_opening(doc, doc[frame.claim[0]].sent.start_char)
            scored = doc.text[opened : claim[1]]
            claim = (opened, claim[1]) if opened < claim[0] else claim
            start = min(start, claim[0])
        elif frame.rule == "stance_copula":  # "was more cautious about the rally": the adjective judges
            scored = self._stance_word(doc, frame)
        elif frame.cue < lo:  # the verb itself may judge: "applauded the decision", "warned that ..."
            scored = doc[frame.cue].text + " " + text
        cues = self.rules(scored)
        result = self.stance(scored, cues)
        labelled = self._stance_label(doc, frame)
        if labelled is not None and labelled != result.stance:
            result = StanceResult(labelled, result.bull, result.bear, result.flat, result.hits)
        words = _main_clause_words(doc, lo, hi)
        # a forward look without any stance cue must at least be about markets or the economy
        # ("Analysts at Citi expect the Hang Seng to reach 28,000": the verb looks forward, the
        # claim names a market)
        names_index = any(ent.label_ in self.cfg.market_entity_labels for ent in doc[lo:hi].ents)
        about_markets = names_index or any(w in ECONOMY_WORDS for w in words)
        forward = any(w in self.cfg.forward_markers for w in words)
        forecast_verb = doc[frame.cue].lemma_.lower() in self.cfg.forward_markers
        assessed = (
            cues.bull + cues.bear + cues.flat > 0
            or (forward and about_markets)
            or (forecast_verb and names_index)
        )
        # "Alain Mercier of Cholet-Dupont took a cautious view": a named person of a firm who states
        # a stance in a market report speaks of the market
        stated = frame.rule in ("stance_copula", "view_taken") and source.analyst is not None
        market_ok = source.financial or stated or any(w in MARKET_WORDS for w in tokenize(text))
        # "following a recommendation by Prudential Bache": a rating noun is a claim of its own
        rated = frame.rule == "rating_action" and any(
            t.lemma_.lower() in self.cfg.rating_objects for t in doc[lo:hi]
        )
        long_enough = hi - lo >= 3 or frame.rule == "stance_copula" or rated
        is_view = assessed and market_ok and not is_fact(words, self.cfg) and long_enough
        if is_view and not source.financial and self._executive(doc, frame.source):
            is_view = False  # a company's officer on its own business
        if is_view and self._own_conduct(doc, lo, hi, source):
            is_view = False  # "the central bank was in no hurry to lower borrowing costs"
        return Statement(frame, source, sent_index, claim, (start, end), result, is_view)

    def _stance_label(self, doc: Doc, frame: Frame) -> str | None:
        """The stance a label at the start of the frame's line states ("Bear case: ..."), if any."""
        at = doc[frame.cue].idx
        line = doc.text[doc.text.rfind("\n", 0, at) + 1 : at].lower()
        for label, stance in self.cfg.stance_labels:
            if re.match(rf"\W*{re.escape(label)}\s*:", line):
                return stance
        return None

    def _executive(self, doc: Doc, region: tuple[int, int]) -> bool:
        """Whether a source phrase names an officer of the company ("IBM chairman John Akers")."""
        return any(t.lower_ in self.cfg.executive_roles for t in doc[region[0] : region[1]])

    def _own_conduct(self, doc: Doc, lo: int, hi: int, source: Source) -> bool:
        """Whether a public body or a company outside finance speaks of what it itself does: the
        claim's main subject stands for the speaker ("it would step up inspections", "the central
        bank would weigh ...", an executive's "the group had started milling lower-grade ore")."""
        name = (source.institution or "").lower()
        if source.financial and not any(body in name for body in self.cfg.official_bodies):
            return False
        tops = [t for t in doc[lo:hi] if not lo <= t.head.i < hi or t.head.i == t.i]
        root = next((t for t in tops if t.pos_ in ("VERB", "AUX")), tops[0] if tops else None)
        if root is None:
            return False
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subject is not None and subject.lower_ in self.cfg.own_conduct_subjects

    def _stance_word(self, doc: Doc, frame: Frame) -> str:
        """Return the stance adjective of a `stance_copula` frame with the words from its verb on.

        "is no longer bullish", "was more cautious": the negators before the adjective still apply.
        """
        lo, hi = frame.claim
        end = next((t.i + 1 for t in doc[lo:hi] if t.lower_ in self.cfg.stance_adjectives), hi)
        return doc[min(frame.cue + 1, lo) : end].text

    def group(self, doc: Doc, statements: list[Statement]) -> list[View]:
        """Group statements by speaker: a speaker continues a view only within a few sentences.

        A later statement of the same speaker is a view of its own ("one view per statement"); the
        same stance stated again is merged by `pipeline.dedupe`.
        """
        views: list[View] = []
        for item in statements:
            key = (item.source.institution, item.source.analyst)
            near = [v for v in views if v.key == key and item.sent_index - v.last_sent <= MAX_GAP_SENTENCES]
            rated_apart = [v for v in near if _another_rating(doc, v, item, self.cfg.rating_objects)]
            same = [
                v
                for v in near
                if v not in rated_apart
                and "list_item" not in (item.frame.rule, v.statements[-1].frame.rule)  # one per line
            ]
            if same:
                same[-1].statements.append(item)
                continue
            for view in rated_apart:
                # "said that it had raised A to overweight and cut its weighting in B": the reported
                # clause that spans both ratings speaks for neither alone
                apart = [
                    s
                    for s in view.statements
                    if not (s.claim[0] <= item.claim[0] and item.claim[1] <= s.claim[1])
                ]
                view.statements[:] = apart or view.statements
            views.append(View(key, [item]))
        return views

    def add_context(self, doc: Doc, views: list[View]) -> None:
        """Attach the following sentences of a view's paragraph (until a turn or another speaker)."""
        sents = list(doc.sents)
        framed = {s.sent_index for v in views for s in v.statements}
        for view in views:
            i = view.last_sent + 1
            while (
                i < len(sents)
                and i not in framed
                and "\n" not in doc.text[sents[i - 1].end_char : sents[i].start_char]
            ):
                words = tuple(tokenize(sents[i].text)[:3])
                if any(words[: len(o)] == o for o in self.cfg.contrast_openers):
                    break
                view.context.append(sents[i].text)
                i += 1

    def decide_view(self, view: View) -> StanceResult | None:
        """The view's stance: a vote of its statements (a tie of sides is mixed); the paragraph's
        next sentences count only when no statement takes a side.
        """
        claims = [s for s in view.statements if s.is_view]
        if not claims:
            return None
        first = next((s.stance for s in claims if s.stance.directional), None)
        called = next((s.stance for s in claims if s.stance.flat > 0), None)
        if first is None and called is not None:
            return called  # an explicit no-direction call ("expects the index to trade between ...")
        if claims[0].stance is called and claims[0].stance.stance == "neutral":
            return called  # "is neutral on the group although he said the outlook is improved"
        if first is None:
            # the sentences after a claim: a "but" there may turn to another subject
            text = " ".join(view.context)
            context = self.stance(text, self.rules(text, contrasts=False)) if view.context else None
            if context is not None and context.directional:
                return context
            return claims[0].stance
        if first.stance == "mixed":
            return first
        # one vote per sentence: "kept its overweight rating on BYD but trimmed its target, which it
        # said would delay a recovery" takes both sides once, however many clauses say so
        sides: dict[int, set[str]] = {}
        for s in claims:
            sides.setdefault(s.sent_index, set()).add(s.stance.stance)
        bull = sum(bool(said & {"bullish", "mixed"}) for said in sides.values())
        bear = sum(bool(said & {"bearish", "mixed"}) for said in sides.values())
        if bull == bear == 0:  # side cues outweighed by a neutral call ("recommends a neutral weighting")
            return first
        stance = "mixed" if bull == bear else ("bullish" if bull > bear else "bearish")
        return StanceResult(stance, first.bull, first.bear, first.flat, first.hits)

    def build(self, doc: Doc, orgs: list[OrgMention]) -> list[tuple[View, StanceResult]]:
        """Return every view of the doc with its decided stance."""
        views = self.group(doc, self.statements(doc, orgs))
        self.add_context(doc, views)
        out = []
        for view in views:
            result = self.decide_view(view)
            if result is not None:
                out.append((view, result))
        return out
