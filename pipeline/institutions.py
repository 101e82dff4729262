"""Resolve the organisation behind a view to its canonical short name.

Two sources, in this order: `configs/views/institutions.tsv` (this extractor's own aliases) and
the gazetteer knowledge base (entities of kind `institution`; other kinds only when a caller asks
for them). A name neither knows keeps its surface form without legal suffixes ("Sutro Group Inc"
-> "Sutro Group"). News outlets (configs/views/attribution.yaml) are recognised so that callers can
refuse them as sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.gazetteer import KnowledgeBase, normalize_alias
from pipeline.paths import configs_dir

_BRACKETS = re.compile(r"[<>]")
_PARENS = re.compile(r"\([^)]*\)")
_TRIM = " ,.;:'\"“”‘’()-"


@dataclass(frozen=True)
class Resolution:
    """A resolved organisation: canonical short name and how it was found."""

    canonical: str
    how: str  # "views_alias", "kb:<id>" or "surface"
    kind: str = "institution"


def views_dir() -> Path:
    """Return the folder of the analyst-view rule data."""
    return configs_dir() / "views"


def read_alias_table(path: Path) -> dict[str, tuple[str, ...]]:
    """Read `canonical<TAB>alias|alias` rows (header and `#` comments skipped)."""
    table: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line.startswith("canonical\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip():
            raise ValueError(f"{path}:{number}: expected 'canonical<TAB>alias|alias', got {line!r}")
        canonical = parts[0].strip()
        aliases = tuple(a.strip() for a in parts[1].split("|") if a.strip())
        table[canonical] = (canonical, *aliases)
    return table


def short_name(surface: str, suffixes: Iterable[str] = ()) -> str:
    """Return an organisation's name as written, without brackets, "the" and trailing legal suffixes."""
    text = " ".join(_PARENS.sub(" ", _BRACKETS.sub(" ", surface)).split()).strip(_TRIM) or surface.strip(
        _TRIM
    )
    lowered = {s.casefold().rstrip(".") for s in suffixes}
    words = text.split()
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in (2, 1):
            tail = " ".join(w.strip(",.") for w in words[-n:]).casefold()
            if len(words) > n and tail in lowered:
                words = words[:-n]
                while len(words) > 1 and words[-1].strip(",") in {"&", "and", ""}:
                    words = words[:-1]
                changed = True
                break
    return " ".join(words).strip(_TRIM)


class InstitutionResolver:
    """Alias table + knowledge base lookup for the sources of views."""

    def __init__(
        self,
        table: dict[str, tuple[str, ...]],
        kb: KnowledgeBase | None,
        outlets: Iterable[str],
        suffixes: Iterable[str] = (),
    ) -> None:
        self.table = table
        self.kb = kb
        self.suffixes = tuple(suffixes)
        self._by_key: dict[str, str] = {}
        for canonical, aliases in table.items():
            for alias in aliases:
                key = normalize_alias(alias)
                if key:
                    self._by_key.setdefault(key, canonical)
        self._outlets = {normalize_alias(o) for o in outlets}

    @classmethod
    def load(cls) -> InstitutionResolver:
        """Load the alias table, the outlet list and (when built) the gazetteer knowledge base."""
        return _load_default()

    def surface_aliases(self) -> list[str]:
        """Return every alias worth matching in text: the table's and the KB institutions'."""
        names = {alias for aliases in self.table.values() for alias in aliases}
        if self.kb is not None:
            for entity in self.kb:
                if entity.kind == "institution":
                    names.update(self.kb.aliases(entity.id))
        return sorted(n for n in names if n and not n.isspace())

    def is_outlet(self, name: str) -> bool:
        """True when the name is a news outlet (a source of news, never of views)."""
        key = normalize_alias(_BRACKETS.sub(" ", name))
        return bool(key) and key in self._outlets

    def resolve(self, name: str, kinds: tuple[str, ...] = ("institution",)) -> Resolution | None:
        """Return the canonical short name for a known organisation, else None."""
        cleaned = short_name(name, self.suffixes)
        key = normalize_alias(cleaned)
        if not key or key in self._outlets:
            return None
        if key in self._by_key:
            return Resolution(self._by_key[key], "views_alias")
        if self.kb is not None:
            entity = self.kb.lookup(cleaned)
            if entity is not None and entity.kind in kinds:
                canonical = self._by_key.get(normalize_alias(entity.canonical), entity.canonical)
                return Resolution(canonical, f"kb:{entity.id}", entity.kind)
        return None

    def canonical(self, name: str) -> Resolution:
        """Resolve an institution; any other organisation keeps its surface form without legal
        suffixes (the knowledge base's official company names are not the short names views use).
        """
        found = self.resolve(name)
        return found or Resolution(short_name(name, self.suffixes), "surface", "unknown")


def _try_kb() -> KnowledgeBase | None:
    try:
        return KnowledgeBase.load()
    except ValueError:
        # The gazetteer is optional for views: without it the alias table alone resolves sources.
        return None


@lru_cache(maxsize=1)
def _load_default() -> InstitutionResolver:
    config = yaml.safe_load((views_dir() / "attribution.yaml").read_text(encoding="utf-8"))
    table = read_alias_table(views_dir() / "institutions.tsv")
    return InstitutionResolver(
        table, _try_kb(), config.get("news_outlets", []), config.get("legal_suffixes", [])
    )
