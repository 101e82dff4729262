"""Choose which listing of a dual-listed company a record's ticker names, from the text around it.

Alibaba is `9988.HK` in a Hong Kong close report and `BABA` in a Wall Street one; CATL is `3750.HK`
or `300750.SZ`. The gazetteer gives one default ticker per entity; this step, run where hits become
records, switches it when the sentence names a venue ("US-listed", "A-shares", a price in yuan) or,
failing that, when the article covers one market. Data: `configs/gazetteer/listings.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.hits import Hit
from pipeline.paths import configs_dir
from pipeline.tally import clear_leader


def venue_of(ticker: str) -> str | None:
    """Return the market a Yahoo-style ticker trades in: HK, CN, TW, US (no suffix), else None."""
    if ticker.startswith("^"):
        return None
    suffix = ticker.rpartition(".")[2] if "." in ticker else ""
    return {"HK": "HK", "SS": "CN", "SZ": "CN", "TW": "TW", "": "US"}.get(suffix)


@dataclass(frozen=True)
class ListingRules:
    """Other listings per default ticker, and the cue patterns per venue."""

    listings: Mapping[str, Mapping[str, str]]
    sentence_cues: Mapping[str, re.Pattern[str]]
    article_cues: Mapping[str, re.Pattern[str]]
    article_min_hits: int = 2

    def sentence_venue(self, sentence: str) -> str | None:
        """Return the one venue a sentence names, or None when it names none or several."""
        named = {venue for venue, pattern in self.sentence_cues.items() if pattern.search(sentence)}
        return named.pop() if len(named) == 1 else None

    def article_venue(self, text: str) -> str | None:
        """Return the market an article covers: the venue its cues name most, if clearly ahead."""
        counts = {venue: len(pattern.findall(text)) for venue, pattern in self.article_cues.items()}
        return clear_leader(counts, self.article_min_hits)

    def coded_listing(self, ticker: str, sentence: str) -> str | None:
        """Return the listing whose code the sentence gives in brackets ("KE Holdings (2423 HK)",
        "CATL (300750 CH)", "Alibaba (BABA US)"), when it gives exactly one of the company's."""
        candidates = [ticker, *self.listings.get(ticker, {}).values()]
        named = [c for c in candidates if _code_pattern(c).search(sentence)]
        return named[0] if len(named) == 1 else None

    def listing(self, ticker: str, sentence_venue: str | None, article_venue: str | None) -> str:
        """Return the ticker of the listing the context implies (else the default ticker)."""
        others = self.listings.get(ticker)
        if not others:
            return ticker
        for venue in (sentence_venue, article_venue):
            if venue is None:
                continue
            if venue == venue_of(ticker):
                return ticker
            if venue in others:
                return others[venue]
        return ticker


CODE_LOOKBACK = 40  # characters before a hit searched for its company's bracketed code
CODE_LOOKAHEAD = 16  # characters after it ("KE Holdings (2423 HK)": the code follows the name)
_SENTENCE_END = re.compile(r"[.!?;]\s")


def _around(text: str, hit: Hit) -> str:
    """The hit's text with a few characters either side, never across a sentence end: where a
    bracketed listing code that belongs to it stands ("Alibaba (9988 HK) +2.7%")."""
    before = text[max(0, hit.start - CODE_LOOKBACK) : hit.start]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    after = text[hit.end : hit.end + CODE_LOOKAHEAD]
    stop = _SENTENCE_END.search(after)
    return before + text[hit.start : hit.end] + (after[: stop.start()] if stop else after)

# How notes write a listing code after a name, per venue: "(2423 HK)", "(2423.HK)", "(300750 CH)".
_CODE_SUFFIXES = {
    "HK": r"(?:\.HK|\s?HK)",
    "SS": r"(?:\.SS|\.SH|\s?CH|\s?C1)",
    "SZ": r"(?:\.SZ|\s?CH|\s?C2)",
    "TW": r"(?:\.TW|\s?TT)",
}


@lru_cache(maxsize=1024)
def _code_pattern(ticker: str) -> re.Pattern[str]:
    """The bracketed code of one listing as notes write it after the name."""
    code, _, suffix = ticker.partition(".")
    if suffix in _CODE_SUFFIXES:
        body = rf"0*{re.escape(code.lstrip('0'))}{_CODE_SUFFIXES[suffix]}"
    else:  # a US symbol, share class included: "(BABA US)", "(BABA.N)", "(BABA)"
        body = rf"{re.escape(ticker)}(?:\s?US|\.[NO])?"
    return re.compile(rf"\(\s*{body}\s*\)")


def _cues(data: Mapping, section: str) -> dict[str, re.Pattern[str]]:
    """One case-insensitive alternation per venue of a cue section."""
    cues = {}
    for venue, patterns in (data.get(section) or {}).items():
        try:
            cues[venue] = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"{section}.{venue}: bad regex ({exc})") from exc
    return cues


def parse_rules(data: Mapping) -> ListingRules:
    """Validate the listings config (`configs/gazetteer/listings.yaml` as a dict)."""
    listings: dict[str, dict[str, str]] = {}
    for ticker, others in (data.get("listings") or {}).items():
        for venue, other in dict(others).items():
            if venue_of(str(other)) != venue:
                raise ValueError(f"listings: {ticker} -> {venue}: {other} is not a {venue} ticker")
        listings[str(ticker)] = {str(v): str(t) for v, t in dict(others).items()}
    sentence, article = _cues(data, "sentence_cues"), _cues(data, "article_cues")
    return ListingRules(listings, sentence, article, int(data.get("article_min_hits", 2)))


@lru_cache(maxsize=4)
def load_rules(path: Path | None = None) -> ListingRules:
    """Read the listings config (default `configs/gazetteer/listings.yaml`)."""
    path = path or configs_dir() / "gazetteer" / "listings.yaml"
    return parse_rules(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def choose_listings(
    text: str,
    hits: Sequence[Hit],
    sentence_of: Callable[[int, int], tuple[int, int]],
    rules: ListingRules | None = None,
) -> list[Hit]:
    """Return the hits with each dual-listed ticker switched to the listing its context implies.

    `sentence_of(start, end)` gives the character bounds of the sentence that holds a hit.
    """
    rules = rules or load_rules()
    if not any(hit.fields.get("ticker") in rules.listings for hit in hits):
        return list(hits)
    article = rules.article_venue(text)
    out = []
    for hit in hits:
        ticker = hit.fields.get("ticker")
        if ticker in rules.listings:
            lo, hi = sentence_of(hit.start, hit.end)
            sentence = text[lo:hi]
            chosen = rules.coded_listing(ticker, _around(text, hit)) or rules.listing(
                ticker, rules.sentence_venue(sentence), article
            )
            if chosen != ticker:
                hit = replace(hit, fields={**hit.fields, "ticker": chosen})
        out.append(hit)
    return out
