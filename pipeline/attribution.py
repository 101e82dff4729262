"""Find attribution frames in a parsed sentence: where the speaker is named and where the claim is.

Frame shapes (ids in `configs/views/attribution.yaml`):
- `according_to`: "According to X, CLAIM" / "CLAIM, according to X";
- `analysis_by`: "In an analysis by X, CLAIM";
- `report_from_verb`: "A research report from X suggests CLAIM";
- `subject_verb`: "X suggests CLAIM", "X, Y and Z are all advocating CLAIM";
- `quote_then_source`: '"CLAIM," said X' / "CLAIM, X said";
- `rating_action`: "X cut its target price on Y" (the action is the claim);
- `heading_claim`: "China Securities Analysts Predict a Market Bottom" (a heading the parser misreads);
- `stance_copula`: "UBS is bullish on Chinese equities", "X remains cautious" (the stance word is the claim);
- `colon_claim`: "Kenji Arakawa, strategist at Nomura: exporters look cheap" (briefing bullets).
A frame carries token bounds only; `pipeline.sources` decides who the speaker is.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.layout import BULLETS
from pipeline.sources import AttributionConfig

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_SPEAKER_LABELS = frozenset({"ORG", "PERSON", "INSTITUTION", "COMPANY", "FUND"})
_SKIP_LEAD = frozenset({",", ":", "that", '"', "“", "”", "'", "‘", "’", "-", "—", "–", "but", "and", "so"})
_SKIP_TAIL = frozenset({",", ":", '"', "“", "”", "'", "‘", "’", "-", "—", "–", ";", "."})
_LISTENERS = frozenset(
    {
        "reuters",
        "reporters",
        "clients",
        "investors",
        "journalists",
        "us",
        "me",
        "cnbc",
        "bloomberg",
        "parliament",
        "lawmakers",
        "newspaper",
        "television",
        "radio",
    }
)


@dataclass(frozen=True)
class Frame:
    """One attribution: rule id, source phrase and claim as token bounds, and the cue token."""

    rule: str
    source: tuple[int, int]
    claim: tuple[int, int]
    cue: int


def _bounds(tokens: list[Token] | Span) -> tuple[int, int]:
    idx = [t.i for t in tokens]
    return (min(idx), max(idx) + 1)


def _subtree(token: Token) -> tuple[int, int]:
    return (token.left_edge.i, token.right_edge.i + 1)


def trim_claim(doc: Doc, lo: int, hi: int) -> tuple[int, int]:
    """Drop leading "that", commas and quote marks, and trailing punctuation."""
    while lo < hi and doc[lo].lower_ in _SKIP_LEAD:
        lo += 1
    while hi > lo and doc[hi - 1].text in _SKIP_TAIL:
        hi -= 1
    return lo, hi


# lemmas the tagger gets wrong for verbs of this trade ("rated", "rates" -> "rat")
_LEMMA_FIXES = {"rat": "rate"}


def _lemma(token: Token) -> str:
    lemma = token.lemma_.lower()
    lemma = _LEMMA_FIXES.get(lemma, lemma)
    if lemma == token.lower_ and lemma.endswith("s") and len(lemma) > 4:
        lemma = lemma[:-1]  # headings: "Predicts" tagged as a proper noun keeps its -s
    return lemma


def _is_initial(sent: Span, token: Token) -> bool:
    """True when only adverbs, conjunctions and punctuation precede the token in its sentence."""
    return all(
        t.is_punct or t.pos_ in ("ADV", "CCONJ", "SCONJ") or t.lower_ in ("and", "but", "also")
        for t in sent
        if t.i < token.i
    )


def according_to(sent: Span) -> list[Frame]:
    """ "According to X, CLAIM" and "CLAIM, according to X"."""
    frames = []
    for tok in sent[:-1]:
        nxt = tok.doc[tok.i + 1]
        if tok.lower_ != "according" or nxt.lower_ != "to":
            continue
        objects = [c for c in nxt.children if c.dep_ == "pobj"]
        src = _subtree(objects[0]) if objects else (nxt.i + 1, nxt.i + 2)
        src = (nxt.i + 1, min(sent.end, max(src[1], nxt.i + 2)))
        if objects and _is_initial(sent, tok):
            # "According to X's economist, Name, CLAIM", "According to Name, a strategist at X,
            # CLAIM": the source ends at the comma after its apposition, however far the parser
            # stretches it
            end = _source_end(sent, objects[0])
            if end is not None and end < src[1]:
                src = (src[0], end)
        src = _extend_apposition(sent, src)
        if _is_initial(sent, tok):
            claim = trim_claim(tok.doc, src[1], sent.end)
        else:
            claim = trim_claim(tok.doc, sent.start, tok.i)
        frames.append(Frame("according_to", src, claim, tok.i))
    return frames


def _source_end(sent: Span, head: Token) -> int | None:
    """The comma that ends "according to HEAD[, APPOSITION]," (None when there is none)."""
    commas = [t.i for t in sent if t.i > head.i and t.text == ","]
    if not commas:
        return None
    appositive = {t.i for c in head.subtree if c.dep_ == "appos" for t in c.subtree}
    if len(commas) > 1 and commas[0] + 1 in appositive:
        return commas[1]
    return commas[0]


def _extend_apposition(sent: Span, src: tuple[int, int]) -> tuple[int, int]:
    """ "according to UBS's head of research, Fang Jincong, ...": take the name set off by commas."""
    doc = sent.doc
    lo, hi = src
    if hi < sent.end and doc[hi].text == ",":
        j = hi + 1
        while j < sent.end and doc[j].pos_ == "PROPN" and j - hi <= 4:
            j += 1
        if j > hi + 1 and j < sent.end and doc[j].text == ",":
            return lo, j
    return lo, hi


def analysis_by(sent: Span, cfg: AttributionConfig) -> list[Frame]:
    """ "In an analysis by X, CLAIM" (the document noun sits in a sentence-initial "in" phrase)."""
    frames = []
    for tok in sent:
        if tok.lower_ != "in" or not _is_initial(sent, tok):
            continue
        nouns = [c for c in tok.children if c.dep_ == "pobj" and c.lemma_.lower() in cfg.document_nouns]
        for noun in nouns:
            for prep in noun.children:
                if prep.lower_ in ("by", "from", "of") and any(c.dep_ == "pobj" for c in prep.children):
                    pobj = next(c for c in prep.children if c.dep_ == "pobj")
                    src = _subtree(pobj)
                    frames.append(Frame("analysis_by", src, trim_claim(sent.doc, src[1], sent.end), tok.i))
    return frames


def _subjects(verb: Token) -> list[Token]:
    subjects = [c for c in verb.children if c.dep_ in _SUBJ]
    if not subjects and verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        subjects = [c for c in verb.head.children if c.dep_ in _SUBJ]
    return subjects


_FIRM_PREPS = frozenset({"at", "of", "with", "from"})


def _before_relative_clause(head: Token, src: tuple[int, int]) -> tuple[int, int]:
    """Return a source phrase up to a relative clause once its firm is named: 'said Vincent Leung,
    economist at Macquarie, who expects the yuan to trade ...' speaks as "Vincent Leung, economist at
    Macquarie"; in "said Eleanor Markham, who follows oil for Prudential-Bache" the clause names it."""
    starts = [t.left_edge.i for t in head.subtree if t.dep_ == "relcl" and t.left_edge.i > src[0]]
    if not starts:
        return src
    cut = min(starts)
    doc = head.doc
    firm_named = any(
        doc[i].lower_ in _FIRM_PREPS and any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in doc[i].children)
        for i in range(src[0], cut)
    )
    return (src[0], cut) if firm_named else src


def _inverted_source(sent: Span, src: tuple[int, int]) -> tuple[int, int]:
    """Return an inverted source run on to the end of its name phrase.

    '"CLAIM," said a broker at Daiwa Securities Co Ltd.': the parser may hang the firm on the verb;
    the source runs on over names, titles and prepositions to the end of the sentence, and stops at
    a clause (", adding that ...", "who ...", a verb).
    """
    doc = sent.doc
    hi = src[1]
    while hi < sent.end:
        tok = doc[hi]
        if tok.pos_ in ("VERB", "AUX", "PRON", "SCONJ") or tok.text in ('"', "“", "”", ";", ":"):
            break
        if tok.text == "," and hi + 1 < sent.end and doc[hi + 1].pos_ in ("VERB", "PRON", "SCONJ", "AUX"):
            break
        hi += 1
    while hi > src[1] and doc[hi - 1].is_punct and doc[hi - 1].text not in (")", ">"):
        hi -= 1
    return src[0], hi


def _after_closing_quote(doc: Doc, src: tuple[int, int]) -> tuple[int, int]:
    """Return the source without the quote's last words, starting after the closing quote mark.

    '"... but not any record setter," Thom Brown said': the parse hangs "setter" on the speaker.
    """
    quotes = [i for i in range(src[0], src[1]) if doc[i].text in ('"', "”", "''")]
    if quotes and quotes[-1] + 1 < src[1]:
        lo = quotes[-1] + 1
        while lo < src[1] and doc[lo].is_punct:
            lo += 1
        return (lo, src[1]) if lo < src[1] else src
    return src


def _claim_after(sent: Span, verb: Token, src: tuple[int, int]) -> tuple[int, int]:
    """The claim to the right of the verb, skipping the listener of "told Reuters"."""
    doc = sent.doc
    lo = max(verb.i + 1, src[1] if src[0] > verb.i else verb.i + 1)
    for child in verb.children:
        if child.i >= lo and child.dep_ in ("dobj", "dative", "iobj") and child.lower_ in _LISTENERS:
            lo = max(lo, child.right_edge.i + 1)
    return trim_claim(doc, lo, sent.end)


def reporting_verbs(sent: Span, cfg: AttributionConfig) -> list[Frame]:
    """Verb frames: "X suggests CLAIM", '"CLAIM," said X', "A report from X suggests CLAIM"."""
    doc = sent.doc
    frames = []
    for verb in sent:
        if verb.pos_ not in ("VERB", "AUX") or _lemma(verb) not in cfg.reporting_verbs:
            continue
        if verb.i + 1 < sent.end and doc[verb.i + 1].like_num and doc[verb.i + 1].text[:1].isdigit():
            continue  # "OCBC added 0.8%": a move, not a speaker
        subjects = _subjects(verb)
        if not subjects:
            frame = _unparsed_source(sent, verb)
            if frame is not None:
                frames.append(frame)
        for subj in subjects:
            src = _subtree(subj)
            if src[0] > verb.i:  # inverted: '"CLAIM," said X' or 'said X: CLAIM'
                src = _inverted_source(sent, _before_relative_clause(subj, src))
                claim = trim_claim(doc, sent.start, verb.i)
                if claim[1] - claim[0] < 3:
                    claim = trim_claim(doc, src[1], sent.end)
                rule = "quote_then_source"
            else:
                before = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < src[0]]
                if before:  # "CLAIM, Luftig said."
                    src = _after_closing_quote(doc, src)
                    claim, rule = trim_claim(doc, sent.start, src[0]), "quote_then_source"
                else:
                    claim = _claim_after(sent, verb, src)
                    rule = "report_from_verb" if subj.lemma_.lower() in cfg.document_nouns else "subject_verb"
            frames.append(Frame(rule, src, claim, verb.i))
    return frames


def _unparsed_source(sent: Span, verb: Token) -> Frame | None:
    """'"CLAIM," director X at Y, told Reuters.' or "CLAIM, brokers X said." where the parser lost the
    subject: the words between the closing quote (or the last comma before a sentence-final verb)
    and the verb are the source.
    """
    doc = sent.doc
    quotes = [t.i for t in sent if t.i < verb.i and t.text in ('"', "”", "''")]
    if not quotes and all(t.is_punct for t in doc[verb.i + 1 : sent.end]):
        # "CLAIM, brokers Samuel Montagu and Co Ltd said." with the source misparsed; a comma right
        # before the verb only closes an apposition ("CLAIM, Smith, an analyst at X, said.")
        quotes = [t.i for t in sent if t.i < verb.i - 1 and t.text == ","]
    if not quotes or verb.i - quotes[-1] < 2:
        return None
    q = quotes[-1]
    src = (q + 1, verb.i)
    while src[1] > src[0] and doc[src[1] - 1].is_punct:
        src = (src[0], src[1] - 1)
    claim = trim_claim(doc, sent.start, q)
    if src[1] <= src[0] or claim[1] - claim[0] < 3:
        return None
    return Frame("quote_then_source", src, claim, verb.i)


def rating_nouns(sent: Span, cfg: AttributionConfig) -> list[Frame]:
    """ "a cut target price from Credit Suisse", "an upgrade by Jefferies": the rating is the claim."""
    frames = []
    for prep in sent:
        # "a downgrade to underweight from equal weight at Barclays"
        at_house = prep.lower_ == "at" and any(
            t.lemma_.lower() in ("upgrade", "downgrade") for t in (prep.head, prep.head.head)
        )
        if not at_house and (
            prep.lower_ not in ("from", "by")
            or prep.head.lemma_.lower() not in cfg.rating_objects | {"upgrade", "downgrade", "price"}
        ):
            continue
        if prep.lower_ == "from" and any(c.dep_ == "prep" and c.lower_ == "to" for c in prep.head.children):
            continue  # "upgraded X to Overweight from Equal-weight": the rating left behind
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if objects:
            head = prep.head
            claim = trim_claim(sent.doc, head.left_edge.i, prep.i)
            frames.append(Frame("rating_action", _subtree(objects[0]), claim, prep.i))
    return frames


def rating_actions(sent: Span, cfg: AttributionConfig) -> list[Frame]:
    """ "Morgan Stanley cut its target price on Tencent", "UBS upgraded Baidu to buy"."""
    frames = []
    for verb in sent:
        if verb.pos_ != "VERB" or _lemma(verb) not in cfg.rating_verbs:
            continue
        # what the verb itself rates, not a word in a clause below it ("keeps beating forecasts")
        right = [t for t in verb.subtree if t.i > verb.i and not _in_lower_clause(t, verb)]
        if not any(t.lemma_.lower() in cfg.rating_objects for t in right):
            continue
        # "cut its target on A ..., but upgraded B to buy", "cut A to underweight, ..., while keeping
        # its overweight call on B": each rating verb is a statement of its own
        later = [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > verb.i]
        later += [t for t in verb.subtree if t.i > verb.i and _rating_participle(t, cfg)]
        end = min(_clause_end(t) for t in later) if later else sent.end
        subjects = _subjects(verb) if not _misplaced_conjunct(verb, cfg) else _earlier_rater(sent, verb, cfg)
        reporter = _reporter_of_borrowed_subject(verb, cfg)
        if reporter is not None:
            subjects = _subjects(reporter)
        # "UBS took a dimmer view, downgrading X to Neutral": the participle speaks for the subject
        # (of the clause it hangs on, through "arguing ..., while keeping ...")
        head = verb
        while not subjects and head.dep_ == "advcl" and head.tag_ == "VBG" and head.head.i != head.i:
            head = head.head
            subjects = [c for c in head.children if c.dep_ in _SUBJ]
        for subj in subjects:
            if subj.i < verb.i:
                for lo, hi, cue in _rated_calls(verb, end, cfg):
                    frames.append(Frame("rating_action", _subtree(subj), trim_claim(sent.doc, lo, hi), cue))
    return frames


def _rated_calls(verb: Token, end: int, cfg: AttributionConfig) -> list[tuple[int, int, int]]:
    """The claims of one rating verb: the whole clause, or one per coordinated call that names its
    own stock ("reiterated a negative opinion on IBM and a buy on Digital": two calls, the second
    cued by its rating noun)."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or obj.lemma_.lower() not in cfg.rating_objects:
        return [(verb.i, end, verb.i)]
    calls = [obj] + [c for c in obj.children if c.dep_ == "conj" and c.lemma_.lower() in cfg.rating_objects]
    if len(calls) < 2 or not all(_names_what_it_rates(c) for c in calls):
        return [(verb.i, end, verb.i)]
    starts = [verb.i] + [_clause_end(c) for c in calls[1:]]
    ends = starts[1:] + [min(end, verb.right_edge.i + 1)]
    cues = [verb.i] + [c.i for c in calls[1:]]
    return [
        (c.left_edge.i if i else lo, hi, cue)
        for i, (c, lo, hi, cue) in enumerate(zip(calls, starts, ends, cues))
    ]


def _names_what_it_rates(noun: Token) -> bool:
    """ "a buy on Digital", "a recommendation of Wang": the rating noun's own on/of/for phrase."""
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("on", "of", "for", "in")
        and any(o.dep_ == "pobj" for o in c.children)
        for c in noun.children
    )


def _misplaced_conjunct(verb: Token, cfg: AttributionConfig) -> bool:
    """A rating verb without a subject, conjoined to a verb that neither rates nor reports: "Nvidia
    was flat even as Citi kept its rating but lowered its target" (the parse joins "lowered" to "was")."""
    head = verb.head
    return (
        verb.dep_ == "conj"
        and not any(c.dep_ in _SUBJ for c in verb.children)
        and _lemma(head) not in cfg.rating_verbs
        and _lemma(head) not in cfg.reporting_verbs
    )


def _earlier_rater(sent: Span, verb: Token, cfg: AttributionConfig) -> list[Token]:
    """The subjects of the nearest rating verb before `verb` that has its own subject."""
    for word in reversed(sent.doc[sent.start : verb.i]):
        subjects = [c for c in word.children if c.dep_ in _SUBJ]
        if word.pos_ == "VERB" and _lemma(word) in cfg.rating_verbs and subjects:
            return subjects
    return []


def _rating_participle(word: Token, cfg: AttributionConfig) -> bool:
    """A participle clause that rates something ("while keeping its overweight call on insurers")."""
    return (
        word.dep_ == "advcl"
        and word.tag_ == "VBG"
        and _lemma(word) in cfg.rating_verbs
        and any(t.lemma_.lower() in cfg.rating_objects for t in word.subtree if t.i > word.i)
    )


def _reporter_of_borrowed_subject(verb: Token, cfg: AttributionConfig) -> Token | None:
    """The reporting verb whose subject a rating verb really belongs to: "Park said BHP looked fairly
    valued and kept his neutral rating" (the "and kept" borrows "BHP" from the reported clause, but
    "his rating" is the analyst's). None when the rating verb has its own subject or no "his/her"."""
    if any(c.dep_ in _SUBJ for c in verb.children) or verb.dep_ != "conj":
        return None
    personal = any(
        o.dep_ == "dobj" and any(p.dep_ == "poss" and p.lower_ in ("his", "her") for p in o.children)
        for o in verb.children
    )
    clause = verb.head
    if not personal or clause.dep_ != "ccomp" or _lemma(clause.head) not in cfg.reporting_verbs:
        return None
    return clause.head


def _in_lower_clause(token: Token, verb: Token) -> bool:
    """Whether another verb stands between a token and `verb` on its way up the parse."""
    head = token.head
    while head.i != verb.i and head.head.i != head.i:
        if head.pos_ in ("VERB", "AUX"):
            return True
        head = head.head
    return False


def _clause_end(conj_verb: Token) -> int:
    """Where the clause before a conjoined verb ends: at the "but"/"and" (and comma) before it."""
    i = conj_verb.left_edge.i
    doc = conj_verb.doc
    while i > 0 and (doc[i - 1].dep_ == "cc" or doc[i - 1].is_punct):
        i -= 1
    return i


def stance_copulas(
    sent: Span, cfg: AttributionConfig, org_starts: dict[int, int] | None = None
) -> list[Frame]:
    """Return frames of a stance stated as a state: "UBS is bullish on ...", "Citi turned positive on"
    (`org_starts`: known organisations, speakers whatever the tagger made of them)."""
    orgs = org_starts or {}
    frames = []
    for adj in sent:
        camp = adj.dep_ == "amod" and adj.head.lower_ == "camp" and adj.head.head.lower_ == "in"
        if adj.lower_ not in cfg.stance_adjectives or not (adj.dep_ in ("acomp", "attr", "oprd") or camp):
            continue
        verb = adj.head.head.head if camp else adj.head  # "was firmly in the bullish camp"
        if _lemma(verb) not in cfg.linking_verbs:
            continue
        for subj in _subjects(verb):
            if subj.i < verb.i and _is_speaker(subj, cfg, orgs):
                claim = trim_claim(sent.doc, adj.left_edge.i, sent.end)
                frames.append(Frame("stance_copula", _subtree(subj), claim, verb.i))
    return frames + views_taken(sent, cfg, orgs)


def _is_speaker(subj: Token, cfg: AttributionConfig, org_starts: dict[int, int] | None = None) -> bool:
    """A speaker (a name, a pronoun, "analysts at X"), not a figure ("earnings at X were negative")."""
    return (
        subj.pos_ in ("PROPN", "PRON")
        or any(start <= subj.i < end for start, end in (org_starts or {}).items())  # "Morgans took ..."
        or subj.ent_type_ in _SPEAKER_LABELS
        or subj.lemma_.lower() in cfg.role_nouns | cfg.financial_roles
    )


def views_taken(sent: Span, cfg: AttributionConfig, org_starts: dict[int, int] | None = None) -> list[Frame]:
    """Return frames of a view taken: "Whitcombe took a middle view", "Kamco struck a more cautious note"."""
    frames = []
    for noun in sent:
        if (
            noun.lower_ not in cfg.view_nouns
            or noun.dep_ != "dobj"
            or _lemma(noun.head) not in cfg.view_verbs
        ):
            continue
        if not any(c.dep_ in ("amod", "compound") for c in noun.children):
            continue
        verb = noun.head
        for subj in _subjects(verb):
            if subj.i < verb.i and _is_speaker(subj, cfg, org_starts):
                claim = trim_claim(sent.doc, noun.left_edge.i, sent.end)
                frames.append(Frame("view_taken", _subtree(subj), claim, verb.i))
    return frames


def heading_frames(sent: Span, cfg: AttributionConfig, org_starts: dict[int, int]) -> list[Frame]:
    """A heading line "ORG (Analysts) Predict CLAIM": surface order, because headings parse badly."""
    doc = sent.doc
    text = sent.text.strip()
    if not text or text[-1] in ".!?" or len(sent) > 16:
        return []
    frames = []
    for start, end in sorted(org_starts.items()):
        if not sent.start <= start < sent.end:
            continue
        j = end
        while j < sent.end and doc[j].lower_.rstrip("s") in {r.rstrip("s") for r in cfg.role_nouns}:
            j += 1
        if j < sent.end and _lemma(doc[j]) in cfg.reporting_verbs | {v + "s" for v in cfg.reporting_verbs}:
            frames.append(Frame("heading_claim", (start, j), trim_claim(doc, j + 1, sent.end), j))
    return frames


def colon_frames(sent: Span, org_starts: dict[int, int], max_source: int = 16) -> list[Frame]:
    """A speaker, then a colon, then the claim: "Kenji Arakawa, strategist at Nomura: exporters look
    cheap", "CICC: beware of short-term correction risk" (briefing bullets and note headings).

    The part before the colon must hold a known organisation; `pipeline.sources` names the speaker.
    """
    doc = sent.doc
    colon = next((t.i for t in sent[: max_source + 1] if t.text == ":"), None)
    if colon is None or sent.end - colon < 4:
        return []
    start = sent.start + (1 if doc[sent.start].text in BULLETS else 0)
    if not any(start <= o < colon for o in org_starts):
        return []
    return [Frame("colon_claim", (start, colon), trim_claim(doc, colon + 1, sent.end), colon)]


def list_lead(sent: Span, org_starts: dict[int, int]) -> tuple[int, int] | None:
    """The source of a lead-in line that introduces a list ("HSBC's house views on China sectors,
    updated on Friday:"): a line ending in a colon with an organisation before it."""
    if not sent.text.rstrip().endswith(":"):
        return None
    # the colon may be glued to the token before it ("(2202):"): then no list is led in here
    colon = max((t.i for t in sent if t.text == ":"), default=None)
    if colon is None:
        return None
    start = sent.start + (1 if sent.doc[sent.start].text in BULLETS else 0)
    if not any(start <= o < colon for o in org_starts):
        return None
    return start, colon


def list_item(sent: Span, lead: tuple[int, int]) -> Frame | None:
    """A bullet line under a lead-in speaks for the lead-in's source ("- Overweight: insurers")."""
    first = sent[0]
    if first.text not in BULLETS or len(sent) < 3:
        return None
    claim = trim_claim(sent.doc, first.i + 1, sent.end)
    return Frame("list_item", lead, claim, first.i) if claim[1] > claim[0] else None


def rating_list_items(doc: Doc, frame: Frame, ratings: frozenset[str]) -> list[Frame]:
    """A claim that lists calls split by semicolons, each opening on a rating ("now sits at:
    overweight China internet; underweight developers; equal-weight banks"): one frame per call.
    Empty when the claim is no such list."""
    lo, hi = frame.claim
    colon = next((t.i for t in doc[lo:hi] if t.text == ":"), None)
    start = colon + 1 if colon is not None else lo
    segments, seg_start = [], start
    for i in range(start, hi + 1):
        if i == hi or doc[i].text == ";":
            if i > seg_start:
                segments.append((seg_start, i))
            seg_start = i + 1
    if len(segments) < 2:
        return []
    items = [trim_claim(doc, a, b) for a, b in segments]
    opens_on_rating = [
        any(doc[a:b].text.lower().replace(" - ", "-").startswith(r + " ") for r in ratings) for a, b in items
    ]
    if not all(opens_on_rating):
        return []
    return [Frame("list_item", frame.source, (a, b), a) for a, b in items if b > a]


def find_frames(sent: Span, cfg: AttributionConfig, org_starts: dict[int, int]) -> list[Frame]:
    """Return every attribution frame of a sentence, first by cue position."""
    frames = according_to(sent) + analysis_by(sent, cfg)
    frames += reporting_verbs(sent, cfg) + rating_actions(sent, cfg) + rating_nouns(sent, cfg)
    frames += stance_copulas(sent, cfg, org_starts)
    colon = colon_frames(sent, org_starts)
    if colon and all(f.source[0] >= colon[0].claim[0] for f in frames):
        # "Guosen Securities: the market is expected to fluctuate upward": the verb frame lies
        # inside the claim of the organisation before the colon
        frames = colon
    elif not frames:
        frames = heading_frames(sent, cfg, org_starts)
    frames = [_with_fronted_firm(sent, _with_whole_names(f, org_starts)) for f in frames]
    # a text cut after "according to" leaves no source: keep only frames inside the sentence
    frames = [
        f for f in frames if f.claim[1] > f.claim[0] and sent.start <= f.source[0] < f.source[1] <= sent.end
    ]
    return sorted(frames, key=lambda f: (f.cue, f.rule))


_FRONTED_FIRM_RULES = frozenset({"subject_verb", "stance_copula", "view_taken", "rating_action"})


def _with_fronted_firm(sent: Span, frame: Frame) -> Frame:
    """Widen a source over a fronted "At X," that names its firm ("At Hambrecht and Quist,
    semiconductor analyst Robert Kaminski was more guarded")."""
    if frame.rule not in _FRONTED_FIRM_RULES:
        return frame
    first = next((t for t in sent if t.text not in BULLETS), None)
    if first is None or first.lower_ != "at" or first.head.i != frame.cue:
        return frame
    end = first.right_edge.i + 1
    if end > frame.source[0] or not all(t.is_punct for t in sent.doc[end : frame.source[0]]):
        return frame
    return dataclasses.replace(frame, source=(first.i, frame.source[1]))


def _with_whole_names(frame: Frame, org_starts: dict[int, int]) -> Frame:
    """Widen a source to the whole of an organisation's name it cuts ("CITIC Securities remains
    cautious": the parser may leave "CITIC" out of the subject's subtree)."""
    lo, hi = frame.source
    for start, end in org_starts.items():
        outside_claim = end <= frame.claim[0] or start >= frame.claim[1]
        if start < hi and end > lo and outside_claim:
            lo, hi = min(lo, start), max(hi, end)
    if (lo, hi) == frame.source:
        return frame
    return dataclasses.replace(frame, source=(lo, hi))
