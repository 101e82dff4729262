"""Collapse repeated statements of one fact (headline, summary bullet, body) into its first statement.

Two hits state the same fact when their type-specific keys agree; see `same_fact`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.hits import Hit

PCT_TOLERANCE = 0.05
LEVEL_TOLERANCE = 0.01
AMOUNT_REL_TOLERANCE = 0.005


def _norm(value: Any) -> str:
    return str(value or "").casefold().strip()


def _subject_key(fields: Mapping[str, Any], name_field: str) -> str:
    return _norm(fields.get("ticker")) or _norm(fields.get(name_field))


def _magnitudes_compatible(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Equal within tolerance, or one statement's range contains the other's value."""
    a_low, b_low = a.get("pct"), b.get("pct")
    if a_low is None or b_low is None:
        return a_low is None and b_low is None
    a_high = a.get("pct_high") or a_low
    b_high = b.get("pct_high") or b_low
    if abs(a_low - b_low) <= PCT_TOLERANCE and abs(a_high - b_high) <= PCT_TOLERANCE:
        return True
    return (a_low - PCT_TOLERANCE <= b_low and b_high <= a_high + PCT_TOLERANCE) or (
        b_low - PCT_TOLERANCE <= a_low and a_high <= b_high + PCT_TOLERANCE
    )


def _horizons_compatible(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    ha, hb = a.get("horizon"), b.get("horizon")
    if ha is None or hb is None:
        return True
    if ha == "period" or hb == "period":
        return ha == hb and _norm(a.get("period")) == _norm(b.get("period"))
    return ha == hb


def _targets_compatible(a: str | None, b: str | None) -> bool:
    """Two views' targets may be one: unknown, or sharing a word ("Hong Kong stocks" and "Hong Kong
    tech stocks"); "insurers" and "property developers" are two views of one house."""
    if not a or not b:
        return True
    return bool(set(_norm(a).split()) & set(_norm(b).split()))


def same_fact(a: Hit, b: Hit) -> bool:
    """Return True when two hits of one article state the same fact."""
    if a.type != b.type:
        return False
    fa, fb = a.fields, b.fields
    if a.type == "mention":
        return _norm(fa.get("ticker") or fa.get("canonical")) == _norm(
            fb.get("ticker") or fb.get("canonical")
        )
    if a.type == "price_move":
        return (
            _subject_key(fa, "subject") == _subject_key(fb, "subject")
            and fa.get("direction") == fb.get("direction")
            and _horizons_compatible(fa, fb)
            and _magnitudes_compatible(fa, fb)
        )
    if a.type == "index_level":
        return (
            _subject_key(fa, "index") == _subject_key(fb, "index")
            and abs(float(fa["level"]) - float(fb["level"])) <= LEVEL_TOLERANCE
        )
    if a.type == "money_flow":
        amount_a, amount_b = float(fa["amount"]), float(fb["amount"])
        return (
            fa.get("direction") == fb.get("direction")
            and _norm(fa.get("currency")) == _norm(fb.get("currency"))
            and abs(amount_a - amount_b) <= AMOUNT_REL_TOLERANCE * max(amount_a, amount_b)
        )
    if a.type == "analyst_view":
        return (
            _norm(fa.get("institution")) == _norm(fb.get("institution"))
            and _norm(fa.get("analyst")) == _norm(fb.get("analyst"))
            and fa.get("stance") == fb.get("stance")
            and _targets_compatible(fa.get("target"), fb.get("target"))
        )
    return a.start == b.start and a.end == b.end and dict(fa) == dict(fb)


def dedupe_hits(hits: Iterable[Hit]) -> list[Hit]:
    """Keep the first statement of every fact, in text order."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        if not any(same_fact(previous, hit) for previous in kept):
            kept.append(hit)
    return kept
