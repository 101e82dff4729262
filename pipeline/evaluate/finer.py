"""Peer benchmark: organisation, person and location recognition on FiNER-ORD.

FiNER-ORD (gtfintechlab, CC BY-NC 4.0, research use) is read at run time from the shared data
folder (`labelled/finer_ord/<split>_docs.jsonl`: one document per line, its `text` a sentence per
line, `entities` [{start, end, label, text}] with labels ORG, PER, LOC); it is never copied.

Scoring is entity-level and strict (as seqeval's strict mode): a predicted entity counts only when
its start, end and label all equal a gold entity's. Whole documents are processed.
Two systems are compared: the stock spaCy model, and the finnews pipeline whose gazetteer labels
COMPANY/INSTITUTION/EXCHANGE/FUND/INDEX count as ORG. Published reference: RoBERTa-large fine-tuned
on FiNER-ORD reaches about 0.75 entity-level F1.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.evaluate.metrics import Counts, set_counts
from pipeline.paths import shared_data_dir

FINER_LABELS = ("ORG", "PER", "LOC")
STOCK_MAP: Mapping[str, str] = {"ORG": "ORG", "PERSON": "PER", "GPE": "LOC", "LOC": "LOC"}
FINNEWS_MAP: Mapping[str, str] = {
    **STOCK_MAP,
    "COMPANY": "ORG",
    "INSTITUTION": "ORG",
    "EXCHANGE": "ORG",
    "FUND": "ORG",
    "INDEX": "ORG",
}
REFERENCE = "RoBERTa-large fine-tuned on FiNER-ORD: about 0.75 entity-level F1 (published)"

Span = tuple[int, int, str]


def finer_path(split: str = "test", data_dir: Path | None = None) -> Path:
    """Return the FiNER-ORD documents file of a split in the shared data folder."""
    if split not in {"train", "val", "test"}:
        raise ValueError(f"unknown FiNER-ORD split {split!r}; use train, val or test")
    path = (data_dir or shared_data_dir()) / "labelled" / "finer_ord" / f"{split}_docs.jsonl"
    if not path.exists():
        raise ValueError(f"{path} not found; set FINNEWS_SHARED_DATA to the shared data folder")
    return path


def load_finer(path: Path) -> list[dict[str, Any]]:
    """Read the documents: [{text, entities: [{start, end, label, text}]}]."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gold_spans(doc: Mapping[str, Any]) -> set[Span]:
    """Return the gold entities of one document as (start, end, label)."""
    return {(int(e["start"]), int(e["end"]), str(e["label"])) for e in doc["entities"]}


def map_entities(ents: Iterable[tuple[int, int, str]], mapping: Mapping[str, str]) -> set[Span]:
    """Keep entities whose label maps to a FiNER-ORD label, relabelled; drop the others."""
    return {(start, end, mapping[label]) for start, end, label in ents if label in mapping}


def score_spans(gold: Sequence[set[Span]], pred: Sequence[set[Span]]) -> dict[str, Counts]:
    """Strict entity-level counts per label and pooled ("micro") over documents."""
    counts = {label: Counts() for label in FINER_LABELS}
    for g, p in zip(gold, pred, strict=True):
        for label in FINER_LABELS:
            counts[label].add(set_counts({s for s in g if s[2] == label}, {s for s in p if s[2] == label}))
    micro = Counts()
    for label in FINER_LABELS:
        micro.add(counts[label])
    return {**counts, "micro": micro}


def predict_entities(nlp: Any, texts: Sequence[str], mapping: Mapping[str, str]) -> list[set[Span]]:
    """Run a spaCy pipeline over the texts; return its mapped entities per text."""
    return [
        map_entities(((e.start_char, e.end_char, e.label_) for e in doc.ents), mapping)
        for doc in nlp.pipe(texts, batch_size=8)
    ]


def run_finer(split: str = "test", data_dir: Path | None = None) -> dict[str, Any]:
    """Score the stock model and the finnews pipeline on a FiNER-ORD split; return a JSON-ready dict."""
    import spacy

    from pipeline.nlp import load_pipeline_config, shared_nlp

    docs = load_finer(finer_path(split, data_dir))
    texts = [d["text"] for d in docs]
    gold = [gold_spans(d) for d in docs]
    systems = {}
    for name, loader, mapping in (
        ("stock", lambda: spacy.load(load_pipeline_config()["model"]), STOCK_MAP),
        ("finnews", shared_nlp, FINNEWS_MAP),
    ):
        started = time.perf_counter()
        pred = predict_entities(loader(), texts, mapping)
        scores = score_spans(gold, pred)
        systems[name] = {
            "labels": {label: counts.as_dict() for label, counts in scores.items()},
            "seconds": round(time.perf_counter() - started, 1),
        }
    return {
        "benchmark": f"FiNER-ORD {split}",
        "documents": len(docs),
        "entities": sum(len(g) for g in gold),
        "scoring": "entity-level, strict: exact start, end and label (seqeval strict style)",
        "mapping": {"stock": dict(STOCK_MAP), "finnews": dict(FINNEWS_MAP)},
        "reference": REFERENCE,
        "systems": systems,
    }


def render_finer(result: Mapping[str, Any]) -> str:
    """Side-by-side table of the two systems, per label and micro."""
    names = list(result["systems"])
    lines = [
        f"{result['benchmark']}: {result['documents']} documents, {result['entities']} gold entities",
        f"scoring: {result['scoring']}",
        "mapping finnews: gazetteer COMPANY/INSTITUTION/EXCHANGE/FUND/INDEX -> ORG; "
        "PERSON -> PER; GPE/LOC -> LOC",
        f"{'label':<7}" + "".join(f"{n + ' F1 (P/R)':>24}" for n in names),
    ]
    for label in (*FINER_LABELS, "micro"):
        cells = []
        for n in names:
            c = result["systems"][n]["labels"][label]
            cells.append(f"{c['f1']:.3f} ({c['precision']:.3f}/{c['recall']:.3f})".rjust(24))
        lines.append(f"{label:<7}" + "".join(cells))
    lines.append(f"reference: {result['reference']}")
    return "\n".join(lines)
