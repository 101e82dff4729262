"""Build the finnews spaCy pipeline from `configs/pipeline.yaml`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.attrs import ORTH
from spacy.language import Language

import pipeline.components  # noqa: F401  (registers the component factories)
from pipeline.paths import configs_dir


def load_pipeline_config(path: Path | None = None) -> dict[str, Any]:
    """Read the pipeline settings (model name, gazetteer file, extractor order)."""
    path = path or configs_dir() / "pipeline.yaml"
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def build_nlp(config: dict[str, Any] | None = None) -> Language:
    """Return the stock English model extended with the gazetteer and the finnews extractors."""
    config = config or load_pipeline_config()
    nlp = spacy.load(config["model"])
    for word in config.get("whole_words") or ():
        nlp.tokenizer.add_special_case(word, [{ORTH: word}])
    nlp.add_pipe("fin_line_breaks", before="parser")
    patterns_file = configs_dir() / config["gazetteer_patterns"]
    if not patterns_file.exists():
        raise ValueError(f"gazetteer patterns not found at {patterns_file}; run scripts/build_gazetteer.py")
    # First in the pipeline: loading phrase patterns runs every earlier component over them, and
    # only the tokenizer is needed. The statistical NER (later) keeps the entities set here.
    ruler = nlp.add_pipe("fin_gazetteer_ruler", name="fin_gazetteer", first=True)
    ruler.from_disk(patterns_file)
    for name in config["extractors"]:
        nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """Return one pipeline per process (building it takes seconds)."""
    return build_nlp()
