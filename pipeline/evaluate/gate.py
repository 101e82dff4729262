"""The evaluation gate: F1 floors per split, record type, tickers and narratives, tied to a gold hash.

`tests/eval_floors.json` holds `{"gold_sha256": ..., "floors": {split: {name: f1}}}`. The tests fail
when a figure drops below its floor or when the gold files changed since the floors were pinned.
Pinning rounds the current figures down to 0.01 and never lowers a floor unless told to.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.evaluate.report import summary_rows
from pipeline.paths import repo_root

GATED_ROWS = (
    "price_move",
    "index_level",
    "money_flow",
    "analyst_view",
    "tickers",
    "narratives_sentence",
    "narratives_article",
)
EPSILON = 1e-9


def default_floors_path() -> Path:
    """Return `tests/eval_floors.json`."""
    return repo_root() / "tests" / "eval_floors.json"


def floor_down(value: float) -> float:
    """Round down to 0.01 (0.8779 -> 0.87; 0.87 stays 0.87)."""
    return math.floor(value * 100 + EPSILON) / 100


def current_figures(report: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """F1 per split and gated row, for rows with gold support in that split."""
    figures: dict[str, dict[str, float]] = {}
    for name, cells in summary_rows(report):
        if name not in GATED_ROWS:
            continue
        for split, section in cells.items():
            if section["tp"] + section["fn"] > 0:
                figures.setdefault(split, {})[name] = float(section["f1"])
    return figures


def read_floors(path: Path) -> dict[str, Any]:
    """Read the floors file; an absent file is an empty one."""
    if not path.exists():
        return {"gold_sha256": None, "floors": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    if "floors" not in data:
        raise ValueError(f"{path}: no 'floors' key; re-pin with `finnews eval --pin-floors`")
    return data


@dataclass
class GateResult:
    """Outcome of checking the floors against a report."""

    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    hash_changed: str | None = None

    @property
    def ok(self) -> bool:
        """True when no figure fell below its floor and the gold hash is the pinned one."""
        return not self.failures and self.hash_changed is None


def check_floors(
    report: Mapping[str, Any], floors: Mapping[str, Any], rows: tuple[str, ...] = GATED_ROWS
) -> GateResult:
    """Compare the report's figures with the pinned floors (only `rows`)."""
    result = GateResult()
    pinned_hash, current_hash = floors.get("gold_sha256"), report["gold"]["sha256"]
    if pinned_hash != current_hash:
        result.hash_changed = (
            f"the gold files changed since the floors were pinned (pinned {str(pinned_hash)[:12]}, "
            f"now {current_hash[:12]}): re-run `finnews eval --pin-floors` (add --allow-lower if a "
            "figure fell because of the new gold) and commit tests/eval_floors.json"
        )
    figures = current_figures(report)
    for split, split_floors in floors.get("floors", {}).items():
        for name, floor in split_floors.items():
            if name not in rows:
                continue
            value = figures.get(split, {}).get(name)
            if value is None:
                result.skipped.append(f"{split}/{name} (not measured)")
            elif value + EPSILON < float(floor):
                result.failures.append(
                    f"{split}/{name}: F1 {value:.4f} is below its floor {float(floor):.2f}"
                )
    return result


def pin_floors(
    report: Mapping[str, Any], old: Mapping[str, Any], allow_lower: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """Return the new floors file content and a list of changes; refuse to lower a floor unless allowed.

    Floors that cannot be measured now (e.g. narratives without a trained model) are kept.
    """
    figures = current_figures(report)
    old_floors = old.get("floors", {})
    new: dict[str, dict[str, float]] = {}
    changes: list[str] = []
    lowered: list[str] = []
    order = {"dev": 0, "test": 1, "all": 2}
    for split in sorted(set(figures) | set(old_floors), key=lambda s: (order.get(s, 3), s)):
        merged = dict(old_floors.get(split, {}))
        for name, value in figures.get(split, {}).items():
            floor = floor_down(value)
            previous = merged.get(name)
            if previous is not None and floor + EPSILON < float(previous):
                lowered.append(f"{split}/{name}: {float(previous):.2f} -> {floor:.2f}")
            if previous is None or abs(floor - float(previous)) > EPSILON:
                changes.append(f"{split}/{name}: {previous if previous is not None else '-'} -> {floor:.2f}")
            merged[name] = floor
        new[split] = {name: merged[name] for name in GATED_ROWS if name in merged}
    if lowered and not allow_lower:
        raise ValueError(
            "refusing to lower floors (" + "; ".join(lowered) + "); pass --allow-lower if intended"
        )
    note = "F1 floors per split; re-pin: `finnews eval --pin-floors` (lowering needs --allow-lower)"
    return {"note": note, "gold_sha256": report["gold"]["sha256"], "floors": new}, changes
