"""Public offices whose holders speak for an institution (`configs/views/offices.yaml`).

"Treasury Secretary James Baker said ..." is a view of the U.S. Treasury, "Japanese Finance
Minister Kiichi Miyazawa said ..." one of the Japan Finance Ministry: the office, not a firm,
names the institution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from pipeline.paths import configs_dir


@dataclass(frozen=True)
class Office:
    """One office: its pattern over a source phrase and the institution it speaks for."""

    pattern: re.Pattern[str]
    institution: str
    us_only: bool = False


class OfficeTable:
    """Find the institution an office names in a source phrase."""

    def __init__(self, offices: list[Office], countries: dict[str, str]) -> None:
        self.offices = offices
        self.countries = countries

    def institution(self, phrase: str) -> str | None:
        """Return the institution of the first office of the table that `phrase` names, else None."""
        phrase = phrase.replace("\u2019", "'")
        for office in self.offices:
            match = office.pattern.search(phrase)
            if match is None or (office.us_only and self._other_country(phrase[: match.start()])):
                continue
            country = match.groupdict().get("country")
            if country is None:
                return office.institution
            return office.institution.replace("{country}", self.countries[country.lower()])
        return None

    def _other_country(self, text: str) -> bool:
        words = f" {text.lower()} "
        return any(f" {c} " in words for c, name in self.countries.items() if name != "U.S.")


def parse_offices(data: dict) -> OfficeTable:
    """Build the office table from the parsed YAML; raise ValueError on a malformed entry."""
    where = "configs/views/offices.yaml"
    countries = {str(k).lower(): str(v) for k, v in (data.get("countries") or {}).items()}
    alternatives = "|".join(re.escape(c) for c in sorted(countries, key=len, reverse=True))
    offices = []
    for entry in data.get("offices") or ():
        if not isinstance(entry, dict) or "pattern" not in entry or "institution" not in entry:
            raise ValueError(f"{where}: an office needs pattern and institution: {entry!r}")
        pattern = str(entry["pattern"])
        if "{country}" in pattern:
            if not countries:
                raise ValueError(f"{where}: {pattern!r} uses {{country}} but `countries` is empty")
            pattern = pattern.replace("{country}", f"(?P<country>{alternatives})")
        compiled = re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
        offices.append(Office(compiled, str(entry["institution"]), bool(entry.get("us_only", False))))
    return OfficeTable(offices, countries)


@lru_cache(maxsize=1)
def load_offices() -> OfficeTable:
    """Load `configs/views/offices.yaml` (cached)."""
    path = configs_dir() / "views" / "offices.yaml"
    return parse_offices(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
