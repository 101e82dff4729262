"""The narrative label set and labelling-function specs, read from `configs/narratives.yaml`."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from pipeline.paths import configs_dir

#: Labels the output contract fixes; a config may add labels but never drop these.
CONTRACT_LABELS: tuple[str, ...] = ("ai_hype", "policy_fear", "safe_haven_rotation", "capital_flows")


def default_config_path() -> Path:
    """Return the shipped label config, `configs/narratives.yaml`."""
    return configs_dir() / "narratives.yaml"


class LabelSpec(BaseModel):
    """One narrative label: its name, the definition and prototype sentences for zero-shot."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str
    prototypes: tuple[str, ...] = ()


class LFSpec(BaseModel):
    """A keyword/regex labelling function that votes for or against one label."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    label: str
    vote: Literal["positive", "negative"]
    patterns: tuple[str, ...]
    context: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check_regexes(self) -> LFSpec:
        if not self.patterns:
            raise ValueError(f"labelling function {self.id!r}: give at least one entry under `patterns`")
        for field in ("patterns", "context", "unless"):
            for pattern in getattr(self, field):
                try:
                    re.compile(pattern, re.IGNORECASE)
                except re.error as exc:
                    raise ValueError(
                        f"labelling function {self.id!r}: {field} regex {pattern!r} does not compile: {exc}"
                    ) from exc
        return self


class NarrativeConfig(BaseModel):
    """The whole narrative config: label set plus labelling functions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    labels: tuple[LabelSpec, ...]
    labelling_functions: tuple[LFSpec, ...] = ()

    @property
    def label_names(self) -> list[str]:
        """Label names in config order (this order is the model's output order)."""
        return [spec.name for spec in self.labels]

    @model_validator(mode="after")
    def _check_consistency(self) -> NarrativeConfig:
        names = self.label_names
        if len(set(names)) != len(names):
            raise ValueError(f"narrative labels must be unique, got {names}")
        missing = [name for name in CONTRACT_LABELS if name not in names]
        if missing:
            raise ValueError(f"narrative config must keep the contract labels; missing {missing}")
        ids = [lf.id for lf in self.labelling_functions]
        if len(set(ids)) != len(ids):
            raise ValueError("labelling function ids must be unique")
        for lf in self.labelling_functions:
            if lf.label not in names:
                raise ValueError(
                    f"labelling function {lf.id!r} votes for unknown label {lf.label!r}; "
                    f"add it under `labels` or use one of {names}"
                )
        return self


def load_narrative_config(path: Path | None = None) -> NarrativeConfig:
    """Read and validate the narrative config (default `configs/narratives.yaml`)."""
    path = Path(path) if path is not None else default_config_path()
    if not path.is_file():
        raise ValueError(f"narrative config not found at {path}; pass the path of a narratives.yaml")
    return _load_cached(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load_cached(path: Path, _mtime_ns: int) -> NarrativeConfig:
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict):
        raise ValueError(f"{path} must hold a mapping with `labels` and `labelling_functions`")
    return NarrativeConfig.model_validate(raw)


def check_labels(labels: list[str] | tuple[str, ...], known: list[str], where: str) -> list[str]:
    """Return `labels` as a list, raising ValueError naming `where` if one is not in `known`."""
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise ValueError(f"{where}: unknown narrative label(s) {unknown}; known labels are {known}")
    return list(labels)
