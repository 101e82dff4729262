"""Sentence boundaries the layout decides: every line break starts a sentence (headlines, bullets and
captions are sentences), a bullet stays with its line, and no sentence starts inside an instrument
code ("<SIEGn.DE>") or inside a name the gazetteer found ("Capital | Economics expects ...")."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.layout import BULLETS

# Tokens an instrument code spans at most ("<", "SIEGn.", "DE", ">").
_MAX_CODE_TOKENS = 6


@Language.component("fin_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark the token after a newline as a sentence start and the inside of a code as none (the
    parser keeps these boundaries)."""
    for token in doc[:-1]:
        if "\n" in token.text or token.whitespace_ == "\n":
            doc[token.i + 1].is_sent_start = True
            bullet = doc[token.i + 1]
            if bullet.text in BULLETS and bullet.i + 1 < len(doc) and "\n" not in bullet.whitespace_:
                doc[bullet.i + 1].is_sent_start = False  # "- Overweight: insurers" is one line
    for entity in doc.ents:  # the gazetteer's names (it runs first)
        for token in entity[1:]:
            if not token.is_sent_start:
                token.is_sent_start = False
    for token in doc:
        if token.text == "<" and not token.whitespace_:
            _join_code(doc, token.i)
    return doc


def _join_code(doc: Doc, opening: int) -> None:
    """Keep "<SIEGn.DE>" in one sentence: the tokens after "<" up to its ">" start none."""
    for i in range(opening + 1, min(len(doc), opening + _MAX_CODE_TOKENS)):
        if doc[i - 1].whitespace_:
            return  # not a code: codes have no spaces
        doc[i].is_sent_start = False
        if doc[i].text.endswith(">"):
            return
