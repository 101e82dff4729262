"""Surface rules that mend the parse.

Time words of side clauses, descriptors, "respectively", names right before a move word, wrapped
lines.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from pipeline.components.anchors import Move
from pipeline.components.subjects import Subject, entity_subject

SIGNS = {
    "+": "up",
    "-": "down",
    "\u2212": "down",
    "\u2013": "down",
    "\u25b2": "up",
    "\u25bc": "down",
    "\u2191": "up",
    "\u2193": "down",
}
# between a name and a signed percentage: "S&P 500 +0.7%", "Hang Seng 17,651.15 (-1.8%)"
SIGN_GAP = re.compile(
    # a listing code in brackets may stand between: "Tencent (700 HK) +3.4%", "Moutai (600519.SS) -1%"
    r"\s*(?:\((?:\d{1,6}|[A-Z]{1,5})(?:\.[A-Z]{1,2}|\s[A-Z]{2})?\)\s*)?"
    # a level, then perhaps an arrow and the change in points: "SSE Composite 3,402.18 ▼ 4.71 (-0.14%)",
    # "Nikkei 225: 39,880.10, -0.6%"
    r"(?:[:|]\s*)?(?:\d{1,3}(?:,\d{3})*(?:\.\d+)?\s*,?\s*)?"
    r"(?:[\u25b2\u25bc\u2191\u2193]\s*\d{1,3}(?:,\d{3})*(?:\.\d+)?\s*)?"
    r"(?:[(|]\s*)?[\u25b2\u25bc\u2191\u2193]?\s*"
)


def word_moved_by_size(word: Token) -> Token:
    """Climb from the size of a change to the word that moves: "fell 10.5 points, or 0.5 pct, to X".

    The parser hangs "to X" on "pct", a conjunct of "points", itself a modifier of "fell" (or on a
    direction word that modifies the size).
    """
    if word.pos_ in ("ADJ", "ADV") and word.dep_ == "amod" and word.head.pos_ in ("NOUN", "PROPN", "SYM"):
        word = word.head  # "closed 98.2 points, or 0.4%, higher at X": "at X" hangs on "higher"
    steps = 0
    while (
        steps < 3
        and word.pos_ in ("NOUN", "NUM", "SYM", "PROPN")
        and word.dep_ in ("conj", "npadvmod", "appos", "dobj")
        and word.head.i != word.i
    ):
        word = word.head
        steps += 1
    return word


def verb_above(token: Token, steps: int = 4, root_counts: bool = False) -> Token | None:
    """The first verb above `token` within `steps` heads (or the root, if `root_counts`)."""
    word = token
    for _ in range(steps):
        if word.head.i == word.i:
            return word if root_counts and word.i != token.i else None
        word = word.head
        if word.pos_ in ("VERB", "AUX") or (root_counts and word.head.i == word.i):
            return word
    return None


def doc_slice(left: Token, right: Token) -> Span:
    """Return the words strictly between two tokens."""
    return left.doc[left.i + 1 : right.i]


def subordinate_tokens(heads: list[Token]) -> set[int]:
    """Return the words of reasons and relative clauses that hang on moves.

    Their time words date something else ("after Macau shut its casinos since ..."). Clauses that
    hold a move keep theirs.
    """
    head_ids = {h.i for h in heads}
    found: set[int] = set()
    for head in heads:
        for child in head.children:
            subordinate = (
                child.dep_ == "relcl"
                or child.dep_ == "advcl"
                and any(c.dep_ == "mark" and c.lower_ != "since" for c in child.children)
            )
            if subordinate:
                subtree = {t.i for t in child.subtree}
                if not subtree & head_ids:
                    found |= subtree
    return found


def drop_descriptors(found: list[Subject], sent: Span) -> list[Subject]:
    """Drop groups written right before a linked name, which describe it ("battery giant CATL")."""
    doc = sent.doc
    linked = [ent for ent in sent.ents if entity_subject(ent) is not None]
    return [
        s
        for s in found
        if not (
            s.kind == "group"
            and any(e.start_char > s.end and not doc.text[s.end : e.start_char].strip() for e in linked)
        )
    ]


def respectively(sent: Span, resolved: list[tuple[Move, list[Subject] | None]]):
    """Pair subjects and percentages: "A and B rose 2.8% and 1.3%, respectively"."""
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


def skip_left(doc: Doc, i: int) -> int:
    """Step left over share words, possessives and instrument codes ("<TSLA.O>") before a move word."""
    while i >= 0:
        if doc[i].text == ">":
            j = i
            while j >= 0 and doc[j].text != "<" and i - j < 4:
                j -= 1
            if j < 0 or doc[j].text != "<":
                return i
            i = j - 1
        elif (
            doc[i].text == ")" and i >= 2 and doc[i - 2].text == "(" and _BRACKET_CODE.match(doc[i - 1].text)
        ):
            i -= 3  # an exchange code in brackets: "Oversea-Chinese Banking Corp (O39) added 0.8%"
        elif doc[i].lower_ in _SHARE_CLASS_WORDS:
            i -= 1
        else:
            return i
    return i


def skip_place(doc: Doc, i: int) -> int:
    """Step left over a place written after a name: "the CAC 40 in Paris" ends at "40"."""
    word = doc[i] if i >= 0 else None
    if word is not None and word.ent_type_ == "GPE" and word.dep_ == "pobj" and word.head.lower_ == "in":
        return skip_left(doc, word.head.i - 1)
    return i


# share words and the share classes of wire copy ("Nestle bearers", "Siemens registered")
_SHARE_CLASS_WORDS = frozenset(
    {"shares", "stock", "'s", "adrs", "bearers", "bearer", "registered", "preferred"}
)
_BRACKET_CODE = re.compile(r"^(?=.*[A-Z0-9])[A-Z0-9]{1,6}(?:\.[A-Z]{1,2})?$")
_SECURITY_CODE = re.compile(r"^[A-Z0-9]{1,6}[a-z]?\.[A-Z]{1,2}$")

_LEGAL = {"inc", "corp", "co", "ltd", "plc", "llc", "sa", "ag", "nv", "group", "holdings", "se", "spa"}


def capitalised_run(doc: Doc, i: int, sent_start: int) -> Subject | None:
    """Return the capitalised name that ends at token i ("Lyft Inc"), not a place, person or date."""
    last = i
    if doc[i].sent.text.isupper() or doc[i].is_stop:
        return None  # wire copy in capitals: capitalisation says nothing
    # "Kering <PRTP.PA> jumped": a security's code after the words makes them a name, even at the
    # start of a sentence or where NER reads a place ("Hermes <HRMS.PA>")
    coded = _followed_by_security_code(doc, last)
    while (
        i >= sent_start
        and i > last - 6
        and (
            (
                doc[i].text[:1].isupper()
                and not any(ch.isdigit() or ch in "$=.<>\u20ac\u00a3\u00a5" for ch in doc[i].text)
            )
            or doc[i].text in ("&", "-")
            or doc[i].lower_ == "of"
            and i > sent_start
            and doc[i - 1].text[:1].isupper()  # "Airports of Thailand"
        )
    ):
        common = doc[i].is_stop or doc[i].pos_ in (
            "DET",
            "ADP",
            "PRON",
            "ADV",
            "VERB",
            "AUX",
            "NOUN",
            "CCONJ",
            "SCONJ",
        )
        if doc[i].ent_type_ in ("DATE", "TIME") or doc[i].is_sent_start and common and not coded:
            return None
        i -= 1
    first = i + 1
    if first > last or doc[first].text in ("&", "-"):
        return None
    words = [doc[k] for k in range(first, last + 1)]
    if (
        all(w.lower_ in _LEGAL for w in words)
        or all(w.ent_type_ in ("GPE", "LOC", "NORP") for w in words)
        and len(words) == 1
        and not coded
    ):
        return None  # a place or a nationality alone is not a company
    if doc[first].lower_ == "of":
        return None
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    return Subject(doc.text[start:end], None, "company", start, end, "proper_noun")


def _followed_by_security_code(doc: Doc, i: int) -> bool:
    """Whether token i is followed by a security's instrument code ("<PRTP.PA>"), not an index's
    ("<.FCHI>") or a rate's ("<EUR=>")."""
    if i + 2 >= len(doc) or doc[i + 1].text != "<":
        return False
    code = doc[i + 2].text
    return not code.startswith(".") and "=" not in code and bool(_SECURITY_CODE.match(code))


def continues_line(previous: Span, sent: Span) -> bool:
    """Tell whether `sent` is the rest of a sentence broken by a line break (wire copy, wrapped text)."""
    text = previous.text.rstrip()
    if not text or text[-1] in ".!?:;\"'\u201d)|" or "\n" not in previous.text[-2:]:
        return False
    first = sent.text.lstrip()[:1]
    # a lower-case start goes on with the line above; wire copy in capitals gives no such hint
    return first.islower() or (text.isupper() and sent.text.isupper())


def conjunct_of_figure(word: Token) -> Token | None:
    """Return the name ending at `word` when the parser made it a conjunct of an earlier figure.

    "SMIC slumped 5.3% to HK$71.40 and Hua Hong lost 3.8%", "the DAX closed at 23,614.08 and
    France's CAC 40 gained 1.4%": the second clause's subject hangs on the price or level before
    it, so its verb has no subject of its own. `word` is the token right before that verb; the
    name may end in a number ("CAC 40").
    """
    ent = next((e for e in word.doc.ents if e.start <= word.i < e.end), None)
    tokens = list(ent) if ent is not None and ent.end == word.i + 1 else [word]
    for token in tokens:
        head = token.head
        if (
            token.dep_ == "conj"
            and token.pos_ in ("NOUN", "PROPN")
            and head.i < token.i
            and (head.like_num or head.ent_type_ == "MONEY" or any(c.isdigit() for c in head.text))
        ):
            return token
    return None


# Tokens an aside between two commas spans at most.
_MAX_ASIDE = 20


def aside_opening(doc: Doc, i: int, sent_start: int) -> int | None:
    """The comma that opens an aside when token i is the comma closing it, else None.

    Asides: a relative clause (", which/who/whose ...,", ", in which ...,"), a participle clause
    (", calculated at midsession,") or an apposition after a name (", the market's main AI proxy,").
    """
    if i < 0 or doc[i].text != ",":
        return None
    for j in range(i - 1, max(sent_start, i - _MAX_ASIDE) - 1, -1):
        if doc[j].text in (",", ";", ":"):
            if j + 1 >= i:
                return None
            opening = [t.lower_ for t in doc[j + 1 : min(i, j + 3)]]
            relative = opening[:1] in (["which"], ["who"], ["whose"]) or (
                len(opening) == 2 and doc[j + 1].pos_ == "ADP" and opening[1] in ("which", "whom")
            )
            participle = doc[j + 1].tag_ in ("VBN", "VBG")
            return j if relative or participle or _apposition(doc, j, i) else None
    return None


def _apposition(doc: Doc, opening: int, closing: int) -> bool:
    """ "SoftBank Group, the market's main AI proxy, sliding 4.4%": a noun phrase between two commas
    that the parse hangs on the name before it."""
    if opening < 1 or doc[opening + 1].lower_ not in ("the", "a", "an"):
        return False
    inside = doc[opening + 1 : closing]
    return any(t.dep_ == "appos" and t.head.i < opening and t.head.ent_type_ for t in inside) and not any(
        t.pos_ in ("VERB", "AUX") for t in inside
    )
