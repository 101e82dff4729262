"""Matching rules: when a predicted record counts as a gold record, and how its fields are compared.

Pure functions over plain dicts (gold records as written in the gold files, predicted records as in
`records.jsonl`). The rule, per type (tolerances from `configs/evaluation.yaml`):

- price_move: same subject, same direction, `pct` within 0.051 (and `pct_high` within 0.051 when
  the gold gives one). Same subject means equal tickers when both have one; otherwise the
  normalised names (casefold, punctuation and "the" dropped, abbreviations such as Corporation =
  Corp folded) contain one another, or both are aliases of one hand-curated gazetteer entity.
- index_level: same index (as for price_move subjects) and `level` within 0.011 or 0.01%.
- money_flow: same direction, same currency and `amount` within 1%.
- analyst_view: same institution (normalised, aliases applied; or one name starting the other
  word by word) and same stance.

Within one article and type, pairs are made one-to-one and greedily: of all key-matching pairs the
one that agrees on most other fields (then the smallest numeric distance, then file order) is
taken first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.institutions import read_alias_table
from pipeline.paths import configs_dir

Record = Mapping[str, Any]

_PUNCT = re.compile(r"[^\w&]+", re.UNICODE)
_POSSESSIVE = re.compile(r"['\u2019]s\b")


@dataclass(frozen=True)
class MatchConfig:
    """Tolerances and name normalisation used by the matching rules."""

    pct_abs: float = 0.051
    level_abs: float = 0.011
    level_rel: float = 0.0001
    amount_rel: float = 0.01
    subject_stopwords: frozenset[str] = frozenset({"the"})
    institution_suffixes: frozenset[str] = frozenset()
    institution_aliases: Mapping[str, str] = field(default_factory=dict)
    name_abbreviations: Mapping[str, str] = field(default_factory=dict)
    subject_ids: Mapping[str, str] = field(default_factory=dict)
    ticker_set_excluded_kinds: frozenset[str] = frozenset({"institution", "exchange"})

    @classmethod
    def load(cls, path: Path | None = None) -> MatchConfig:
        """Read `configs/evaluation.yaml` (or another file of the same shape)."""
        path = Path(path or configs_dir() / "evaluation.yaml")
        if not path.exists():
            raise ValueError(f"evaluation config {path} not found")
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        tolerances = data.get("tolerances") or {}
        unknown = set(tolerances) - {"pct_abs", "level_abs", "level_rel", "amount_rel"}
        if unknown:
            raise ValueError(f"{path}: unknown tolerances {sorted(unknown)}")
        base = cls(
            subject_stopwords=frozenset(w.casefold() for w in data.get("subject_stopwords") or ["the"]),
            name_abbreviations={
                str(k).casefold(): str(v).casefold()
                for k, v in (data.get("name_abbreviations") or {}).items()
            },
            institution_suffixes=frozenset(str(w).casefold() for w in data.get("institution_suffixes") or ()),
            ticker_set_excluded_kinds=frozenset(data.get("ticker_set_excluded_kinds") or ()),
            **{k: float(v) for k, v in tolerances.items()},
        )
        aliases = _institution_table(base, data.get("institution_names_from"), path.parent)
        for key, names in (data.get("institution_aliases") or {}).items():
            canonical = base.institution_norm(str(key))
            for name in [key, *(names or [])]:
                aliases[base.institution_norm(str(name))] = canonical
        subject_ids = _subject_ids(base, data.get("subject_names_from"), path.parent)
        return cls(**{**base.__dict__, "institution_aliases": aliases, "subject_ids": subject_ids})

    def subject_norm(self, name: str | None) -> str:
        """Normalise a subject name: `normalise_name`, then abbreviations written out one way
        ("Swiss Bank Corporation" == "Swiss Bank Corp")."""
        words = normalise_name(name, self.subject_stopwords).split()
        return " ".join(self.name_abbreviations.get(w, w) for w in words)

    def institution_norm(self, name: str) -> str:
        """Normalise an institution name: casefold, no punctuation, no legal suffixes."""
        words = normalise_name(name, self.subject_stopwords).split()
        while len(words) > 1 and words[-1] in self.institution_suffixes:
            words.pop()
        return " ".join(words)


def _institution_table(base: MatchConfig, source: Any, config_dir: Path) -> dict[str, str]:
    """Map every name of an institution alias table row (normalised) to its canonical name.

    Two names of one row are the same institution ("Sanford C. Bernstein" and "Bernstein"); a
    name shared by two rows names neither. `institution_aliases` entries are applied after these.
    """
    path = _names_file(source, config_dir, "institution")
    if path is None:
        return {}
    norm = base.institution_norm
    table = read_alias_table(path)
    return _unshared({norm(canonical): [norm(n) for n in names] for canonical, names in table.items()})


def _subject_ids(base: MatchConfig, source: Any, config_dir: Path) -> dict[str, str]:
    """Map every alias of a hand-curated gazetteer entity (normalised) to the entity's id.

    Two names that are aliases of one entity name the same subject ("STOXX 600" and "Stoxx Europe
    600"); an alias shared by two entities names neither.
    """
    path = _names_file(source, config_dir, "subject")
    if path is None:
        return {}
    groups: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        entity = json.loads(line)
        if entity.get("source") != "curated" or entity.get("kind") == "institution":
            continue
        names = {entity["canonical"], *entity.get("aliases", ())}
        groups[entity["id"]] = [base.subject_norm(name) for name in names]
    return _unshared(groups)


def _names_file(source: Any, config_dir: Path, what: str) -> Path | None:
    """The names file an evaluation config points to (relative to its folder), or None."""
    if not source:
        return None
    path = config_dir / str(source)
    if not path.exists():
        raise ValueError(f"evaluation config: {what} names file {path} not found")
    return path


def _unshared(groups: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Map each name to its group's key; a name found in two groups maps to neither."""
    keys: dict[str, str] = {}
    shared: set[str] = set()
    for key, names in groups.items():
        for name in names:
            if name and keys.setdefault(name, key) != key:
                shared.add(name)
    return {name: key for name, key in keys.items() if name not in shared}


_INITIALS = re.compile(r"\b(?:[a-z]\.){2,}")


def normalise_name(text: str | None, stopwords: Iterable[str] = ("the",)) -> str:
    """Casefold a name, drop accents and the dots of initials, turn punctuation into spaces and drop
    stop words ("The Hang-Seng" -> "hang seng", "U.S." -> "us")."""
    if not text:
        return ""
    stop = set(stopwords)
    # accents do not tell names apart ("Société Générale" = "Societe Generale")
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )
    folded = _INITIALS.sub(lambda m: m.group(0).replace(".", ""), folded)  # "U.S." = "US"
    words = _PUNCT.sub(" ", _POSSESSIVE.sub("", folded)).split()
    return " ".join(w for w in words if w not in stop)


def names_match(gold: str | None, pred: str | None, stopwords: Iterable[str] = ("the",)) -> bool:
    """Return True when both names are given and one contains the other (normalised, whole words)."""
    a, b = normalise_name(gold, stopwords), normalise_name(pred, stopwords)
    if not a or not b:
        return False
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def institution_key(name: str | None, config: MatchConfig) -> str:
    """Return the key an institution is compared by (normalised, then alias-resolved)."""
    norm = config.institution_norm(name or "")
    return config.institution_aliases.get(norm, norm)


def same_institution(gold: str | None, pred: str | None, config: MatchConfig) -> bool:
    """Return True when two institution names are the same institution.

    Their keys are equal, or one key starts the other word by word ("Piper Sandler" and "Piper
    Sandler Companies"); containment elsewhere does not count ("Morgan Stanley" is not "Mitsubishi
    UFJ Morgan Stanley Securities").
    """
    a, b = institution_key(gold, config).split(), institution_key(pred, config).split()
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    return longer[: len(shorter)] == shorter


def within_abs(gold: float | None, pred: float | None, tolerance: float) -> bool:
    """Return True when both numbers are given and differ by at most `tolerance`."""
    return gold is not None and pred is not None and abs(float(gold) - float(pred)) <= tolerance


def within_rel(gold: float | None, pred: float | None, tolerance: float) -> bool:
    """Return True when both numbers are given and differ by at most `tolerance` of the gold."""
    if gold is None or pred is None:
        return False
    return abs(float(gold) - float(pred)) <= tolerance * abs(float(gold)) or float(gold) == float(pred)


def same_subject(
    gold_ticker: str | None,
    pred_ticker: str | None,
    gold_name: str | None,
    pred_name: str | None,
    config: MatchConfig,
) -> bool:
    """Equal tickers when both have one, else the same name (see `same_name`)."""
    if gold_ticker and pred_ticker:
        return gold_ticker.casefold() == pred_ticker.casefold()
    return same_name(gold_name, pred_name, config)


def same_name(gold: str | None, pred: str | None, config: MatchConfig) -> bool:
    """Names that contain one another (normalised, abbreviations folded) or that are aliases of one
    gazetteer entity."""
    a, b = config.subject_norm(gold), config.subject_norm(pred)
    if not a or not b:
        return False
    if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    entity = config.subject_ids.get(a)
    return entity is not None and entity == config.subject_ids.get(b)


def _level_close(gold: float | None, pred: float | None, config: MatchConfig) -> bool:
    return within_abs(gold, pred, config.level_abs) or within_rel(gold, pred, config.level_rel)


def _casefold_eq(gold: Any, pred: Any) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return str(gold).casefold() == str(pred).casefold()


def _optional_name(gold: str | None, pred: str | None, config: MatchConfig) -> bool:
    if not gold or not pred:
        return not gold and not pred
    return same_name(gold, pred, config)


def _optional_num(gold: float | None, pred: float | None, close: Callable[[Any, Any], bool]) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return close(gold, pred)


def text_overlap(gold: str | None, pred: str | None) -> float:
    """Share of the shorter text's words found in the other (0 when either is empty)."""
    a, b = set(normalise_name(gold).split()), set(normalise_name(pred).split())
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def key_match(record_type: str, gold: Record, pred: Record, config: MatchConfig) -> bool:
    """Return True when `pred` counts as the gold record (the type's key fields agree)."""
    if record_type == "price_move":
        if not same_subject(
            gold.get("ticker"), pred.get("ticker"), gold.get("subject"), pred.get("subject"), config
        ):
            return False
        if gold.get("direction") != pred.get("direction"):
            return False
        if not within_abs(gold.get("pct"), pred.get("pct"), config.pct_abs):
            return False
        return gold.get("pct_high") is None or within_abs(
            gold["pct_high"], pred.get("pct_high"), config.pct_abs
        )
    if record_type == "index_level":
        return same_subject(
            gold.get("ticker"), pred.get("ticker"), gold.get("index"), pred.get("index"), config
        ) and _level_close(gold.get("level"), pred.get("level"), config)
    if record_type == "money_flow":
        return (
            gold.get("direction") == pred.get("direction")
            and _casefold_eq(gold.get("currency"), pred.get("currency"))
            and within_rel(gold.get("amount"), pred.get("amount"), config.amount_rel)
        )
    if record_type == "analyst_view":
        same = same_institution(gold.get("institution"), pred.get("institution"), config)
        return same and gold.get("stance") == pred.get("stance")
    raise ValueError(f"no matching rule for record type {record_type!r}")


def field_agreement(
    record_type: str, gold: Record, pred: Record, config: MatchConfig
) -> dict[str, bool | None]:
    """Compare the fields of a matched pair; None where neither side gives a value (not counted)."""
    g, p = gold.get, pred.get
    pct = lambda a, b: within_abs(a, b, config.pct_abs)  # noqa: E731
    if record_type == "price_move":
        checks = {
            "subject": (g("subject"), p("subject"), lambda a, b: _optional_name(a, b, config)),
            "ticker": (g("ticker"), p("ticker"), _casefold_eq),
            "direction": (g("direction"), p("direction"), _casefold_eq),
            "pct": (g("pct"), p("pct"), lambda a, b: _optional_num(a, b, pct)),
            "pct_high": (g("pct_high"), p("pct_high"), lambda a, b: _optional_num(a, b, pct)),
            "approx": (g("approx"), p("approx"), _casefold_eq),
            "horizon": (g("horizon"), p("horizon"), _casefold_eq),
            "period_present": (bool(g("period")) or None, bool(p("period")) or None, _casefold_eq),
            "price": (
                g("price"),
                p("price"),
                lambda a, b: _optional_num(a, b, lambda x, y: _level_close(x, y, config)),
            ),
            "currency": (g("currency"), p("currency"), _casefold_eq),
        }
    elif record_type == "index_level":
        checks = {
            "index": (g("index"), p("index"), lambda a, b: _optional_name(a, b, config)),
            "ticker": (g("ticker"), p("ticker"), _casefold_eq),
            "level": (
                g("level"),
                p("level"),
                lambda a, b: _optional_num(a, b, lambda x, y: _level_close(x, y, config)),
            ),
            "pct": (g("pct"), p("pct"), lambda a, b: _optional_num(a, b, pct)),
            "direction": (g("direction"), p("direction"), _casefold_eq),
        }
    elif record_type == "money_flow":
        amount = lambda a, b: within_rel(a, b, config.amount_rel)  # noqa: E731
        checks = {
            "channel": (g("channel"), p("channel"), _casefold_eq),
            "subject": (g("subject"), p("subject"), lambda a, b: _optional_name(a, b, config)),
            "direction": (g("direction"), p("direction"), _casefold_eq),
            "amount": (g("amount"), p("amount"), lambda a, b: _optional_num(a, b, amount)),
            "currency": (g("currency"), p("currency"), _casefold_eq),
            "approx": (g("approx"), p("approx"), _casefold_eq),
            "period_present": (bool(g("period")) or None, bool(p("period")) or None, _casefold_eq),
        }
    elif record_type == "analyst_view":
        inst = lambda a, b: same_institution(a, b, config)  # noqa: E731
        checks = {
            "institution": (g("institution"), p("institution"), lambda a, b: _optional_num(a, b, inst)),
            "analyst": (g("analyst"), p("analyst"), lambda a, b: _optional_name(a, b, config)),
            "stance": (g("stance"), p("stance"), _casefold_eq),
            "target": (g("target"), p("target"), lambda a, b: _optional_name(a, b, config)),
            "claim": (g("claim"), p("claim"), lambda a, b: text_overlap(a, b) >= 0.5),
        }
    else:
        raise ValueError(f"no matching rule for record type {record_type!r}")
    return {
        name: None if (a is None or a == "") and (b is None or b == "") else bool(same(a, b))
        for name, (a, b, same) in checks.items()
    }


def _distance(record_type: str, gold: Record, pred: Record) -> float:
    key = {"price_move": "pct", "index_level": "level", "money_flow": "amount"}.get(record_type)
    if key is None or gold.get(key) is None or pred.get(key) is None:
        return 0.0
    return abs(float(gold[key]) - float(pred[key]))


@dataclass(frozen=True)
class Matching:
    """Result of matching one article's records of one type: pairs and the leftovers."""

    pairs: tuple[tuple[int, int], ...]
    missed: tuple[int, ...]  # gold indexes without a prediction (false negatives)
    spurious: tuple[int, ...]  # prediction indexes without a gold record (false positives)


def match_records(
    record_type: str, gold: Sequence[Record], pred: Sequence[Record], config: MatchConfig
) -> Matching:
    """Pair gold and predicted records of one type one-to-one, greedily, best candidate pair first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if key_match(record_type, g, p, config):
                agreement = sum(1 for v in field_agreement(record_type, g, p, config).values() if v)
                candidates.append((-agreement, _distance(record_type, g, p), gi, pi))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return Matching(
        pairs=tuple(sorted(pairs)),
        missed=tuple(i for i in range(len(gold)) if i not in used_gold),
        spurious=tuple(i for i in range(len(pred)) if i not in used_pred),
    )


def predicted_tickers(records: Iterable[Record], config: MatchConfig) -> set[str]:
    """Return the article's predicted ticker set.

    That is the tickers of mentions (but not of sources such as brokers, see
    `ticker_set_excluded_kinds`) plus those of price_move and index_level records.
    """
    tickers = set()
    for record in records:
        ticker = record.get("ticker")
        if not ticker:
            continue
        kind = record.get("type")
        if kind == "mention" and record.get("entity_kind") not in config.ticker_set_excluded_kinds:
            tickers.add(ticker)
        elif kind in {"price_move", "index_level"}:
            tickers.add(ticker)
    return tickers
