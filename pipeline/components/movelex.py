"""The vocabulary of moves, levels and flows, read once from `configs/moves/`.

`MoveLexicon` holds the word lists of `configs/moves/lexicon.yaml` as frozen sets; `load_patterns`
reads a JSONL file of Matcher/DependencyMatcher patterns and expands `"@name"` placeholders into
the lexicon's word lists, so that patterns stay short and the words live in one place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.components.mood import UnrealWords
from pipeline.paths import configs_dir
from pipeline.wordlists import word_set

MOVES_DIR = "moves"


def _words(values: Any) -> frozenset[str]:
    return word_set(values, "configs/moves/lexicon.yaml: a word list")


@dataclass(frozen=True)
class GenericMarket:
    """A national market named generically and the benchmark index it resolves to."""

    pattern: re.Pattern[str]
    subject: str
    ticker: str | None
    yield_to_named_index: bool = False


@dataclass(frozen=True)
class MoveLexicon:
    """Word lists for directions, horizons, subjects and exclusions (see configs/moves/lexicon.yaml)."""

    directions: Mapping[str, str]
    move_verbs: frozenset[str]
    move_adverbs: frozenset[str]
    move_nouns: frozenset[str]
    neutral_verbs: frozenset[str]
    causative_verbs: frozenset[str]
    share_verbs: frozenset[str]
    limit_nouns: frozenset[str]
    close_verbs: frozenset[str]
    extend_verbs: frozenset[str]
    noun_subject_preps: frozenset[str]
    not_price_subjects: frozenset[str]
    stock_price_indices: tuple[str, ...]
    group_heads: frozenset[str]
    stock_words: frozenset[str]
    index_heads: frozenset[str]
    coref_index: frozenset[str]
    coref_company: frozenset[str]
    # "the chip gauge": a topic word before an index word and what the earlier index's name holds
    index_topics: Mapping[str, str]
    benchmarks: tuple[str, ...]
    generic_markets: tuple[GenericMarket, ...]
    commodities: frozenset[str]
    commodity_names: dict[str, str]
    currencies: Mapping[str, str]
    member_preps: frozenset[str]
    stop_prefixes: tuple[str, ...]
    unreal: UnrealWords = UnrealWords(frozenset(), frozenset(), frozenset())
    extra_indices: tuple[tuple[re.Pattern[str], str], ...] = ()
    single_word_groups: frozenset[str] = frozenset()
    derivative_heads: frozenset[str] = frozenset()
    clause_subordinators: frozenset[str] = frozenset()  # "as" read as a preposition before a clause
    left_level_preps: frozenset[str] = frozenset()  # "from the record close": a level left behind
    index_plain_words: frozenset[str] = frozenset()
    forecast_nouns: frozenset[str] = frozenset()
    market_nouns: frozenset[str] = frozenset()
    reach_verbs: frozenset[str] = frozenset()
    extreme_nouns: frozenset[str] = frozenset()
    session_words: frozenset[str] = frozenset()
    reversed_particles: frozenset[str] = frozenset()

    def direction(self, word: str, kinds: tuple[str, ...] = ("verbs", "adverbs", "nouns")) -> str | None:
        """Return "up", "down" or "flat" for a move word (any form), else None."""
        word = word.casefold()
        direction = self.directions.get(word)
        if direction is None:
            return None
        allowed = set()
        if "verbs" in kinds:
            allowed |= self.move_verbs
        if "adverbs" in kinds:
            allowed |= self.move_adverbs
        if "nouns" in kinds:
            allowed |= self.move_nouns
        return direction if word in allowed else None

    def placeholders(self) -> dict[str, list[str]]:
        """Word lists that pattern files may reference as "@name"."""
        return {
            "move_any": sorted(self.move_verbs | self.move_adverbs | self.move_nouns),
            "move_verbs": sorted(self.move_verbs),
            "move_adverbs": sorted(self.move_adverbs),
            "move_nouns": sorted(self.move_nouns),
            "neutral_verbs": sorted(self.neutral_verbs),
            "causative_verbs": sorted(self.causative_verbs),
            "close_verbs": sorted(self.close_verbs),
            "extend_verbs": sorted(self.extend_verbs),
            "limit_nouns": sorted(self.limit_nouns),
            "flat_words": sorted(w for w, d in self.directions.items() if d == "flat"),
        }


def load_lexicon(path: Path | None = None) -> MoveLexicon:
    """Read and check `configs/moves/lexicon.yaml`."""
    path = Path(path or configs_dir() / MOVES_DIR / "lexicon.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    required = ("move_words", "neutral_verbs", "close_verbs", "not_price_subjects", "coreference")
    missing = [key for key in required if key not in data]
    if missing:
        raise ValueError(
            f"{path}: missing sections {missing}; see the comments in configs/moves/lexicon.yaml"
        )
    directions: dict[str, str] = {}
    verbs: set[str] = set()
    adverbs: set[str] = set()
    nouns: set[str] = set()
    for direction, groups in data["move_words"].items():
        if direction not in ("up", "down", "flat"):
            raise ValueError(f"{path}: move_words direction {direction!r} is not up, down or flat")
        for kind, words in (groups or {}).items():
            target = {"verbs": verbs, "adverbs": adverbs, "nouns": nouns}.get(kind)
            if target is None:
                raise ValueError(f"{path}: move_words.{direction}.{kind} must be verbs, adverbs or nouns")
            for word in _words(words):
                if directions.get(word, direction) != direction:
                    raise ValueError(f"{path}: {word!r} is listed for two directions")
                directions[word] = direction
                target.add(word)
    uses_nouns = any("{market}" in m["pattern"] for m in data.get("generic_markets") or ())
    if uses_nouns and not data.get("market_nouns"):
        raise ValueError(f"{path}: generic_markets use {{market}} but `market_nouns` is missing or empty")
    market_nouns = (
        "(?:"
        + "|".join(re.escape(n) for n in sorted(_words(data.get("market_nouns")), key=len, reverse=True))
        + ")"
    )
    markets = tuple(
        GenericMarket(
            re.compile(rf"^(?:{m['pattern'].replace('{market}', market_nouns)})$", re.IGNORECASE),
            m["subject"],
            m.get("ticker"),
            bool(m.get("yield_to_named_index", False)),
        )
        for m in data.get("generic_markets") or ()
    )
    coref = data["coreference"]
    return MoveLexicon(
        directions=directions,
        move_verbs=frozenset(verbs),
        move_adverbs=frozenset(adverbs),
        move_nouns=frozenset(nouns),
        neutral_verbs=_words(data["neutral_verbs"]),
        causative_verbs=_words(data.get("causative_verbs")),
        share_verbs=_words(data.get("share_verbs")),
        limit_nouns=_words(data.get("limit_nouns")),
        close_verbs=_words(data["close_verbs"]),
        extend_verbs=_words(data.get("extend_verbs")),
        noun_subject_preps=_words(data.get("noun_subject_preps")),
        not_price_subjects=_words(data["not_price_subjects"]),
        stock_price_indices=tuple(str(w).lower() for w in data.get("stock_price_indices") or ()),
        group_heads=_words(data.get("group_heads")),
        stock_words=_words(data.get("stock_words")),
        index_heads=_words(data.get("index_heads")),
        coref_index=_words(coref.get("index")),
        coref_company=_words(coref.get("company")),
        index_topics={str(k).lower(): str(v).lower() for k, v in (coref.get("index_topics") or {}).items()},
        benchmarks=tuple(data.get("benchmarks") or ()),
        generic_markets=markets,
        commodities=_words(data.get("commodities")),
        commodity_names={str(k).lower(): str(v) for k, v in (data.get("commodity_names") or {}).items()},
        currencies={k.casefold(): v for k, v in (data.get("currencies") or {}).items()},
        member_preps=_words(data.get("member_preps")),
        single_word_groups=_words(data.get("single_word_groups")),
        derivative_heads=_words(data.get("derivative_heads")),
        clause_subordinators=_words(data.get("clause_subordinators")),
        left_level_preps=_words(data.get("left_level_preps")),
        index_plain_words=_words(data.get("index_plain_words")),
        forecast_nouns=_words(data.get("forecast_nouns")),
        market_nouns=_words(data.get("market_nouns")),
        reach_verbs=_words(data.get("reach_verbs")),
        extreme_nouns=_words(data.get("extreme_nouns")),
        session_words=_words(data.get("session_words")),
        reversed_particles=_words(data.get("reversed_particles")),
        extra_indices=tuple(
            (re.compile(rf"^(?:{item['pattern']})$"), item["name"])
            for item in data.get("extra_indices") or ()
        ),
        stop_prefixes=tuple(
            sorted(
                (str(p).casefold() for p in data.get("subject_stop_prefixes") or ()), key=len, reverse=True
            )
        ),
        unreal=UnrealWords.from_config(data.get("unreal")),
    )


@lru_cache(maxsize=1)
def shared_lexicon() -> MoveLexicon:
    """Return the lexicon of `configs/moves/lexicon.yaml` (read once per process)."""
    return load_lexicon()


def _expand(value: Any, lists: Mapping[str, list[str]], where: str) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        if value[1:] not in lists:
            raise ValueError(f"{where}: unknown word list {value!r}; known: {sorted(lists)}")
        return lists[value[1:]]
    if isinstance(value, dict):
        return {k: _expand(v, lists, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, lists, where) for v in value]
    return value


def load_patterns(name: str, lists: Mapping[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """Read `configs/moves/<name>` (JSONL; one pattern per line with a stable `id`), placeholders expanded."""
    path = configs_dir() / MOVES_DIR / name
    lists = lists if lists is not None else shared_lexicon().placeholders()
    patterns: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not valid JSON ({error})") from error
        pattern_id = record.get("id")
        if not pattern_id or "pattern" not in record:
            raise ValueError(f"{path}:{number}: every pattern needs an `id` and a `pattern`")
        if pattern_id in seen:
            raise ValueError(f"{path}:{number}: duplicate pattern id {pattern_id!r}")
        seen.add(pattern_id)
        record["pattern"] = _expand(record["pattern"], lists, f"{path}:{number}")
        patterns.append(record)
    return patterns
