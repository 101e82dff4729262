"""Which dollar an article means by a bare "dlrs": a Sydney report's dollars are Australian.

Wire reports write "10.50 dlrs" for the local dollar and "U.S. Dlrs" when they mean the U.S. one.
`LocalDollars.of_article` returns the currency whose place words an article names most often (the
`local_dollars` section of configs/moves/numbers.yaml), or USD when no dollar market leads. It is
kept apart from the home markets of `homemarket.py` on purpose: the U.S. must compete here (a
Wall Street report that mentions Canada keeps U.S. dollars) and the bar is higher (two mentions),
while "the index" of a Seoul report needs neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline.numbers import NumberMatch, load_number_config
from pipeline.tally import clear_leader

US_DOLLAR = "USD"
_DOLLAR_KEY = "fin_article_dollar"


@dataclass(frozen=True)
class LocalDollars:
    """Dollar currencies with the place words that name their market."""

    markets: tuple[tuple[str, re.Pattern[str]], ...]
    min_hits: int

    def of_article(self, text: str) -> str:
        """Return the dollar a bare "dlrs" means in this article (USD unless a dollar market leads)."""
        return self.leader(text, self.min_hits) or US_DOLLAR

    def leader(self, text: str, min_hits: int) -> str | None:
        """Return the dollar of the market the text names most often (at least `min_hits` times)."""
        counts = {i: len(pattern.findall(text)) for i, (_, pattern) in enumerate(self.markets)}
        leader = clear_leader(counts, min_hits)
        return None if leader is None else self.markets[leader][0]


def parse_local_dollars(section: dict | None) -> LocalDollars:
    """Build the table from the `local_dollars` section (an empty table when it is missing)."""
    section = section or {}
    markets = []
    for n, item in enumerate(section.get("markets") or ()):
        if not item.get("currency") or not item.get("article"):
            raise ValueError(f"numbers.yaml: local_dollars market {n + 1} needs `currency` and `article`")
        markets.append((str(item["currency"]), re.compile(item["article"], re.IGNORECASE)))
    return LocalDollars(tuple(markets), int(section.get("min_hits", 2)))


@lru_cache(maxsize=1)
def local_dollars() -> LocalDollars:
    """Return the table of configs/moves/numbers.yaml (read once per process)."""
    return parse_local_dollars(load_number_config().get("local_dollars"))


def article_dollar(doc: Doc) -> str:
    """Return the dollar a bare "dlrs" means in a doc, worked out once per doc (moves and flows ask)."""
    if _DOLLAR_KEY not in doc.user_data:
        doc.user_data[_DOLLAR_KEY] = local_dollars().of_article(doc.text)
    return doc.user_data[_DOLLAR_KEY]


def paragraph_dollar(text: str, sent: Span, article: str) -> str:
    """Return the dollar a bare "dlrs" means in a sentence of `text` (its doc's text, read once by
    the caller): its paragraph's dollar market when the paragraph names exactly one ("... net
    buyers of 60 mln dlrs of Australian shares"), else the article's."""
    start = text.rfind("\n", 0, sent.start_char) + 1
    end = text.find("\n", sent.start_char + len(sent.text.rstrip()))
    return local_dollars().leader(text[start : end if end >= 0 else len(text)], 1) or article


def with_local_dollar(amounts: list[NumberMatch], article_dollar: str) -> list[NumberMatch]:
    """Return the amounts with a bare "dlrs" read as the article's dollar."""
    return [replace(a, currency=article_dollar) if a.bare_dollar else a for a in amounts]
