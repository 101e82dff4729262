"""Pure parsers for the numbers of market reports: percentages, amounts of money, index levels.

Every surface form (percent units, scale words, currency symbols and words, qualifier cues) is data
in `configs/moves/numbers.yaml`. The parsers never raise on odd input: they return `None`.

- `parse_percent("about 4–6%")` -> `Percent(4.0, 6.0, "about")`
- `parse_amount("HK$900 million")` -> `(900000000.0, "HKD")`
- `parse_level("22,579.05")` -> `22579.05`
- `parse_qualifier("nearly")` -> `"under"`

The `find_*` functions scan a text and return every match with its character offsets, for the
extractor components to anchor on parsed tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.paths import configs_dir

NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:(?:-|\s)\d{1,2}/\d{1,2})?|\d{1,2}/\d{1,2}|\.\d+"
# "and" separates a range only after "between" (a conditional group on the `between` match).
# a dash with space before it and none after is a sign ("17,590.33 -0.18%"), not a range
RANGE_SEPARATORS = (
    r"(?:(?:\s+[\u2013\u2014\u2012-]\s+|[\u2013\u2014\u2012-]\s*)|\s+to\s+|(?(between)\s+and\s+|(?!)))"
)
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"


@dataclass(frozen=True)
class Percent:
    """A percentage: its value, the upper end of a range (or None) and the qualifier's approx."""

    value: float
    high: float | None = None
    approx: str = "exact"


@dataclass(frozen=True)
class NumberMatch:
    """A number found in a text: character span, parsed value(s) and where the digits start."""

    start: int
    end: int
    value: float
    high: float | None = None
    approx: str = "exact"
    currency: str | None = None
    number_start: int = 0
    unit: str = ""
    bare_dollar: bool = False  # "dlrs"/"dollars" with no country: the article's own dollar may be meant

    def shifted(self, offset: int) -> NumberMatch:
        """Return the same number with its offsets moved by `offset` (sentence to document offsets)."""
        return replace(
            self, start=self.start + offset, end=self.end + offset, number_start=self.number_start + offset
        )


def _alternation(words: list[str]) -> str:
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@dataclass(frozen=True)
class _Grammar:
    words: dict[str, float]
    qualifiers: dict[str, str]
    scales: dict[str, float]
    prefixes: dict[str, str]
    suffixes: dict[str, str]
    bare_dollars: frozenset[str]
    percent: re.Pattern[str]
    basis_points: re.Pattern[str]
    amount: re.Pattern[str]
    qualifier: re.Pattern[str]
    level: re.Pattern[str]


def load_number_config(path: Path | None = None) -> dict[str, Any]:
    """Read the number vocabulary (units, scales, currencies, qualifiers) from YAML."""
    path = path or configs_dir() / "moves" / "numbers.yaml"
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for key in ("percent_units", "scales", "currency_prefixes", "currency_suffixes", "qualifiers"):
        if key not in data:
            raise ValueError(f"{path}: missing section {key!r}; see configs/moves/numbers.yaml")
    return data


def _word_end(pattern: str) -> str:
    return rf"(?:{pattern})(?![A-Za-z0-9])"


def _prefix_pattern(prefix: str, exact_case: bool) -> str:
    """A currency prefix as a regex: a word prefix ("HKD", "Rs") may not end a longer word ("Soars 3%")."""
    pattern = re.escape(prefix)
    if exact_case:
        pattern = f"(?-i:{pattern})"
    return rf"(?<![A-Za-z]){pattern}" if prefix[:1].isalpha() else pattern


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    data = load_number_config()
    qualifiers = {
        phrase.casefold(): approx for approx, phrases in data["qualifiers"].items() for phrase in phrases
    }
    words = {str(k).casefold(): float(v) for k, v in (data.get("number_words") or {}).items()}
    number = rf"(?:{NUMBER}|(?<![A-Za-z])(?:{_alternation(list(words))})(?![A-Za-z]))" if words else NUMBER
    qual = _alternation(list(qualifiers))
    # A qualifier is a word sequence ("more than") or a symbol ("~"); words need a boundary before.
    qual_re = rf"(?:(?<![A-Za-z])(?:{qual}))"
    unit = _word_end(_alternation(data["percent_units"]))
    percent = re.compile(
        rf"(?:(?P<qual>{qual_re})\s*)?(?:(?P<between>between)\s+(?:(?P<qual2>{qual_re})\s*)?)?"
        rf"(?P<low>{number})(?:\s*(?:{unit}))?"
        rf"(?:{RANGE_SEPARATORS}(?:(?P<qual3>{qual_re})\s*)?(?P<high>{number}))?"
        rf"\s*(?P<unit>{unit})",
        re.IGNORECASE,
    )
    bp_unit = _word_end(_alternation(data.get("basis_point_units", [])))
    basis_points = re.compile(
        rf"(?:(?P<qual>{qual_re})\s*)?(?P<low>{NUMBER})\s*(?P<unit>{bp_unit})", re.IGNORECASE
    )
    scales = {k.casefold(): float(v) for k, v in data["scales"].items()}
    glued = {s.casefold() for s in data.get("glued_only_scales", [])}
    spaced_scales = _alternation([s for s in scales if s not in glued])
    glued_scales = _alternation(list(scales))
    prefixes = dict(data["currency_prefixes"])
    suffixes = {k.casefold(): v for k, v in data["currency_suffixes"].items()}
    exact_case = set(data.get("case_sensitive") or ())
    prefix_re = "|".join(_prefix_pattern(p, p in exact_case) for p in sorted(prefixes, key=len, reverse=True))
    amount = re.compile(
        rf"(?:(?P<qual>{qual_re})\s*)?(?:(?P<prefix>{prefix_re})\s?)?(?P<num>{number})"
        rf"(?:(?P<glued>{_word_end(glued_scales)})|\s+(?P<scale>{_word_end(spaced_scales)}))?"
        rf"(?:\s+(?P<suffix>{_word_end(_alternation(list(suffixes)))}))?",
        re.IGNORECASE,
    )
    level = re.compile(rf"(?P<num>{NUMBER})(?:\s*(?:points|pts|point))?", re.IGNORECASE)
    return _Grammar(
        words=words,
        qualifiers=qualifiers,
        scales=scales,
        prefixes=prefixes,
        suffixes=suffixes,
        bare_dollars=frozenset(str(w).casefold() for w in data.get("bare_dollar_words") or ()),
        percent=percent,
        basis_points=basis_points,
        amount=amount,
        qualifier=re.compile(rf"^\s*(?:{qual})(?![A-Za-z])", re.IGNORECASE),
        level=level,
    )


def _normalise(text: str) -> str:
    """Unify dashes and spaces so that offsets stay the same (one character for one character)."""
    table = {ord(c): "\u2013" for c in _DASHES}
    table[0x00A0] = " "
    table[0x202F] = " "
    return text.translate(table)


def parse_number(text: str) -> float | None:
    """Parse "22,579.05", "3.5", "1-1/2" or "3/4" into a float; None when it is not a number."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    spelled = _grammar().words.get(re.sub(r"\s+", " ", text.casefold()))
    if spelled is not None:
        return spelled
    if not re.fullmatch(NUMBER, text):
        return None
    whole, _, fraction = re.sub(r"(\d)[-\s](\d{1,2}/)", r"\1 \2", text).partition(" ")
    if "/" in whole and not fraction:
        whole, fraction = "0", whole
    try:
        value = float(whole.replace(",", "")) if whole else 0.0
        if fraction:
            num, den = fraction.split("/")
            if float(den) == 0:
                return None
            value += float(num) / float(den)
    except ValueError:
        return None
    return value


def parse_qualifier(text: str) -> str | None:
    """Return the `approx` value of a qualifier cue ("nearly" -> "under") at the start of text, else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    grammar = _grammar()
    match = grammar.qualifier.match(_normalise(text))
    if match is None:
        return None
    phrase = re.sub(r"\s+", " ", match.group(0).strip()).casefold()
    return grammar.qualifiers.get(phrase)


def _qualifier_value(*phrases: str | None) -> str:
    for phrase in phrases:
        if phrase:
            approx = parse_qualifier(phrase)
            if approx:
                return approx
    return "exact"


def _percent_from_match(match: re.Match[str]) -> Percent | None:
    low = parse_number(match.group("low"))
    high = parse_number(match.group("high")) if match.group("high") else None
    if low is None:
        return None
    if high is not None and high <= low:
        # "2-1" is not a range; keep the first number only when the second does not extend it.
        high = None
    approx = _qualifier_value(match.group("qual"), match.group("qual2"), match.group("qual3"))
    return Percent(low, high, approx)


def parse_percent(text: str) -> Percent | None:
    """Parse a whole percentage expression ("3.51%", "nearly 3 pct", "between 4 and 6 per cent")."""
    if not isinstance(text, str):
        return None
    match = _grammar().percent.fullmatch(_normalise(text).strip())
    return _percent_from_match(match) if match else None


def find_percents(text: str) -> list[NumberMatch]:
    """Return every percentage expression in text with its offsets (qualifier included)."""
    if not isinstance(text, str):
        return []
    found = []
    normalised = _normalise(text)
    for match in _grammar().percent.finditer(normalised):
        percent = _percent_from_match(match)
        if percent is None:
            continue
        if percent.high is not None and _FROM_BEFORE.search(normalised, 0, match.start()):
            # "from 5% to 6%" states two values, not a range: keep the first, rescan the rest.
            found.extend(_split_from_to(normalised, match))
            continue
        found.append(
            NumberMatch(
                match.start(),
                match.end(),
                percent.value,
                percent.high,
                percent.approx,
                number_start=match.start("low"),
                unit=match.group("unit"),
            )
        )
    return found


_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.IGNORECASE)


def _split_from_to(text: str, match: re.Match[str]) -> list[NumberMatch]:
    low_end = match.end("low")
    unit = re.match(r"\s*[^\s\d]+", text[low_end : match.start("high")])
    found = []
    for number_start, end, group in (
        (match.start("low"), low_end + (len(unit.group(0)) if unit else 0), "low"),
        (match.start("high"), match.end(), "high"),
    ):
        value = parse_number(match.group(group))
        if value is not None:
            found.append(
                NumberMatch(
                    number_start,
                    end,
                    value,
                    None,
                    "exact",
                    number_start=number_start,
                    unit=match.group("unit"),
                )
            )
    return found


def find_basis_points(text: str) -> list[NumberMatch]:
    """Return every basis-point expression as a percentage ("50 basis points" -> 0.5)."""
    if not isinstance(text, str):
        return []
    found = []
    for match in _grammar().basis_points.finditer(_normalise(text)):
        value = parse_number(match.group("low"))
        if value is None:
            continue
        approx = _qualifier_value(match.group("qual"))
        found.append(
            NumberMatch(
                match.start(),
                match.end(),
                value / 100.0,
                None,
                approx,
                number_start=match.start("low"),
                unit=match.group("unit"),
            )
        )
    return found


def _amount_from_match(match: re.Match[str]) -> NumberMatch | None:
    grammar = _grammar()
    prefix, suffix = match.group("prefix"), match.group("suffix")
    if not prefix and not suffix:
        return None
    value = parse_number(match.group("num"))
    if value is None:
        return None
    scale_word = match.group("glued") or match.group("scale")
    if scale_word:
        # round away float noise: 259.4 * 1e6 is 259399999.99999997
        value = round(value * grammar.scales[re.sub(r"\s+", " ", scale_word).casefold()], 4)
    currency = grammar.prefixes.get(prefix) if prefix else None
    if currency is None and prefix:
        currency = grammar.prefixes.get(prefix.upper())
    suffix_key = re.sub(r"\s+", " ", suffix).casefold() if suffix else ""
    if suffix:
        currency = currency or grammar.suffixes.get(suffix_key)
    return NumberMatch(
        match.start(),
        match.end(),
        value,
        None,
        _qualifier_value(match.group("qual")),
        currency=currency,
        number_start=match.start("num"),
        unit=scale_word or "",
        bare_dollar=not prefix and suffix_key in grammar.bare_dollars,
    )


def parse_amount(text: str) -> tuple[float, str | None] | None:
    """Parse an amount of money ("HK$900 million", "500 mln dlrs") into (value in units, ISO 4217)."""
    if not isinstance(text, str):
        return None
    match = _grammar().amount.fullmatch(_normalise(text).strip())
    if match is None:
        return None
    amount = _amount_from_match(match)
    return (amount.value, amount.currency) if amount else None


def find_amounts(text: str) -> list[NumberMatch]:
    """Return every amount of money in text (a currency is required) with its offsets."""
    if not isinstance(text, str):
        return []
    found = []
    for match in _grammar().amount.finditer(_normalise(text)):
        amount = _amount_from_match(match)
        if amount is not None:
            found.append(amount)
    return found


def parse_level(text: str) -> float | None:
    """Parse an index level ("22,579.05", "3346.72 points") into a float; None if it is not one."""
    if not isinstance(text, str):
        return None
    match = _grammar().level.fullmatch(_normalise(text).strip())
    if match is None:
        return None
    return parse_number(match.group("num"))
