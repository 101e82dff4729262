"""Lists of names written before a move word: "A <A.N>, B Inc and C fell 2%".

The parser often mangles such lists (instrument codes in angle brackets, legal suffixes, names it
does not know), so the list is read from the tokens: names are runs of capitalised words (or words
inside a linked entity), separated by commas, "and" and instrument codes; anything else ends the list.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from pipeline.components.subjects import Subject, entity_subject

# Words allowed between the end of a list and its move word ("... and C were also down 2%").
BRIDGE_WORDS = frozenset(
    {
        "were",
        "was",
        "have",
        "has",
        "had",
        "are",
        "is",
        "also",
        "all",
        "each",
        "both",
        "shares",
        "stock",
        "stocks",
        "'s",
        "together",
        "respectively",
        "last",
    }
)
SEPARATORS = frozenset({",", "and"})
# Words that end a company's name after "and" ("Deere and Co", "Smith and Sons").
_NAME_ENDINGS = frozenset({"co", "co.", "company", "sons", "partners", "associates"})
NOT_NAME_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "CARDINAL", "ORDINAL", "QUANTITY"})


def _linked_spans(sent: Span) -> dict[int, Span]:
    """Token index -> linked entity span covering it."""
    spans = {}
    for ent in sent.ents:
        if entity_subject(ent) is not None:
            for i in range(ent.start, ent.end):
                spans[i] = ent
    return spans


def _skip_code(doc: Doc, i: int, start: int) -> int:
    """From a ">" step left over an instrument code "<TSLA.O>"; return the index before "<" (or i - 1)."""
    j = i
    while j >= start and doc[j].text != "<" and i - j < 4:
        j -= 1
    # no "<" close by: step over the ">" alone (returning i would loop forever)
    return j - 1 if j >= start and doc[j].text == "<" else i - 1


def _is_name_token(token: Token, linked: dict[int, Span]) -> bool:
    if token.i in linked:
        return True
    text = token.text
    if token.ent_type_ in NOT_NAME_LABELS or any(ch.isdigit() for ch in text) and not text[:1].isupper():
        return False
    return (
        text[:1].isupper() or text in ("&", "-", ".", "'s") or (text[:1].isdigit() and token.i - 1 in linked)
    )


def joins_one_name(token: Token) -> bool:
    """Whether "and" joins the words of one name NER reads ("Pohang Iron and Steel", "Texas Oil and
    Gas"): inside an organisation or person entity, before the one capitalised word that ends it.
    Two names NER runs together ("Northern Star Resources and Evolution Mining") stay two."""
    doc = token.doc
    if token.lower_ not in ("and", "&") or not 0 < token.i < len(doc) - 1:
        return False
    if doc[token.i + 1].lower_ in _NAME_ENDINGS and doc[token.i - 1].text[:1].isupper():
        return True  # "Deere and Co", "Smith and Sons"
    if token.ent_iob_ != "I" or token.ent_type_ not in ("ORG", "PERSON"):
        return False
    last = doc[token.i + 1]
    ends_entity = last.i + 1 == len(doc) or doc[last.i + 1].ent_iob_ != "I"
    return last.ent_iob_ == "I" and last.text[:1].isupper() and ends_entity


def name_list_before(end: Token) -> list[tuple[int, int]]:
    """Token ranges [start, end) of the names of a list that ends right before `end`.

    Returns [] unless at least two names separated by commas, "and" or instrument codes are found.
    """
    doc, sent = end.doc, end.sent
    linked = _linked_spans(sent)
    i = end.i - 1
    while i >= sent.start and (doc[i].lower_ in BRIDGE_WORDS or doc[i].text == ">"):
        i = _skip_code(doc, i, sent.start) if doc[i].text == ">" else i - 1
    names: list[tuple[int, int]] = []
    current_end: int | None = None
    separators = 0

    def close(at: int) -> None:
        nonlocal current_end
        if current_end is not None:
            first = at + 1
            while first < current_end and doc[first].is_stop and first not in linked:
                first += 1  # "The Hang Seng Index": drop a leading determiner
            if first < current_end:
                names.append((first, current_end))
            current_end = None

    while i >= sent.start:
        token = doc[i]
        if token.text == ">":
            close(i)
            separators += 1
            i = _skip_code(doc, i, sent.start)
            continue
        if token.text in SEPARATORS and i not in linked and not joins_one_name(token):
            close(i)
            separators += 1
            i -= 1
            continue
        if _is_name_token(token, linked) and not (token.is_sent_start and token.is_stop):
            if current_end is None:
                current_end = i + 1
            i -= 1
            continue
        break
    close(i)
    names.reverse()
    if len(names) < 2 or separators < 1:
        return []
    if i >= sent.start and doc[i].pos_ == "ADP" and doc[i].lower_ not in ("including", "like", "as"):
        return []  # "the funds of A and B rose": the list is not what moved
    return names


_MARKET_WORDS = frozenset({"stocks", "shares", "market", "bourse", "equities"})


def list_subjects(end: Token) -> list[Subject]:
    """Subjects of the names listed right before `end`: linked entities, or the names as written."""
    doc, sent = end.doc, end.sent
    linked = _linked_spans(sent)
    subjects: list[Subject] = []
    names = name_list_before(end)
    # instrument codes or a linked name make it a list of securities even where NER sees places
    securities = any(i in linked for first, last in names for i in range(first, last)) or any(
        doc[last].text == "<" for _, last in names if last < len(doc)
    )
    for first, last in names:
        ent = next((linked[i] for i in range(first, last) if i in linked), None)
        if ent is not None:
            subject = entity_subject(ent)
        else:
            words = doc[first:last]
            if words.text.isupper() and any(t.lower_ in _MARKET_WORDS for t in words):
                continue  # a wire headline in capitals: "LONDON STOCKS CLOSE FIRMER, FT-SE UP 3.1 PCT"
            if all(t.is_stop for t in words) or (
                not securities and all(t.ent_type_ in ("GPE", "NORP", "LOC") for t in words)
            ):
                return []  # "Japan and Korea fell": places, not a list of companies
            subject = Subject(words.text, None, "company", words.start_char, words.end_char, "proper_noun")
        if subject is not None and all(subject.key != s.key for s in subjects):
            subjects.append(subject)
    return subjects
