"""Start a new sentence after every line break: headlines, bullets and captions are sentences."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("fin_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark the token after a newline as a sentence start (the parser keeps these boundaries)."""
    for token in doc[:-1]:
        if "\n" in token.text or token.whitespace_ == "\n":
            doc[token.i + 1].is_sent_start = True
    return doc
