"""The vocabulary of money flows, read once from `configs/moves/flows.yaml`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.components.movelex import MOVES_DIR
from pipeline.paths import configs_dir
from pipeline.wordlists import word_set


@dataclass(frozen=True)
class CueGroup:
    """A group of phrases with a stable id and the value it stands for."""

    id: str
    value: str
    phrases: tuple[str, ...]
    strong: bool = True
    # a verb that moves money only into something: "put HK$1.5 billion into the ETF", not "put options"
    needs_into: bool = False


@dataclass(frozen=True)
class FlowLexicon:
    """Channels, directions, exclusions and markets of `configs/moves/flows.yaml`."""

    channels: tuple[CueGroup, ...]
    directions: tuple[CueGroup, ...]
    not_flow: tuple[str, ...]
    investor_words: frozenset[str]
    markets: tuple[tuple[re.Pattern[str], str], ...]
    subject_preps: frozenset[str]
    # trade verbs whose amount marked "net" is a net trade ("bought shares worth a net Rs 2,348 crore")
    net_trades: dict[str, str] = field(default_factory=dict)


def load_flow_lexicon(path: Path | None = None) -> FlowLexicon:
    """Read and check `configs/moves/flows.yaml`."""
    path = Path(path or configs_dir() / MOVES_DIR / "flows.yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for key in ("channels", "directions", "not_flow"):
        if key not in data:
            raise ValueError(f"{path}: missing section {key!r}")

    def groups(items: list[dict[str, Any]], value_key: str) -> tuple[CueGroup, ...]:
        out = []
        for item in items:
            if "id" not in item or value_key not in item:
                raise ValueError(f"{path}: every entry needs `id` and `{value_key}` ({item})")
            out.append(
                CueGroup(
                    item["id"],
                    item[value_key],
                    tuple(str(p) for p in item.get("phrases", ())),
                    bool(item.get("strong", True)),
                    bool(item.get("needs_into", False)),
                )
            )
        return tuple(out)

    return FlowLexicon(
        channels=groups(data["channels"], "channel"),
        directions=groups(data["directions"], "direction"),
        not_flow=tuple(str(p).casefold() for p in data["not_flow"]),
        investor_words=word_set(data.get("investor_words"), "flows.yaml: investor_words"),
        markets=tuple(
            (re.compile(rf"^(?:{m['pattern']})$", re.IGNORECASE), m["subject"])
            for m in data.get("markets") or ()
        ),
        subject_preps=word_set(data.get("subject_preps"), "flows.yaml: subject_preps"),
        net_trades={str(k).casefold(): str(v) for k, v in (data.get("net_trades") or {}).items()},
    )


@lru_cache(maxsize=1)
def shared_flow_lexicon() -> FlowLexicon:
    """Return the flow vocabulary (read once per process)."""
    return load_flow_lexicon()


@dataclass(frozen=True)
class Cue:
    """A matched cue phrase: token range, group id and value."""

    start: int
    end: int
    group: CueGroup
