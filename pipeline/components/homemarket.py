"""Which index a market report means by "the index" when it names none: its sentence's or its home market's.

"The composite index closed at 383.48" in a Seoul report is the Kospi; "In Vancouver, the index
rose 8.6 points" is the Vancouver index. The data (`configs/moves/home_markets.yaml`) lists the
markets with the place words that name them; the resolver asks `HomeMarkets` only for phrases that
name no index (`generic_index`) and, for the article-wide guess, only when nothing was named before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.paths import configs_dir
from pipeline.tally import clear_leader


@dataclass(frozen=True)
class HomeMarket:
    """A market: its index (canonical name, ticker) and the words that name the market."""

    subject: str
    ticker: str | None
    sentence: re.Pattern[str]  # the place word at the end of the text before a phrase
    article: re.Pattern[str]
    tech_index: tuple[str, str | None] | None = None  # "the tech index" there: (name, ticker)


@dataclass(frozen=True)
class HomeMarkets:
    """The markets, the phrases that name no index, and how clear an article's home must be."""

    markets: tuple[HomeMarket, ...]
    generic_index: re.Pattern[str]
    min_hits: int = 2

    def is_generic(self, phrase: str) -> bool:
        """Tell whether a lower-cased subject phrase names an index without saying which."""
        return self.generic_index.fullmatch(phrase) is not None

    def of_sentence(self, before: str) -> HomeMarket | None:
        """Return the market named by place right before a phrase ("In Vancouver, " | "Tokyo's ").

        `before` is the sentence up to the phrase; the place must end it, so "the index was firm
        in Tokyo trade and the index" keeps its antecedent.
        """
        tail = before[-60:]
        named = [m for m in self.markets if m.sentence.search(tail)]
        return named[0] if len(named) == 1 else None

    def of_article(self, text: str) -> HomeMarket | None:
        """Return the market an article covers: named most often, `min_hits` times, clearly ahead."""
        counts = {i: len(m.article.findall(text)) for i, m in enumerate(self.markets)}
        leader = clear_leader(counts, self.min_hits)
        return None if leader is None else self.markets[leader]


# A place word counts for the phrase after it only when it ends the text before the phrase.
_PLACE_END = r"(?:'s|’s)?\s*,?\s*$"


def _regex(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"home_markets.yaml: {where}: bad regex ({exc})") from exc


def parse_home_markets(data: Mapping) -> HomeMarkets:
    """Validate `configs/moves/home_markets.yaml` (as a dict)."""
    markets = []
    for n, item in enumerate(data.get("markets") or ()):
        missing = [key for key in ("subject", "sentence", "article") if not item.get(key)]
        if missing:
            raise ValueError(f"home_markets.yaml: market {n + 1} lacks {missing}")
        markets.append(
            HomeMarket(
                str(item["subject"]),
                item.get("ticker"),
                _regex(f"(?:{item['sentence']}){_PLACE_END}", f"{item['subject']}.sentence"),
                _regex(item["article"], f"{item['subject']}.article"),
                _tech_index(item.get("tech_index")),
            )
        )
    if "generic_index" not in data:
        raise ValueError("home_markets.yaml: `generic_index` is missing")
    generic = _regex(data["generic_index"], "generic_index")
    return HomeMarkets(tuple(markets), generic, int(data.get("min_hits", 2)))


def _tech_index(item: dict[str, Any] | None) -> tuple[str, str | None] | None:
    if not item:
        return None
    if not item.get("subject"):
        raise ValueError(f"home_markets.yaml: tech_index lacks a subject ({item})")
    return str(item["subject"]), item.get("ticker")


@lru_cache(maxsize=2)
def load_home_markets(path: Path | None = None) -> HomeMarkets:
    """Read `configs/moves/home_markets.yaml` (once per process)."""
    path = path or configs_dir() / "moves" / "home_markets.yaml"
    return parse_home_markets(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
