"""Training data for the narrative classifier: gold, written and weak sentences.

Each row is tagged with its label origin and loaded into a `datasets.DatasetDict` with a
fixed-seed dev slice.

- `gold`: sentences of the gold `dev` split (`corpus/gold/dev/*.json`); the `test` split is never
  read for training, only its source ids and sentence texts are used to keep them *out*.
- `written`: sentences written for the project (`corpus/narratives/written.jsonl`).
- `weak`: public sentences (Reuters-21578, FinEntity, Financial PhraseBank) read at training time
  from the shared data folder and labelled by the labelling functions (`weak.py`); never copied.
"""

from __future__ import annotations

import json
import random
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from datasets import Dataset, DatasetDict, Features, List, Value, concatenate_datasets

from pipeline.narratives.labels import check_labels
from pipeline.narratives.weak import WeakLabeller
from pipeline.paths import shared_data_dir

ORIGINS = ("gold", "written", "weak")
FEATURES = Features(
    {
        "text": Value("string"),
        "labels": List(Value("string")),
        "origin": Value("string"),
        "source": Value("string"),
    }
)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")
_TOKENISED_PUNCT = re.compile(r" ([.,;:%?!)'])(?=\s|$)|(\() ")


def split_sentences(text: str) -> list[str]:
    """Split plain newswire text into sentences (line breaks are whitespace; ends at `.!?`)."""
    flat = re.sub(r"\s+", " ", text).strip()
    return [s.strip() for s in _SENTENCE_END.split(flat) if s.strip()]


def normalise_sentence(text: str) -> str:
    """Collapse whitespace and undo PhraseBank-style spaces before punctuation."""
    flat = re.sub(r"\s+", " ", text).strip()
    return _TOKENISED_PUNCT.sub(lambda m: m.group(1) or m.group(2), flat)


def _usable(sentence: str) -> bool:
    """Skip fragments and number tables (Reuters `Shr 1.23 vs 1.10` lines) as training rows."""
    words = sentence.split()
    if not 6 <= len(words) <= 70:
        return False
    letters = sum(ch.isalpha() for ch in sentence)
    return letters / max(len(sentence), 1) > 0.6


def _row(text: str, labels: list[str], origin: str, source: str) -> dict:
    return {"text": text, "labels": sorted(labels), "origin": origin, "source": source}


# --------------------------------------------------------------------------- gold


def load_gold_sentences(
    split_dir: Path, labels: list[str] | None = None, shared_dir: Path | None = None
) -> list[dict]:
    """Read every sentence of the gold files in `split_dir` as rows with origin `gold`.

    Sentences given by offsets (research-only sources such as Reuters) are cut from the article
    text read from the shared data folder; an article whose text cannot be read is skipped with a
    warning. Whitespace is collapsed, as the evaluation does.
    """
    from pipeline.evaluate.corpus import article_text, parse_gold

    rows: list[dict] = []
    for path in sorted(Path(split_dir).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        source = doc.get("source") or {}
        try:
            gold = parse_gold(doc, str(path), lambda src=source: article_text(src, data_dir=shared_dir))
        except ValueError as exc:
            warnings.warn(f"skipping gold file {path.name}: {exc}", stacklevel=2)
            continue
        for i, sentence in enumerate(gold.sentences):
            text = " ".join(sentence.text.split())
            if not text:
                continue
            if labels is not None:
                check_labels(sentence.narratives, labels, f"{path.name} sentence {i}")
            rows.append(_row(text, list(sentence.narratives), "gold", gold.article_id))
    return rows


@dataclass(frozen=True)
class HeldOut:
    """What must stay out of training: gold-referenced shared texts and the gold test sentences."""

    reuters_ids: frozenset[str]
    fin_entity_indices: frozenset[int]
    texts: frozenset[str]


def held_out(gold_root: Path, shared_dir: Path | None = None) -> HeldOut:
    """Collect source ids of all gold files and the normalised sentence texts of the test split.

    Weak rows never come from an article that is in the gold (dev articles arrive as gold rows;
    test articles must not be trained on), and no training row may equal a test sentence.
    """
    reuters: set[str] = set()
    fin_entity: set[int] = set()
    for path in sorted(Path(gold_root).glob("*/*.json")):
        source = json.loads(path.read_text(encoding="utf-8")).get("source") or {}
        if source.get("kind") == "reuters":
            reuters.add(str(source.get("id")))
        elif source.get("kind") == "fin_entity":
            fin_entity.add(int(source.get("index")))
    test_rows = load_gold_sentences(Path(gold_root) / "test", shared_dir=shared_dir)
    texts = {normalise_sentence(row["text"]).lower() for row in test_rows}
    return HeldOut(frozenset(reuters), frozenset(fin_entity), frozenset(texts))


# ------------------------------------------------------------------------ written


def load_written(path: Path, labels: list[str] | None = None) -> list[dict]:
    """Read the project's written sentences (JSONL `{"text", "labels"}`) as rows with origin `written`."""
    rows: list[dict] = []
    path = Path(path)
    if not path.is_file():
        return rows
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n} is not valid JSON: {exc}") from exc
        if "text" not in item or "labels" not in item:
            raise ValueError(f'{path}:{n} needs "text" and "labels" (a list, maybe empty)')
        if labels is not None:
            check_labels(item["labels"], labels, f"{path.name}:{n}")
        rows.append(_row(item["text"].strip(), list(item["labels"]), "written", f"written:{n}"))
    return rows


# --------------------------------------------------------------------------- weak


def iter_shared_sentences(
    data_dir: Path | None = None, exclude: HeldOut | None = None
) -> Iterator[tuple[str, str]]:
    """Yield `(sentence, source)` from Reuters-21578, FinEntity and Financial PhraseBank.

    Missing files are skipped, so the project still trains (on gold + written) without them.
    """
    data_dir = Path(data_dir) if data_dir is not None else shared_data_dir()
    reuters = data_dir / "news" / "reuters21578.jsonl"
    if reuters.is_file():
        with reuters.open(encoding="utf-8") as handle:
            for line in handle:
                item = json.loads(line)
                if exclude and str(item.get("id")) in exclude.reuters_ids:
                    continue
                for sentence in split_sentences(item.get("text", "")):
                    yield sentence, "reuters"
    fin_entity = data_dir / "labelled" / "fin_entity" / "FinEntity.json"
    if fin_entity.is_file():
        for index, item in enumerate(json.loads(fin_entity.read_text(encoding="utf-8"))):
            if exclude and index in exclude.fin_entity_indices:
                continue
            for sentence in split_sentences(item.get("content", "")):
                yield sentence, "fin_entity"
    phrasebank = data_dir / "labelled" / "financial_phrasebank" / "Sentences_50Agree.txt"
    if phrasebank.is_file():
        for line in phrasebank.read_text(encoding="latin-1").splitlines():
            if line.strip():
                yield normalise_sentence(line.rsplit("@", 1)[0]), "phrasebank"


def weak_rows(
    labeller: WeakLabeller,
    sentences: Iterator[tuple[str, str]],
    per_label: int,
    negatives: int,
    hard_negative_fraction: float,
    seed: int,
) -> list[dict]:
    """Weakly label sentences and sample a balanced set.

    Keeps up to `per_label` positive sentences per label (a multi-label row counts for each of
    its labels) and `negatives` sentences no LF voted for, a `hard_negative_fraction` of them
    sentences some LF voted *against* (easing, mining output, cash flow, ...).
    """
    positives: dict[str, list[dict]] = {label: [] for label in labeller.labels}
    hard: list[dict] = []
    plain: list[dict] = []
    seen: set[str] = set()
    for sentence, source in sentences:
        sentence = normalise_sentence(sentence)
        key = sentence.lower()
        if key in seen or not _usable(sentence):
            continue
        seen.add(key)
        labels, negative_vote = labeller.assess(sentence)
        row = _row(sentence, list(labels), "weak", source)
        if labels:
            for label in labels:
                positives[label].append(row)
        elif negative_vote:
            hard.append(row)
        else:
            plain.append(row)
    rng = random.Random(seed)
    chosen: dict[str, dict] = {}
    for label in labeller.labels:
        pool = positives[label]
        for row in rng.sample(pool, min(per_label, len(pool))):
            chosen[row["text"]] = row
    n_hard = min(len(hard), round(negatives * hard_negative_fraction))
    for row in rng.sample(hard, n_hard) + rng.sample(plain, min(len(plain), negatives - n_hard)):
        chosen[row["text"]] = row
    return list(chosen.values())


# -------------------------------------------------------------------------- build


@dataclass(frozen=True)
class DataSpec:
    """Where the rows come from and how many weak rows to sample."""

    gold_dir: Path
    written_path: Path
    gold_root: Path
    shared_dir: Path | None = None
    weak_per_label: int = 200
    weak_negatives: int = 800
    hard_negative_fraction: float = 0.3
    dev_fraction: float = 0.2
    seed: int = 13


def build_datasets(spec: DataSpec, labeller: WeakLabeller) -> DatasetDict:
    """Return `{"train", "dev"}`: dev is a fixed-seed slice of gold + written; weak rows only train.

    Rows are de-duplicated by text (gold wins over written over weak) and any row equal to a gold
    test sentence is dropped.
    """
    labels = labeller.labels
    exclude = held_out(spec.gold_root, spec.shared_dir)
    curated = load_gold_sentences(spec.gold_dir, labels, spec.shared_dir) + load_written(
        spec.written_path, labels
    )
    weak: list[dict] = []
    if spec.weak_per_label > 0 or spec.weak_negatives > 0:
        weak = weak_rows(
            labeller,
            iter_shared_sentences(spec.shared_dir, exclude),
            spec.weak_per_label,
            spec.weak_negatives,
            spec.hard_negative_fraction,
            spec.seed,
        )
    rows = _dedupe(curated + weak, exclude.texts)
    curated_rows = [r for r in rows if r["origin"] != "weak"]
    weak_only = [r for r in rows if r["origin"] == "weak"]
    if not curated_rows:
        raise ValueError(
            "no gold dev or written sentences found; add corpus/narratives/written.jsonl "
            "or gold files under corpus/gold/dev/"
        )
    train, dev = _dev_split(curated_rows, spec.dev_fraction, spec.seed)
    if weak_only:
        train = concatenate_datasets([train, Dataset.from_list(weak_only, features=FEATURES)])
    return DatasetDict(train=train.shuffle(seed=spec.seed), dev=dev)


def _dev_split(rows: list[dict], fraction: float, seed: int) -> tuple[Dataset, Dataset]:
    """Split curated rows: gold by whole article, written row by row, both at `fraction`.

    Holding out whole gold articles makes the dev slice look like the test (unseen articles), so
    thresholds tuned on it carry over.
    """
    gold = _dataset([r for r in rows if r["origin"] == "gold"])
    written = _dataset([r for r in rows if r["origin"] != "gold"])
    articles = sorted(set(gold["source"]))
    random.Random(seed).shuffle(articles)
    dev_articles = set(articles[: round(len(articles) * fraction)])
    gold_dev = gold.filter(lambda row: row["source"] in dev_articles)
    gold_train = gold.filter(lambda row: row["source"] not in dev_articles)
    if fraction > 0 and len(written) >= 5:
        split = written.train_test_split(test_size=fraction, seed=seed)
        written_train, written_dev = split["train"], split["test"]
    else:
        written_train, written_dev = written, written.select([])
    return (
        concatenate_datasets([gold_train, written_train]),
        concatenate_datasets([gold_dev, written_dev]),
    )


def _dataset(rows: list[dict]) -> Dataset:
    """A dataset of `rows` with the row features (also when there are none)."""
    if not rows:
        return Dataset.from_dict({name: [] for name in FEATURES}, features=FEATURES)
    return Dataset.from_list(rows, features=FEATURES)


def _dedupe(rows: list[dict], banned: frozenset[str]) -> list[dict]:
    out: dict[str, dict] = {}
    for row in rows:  # rows arrive gold, written, weak: the first copy of a text wins
        key = normalise_sentence(row["text"]).lower()
        if key in banned or key in out:
            continue
        out[key] = row
    return list(out.values())


def origin_counts(dataset: Dataset) -> dict[str, int]:
    """Count rows per label origin."""
    counts = {origin: 0 for origin in ORIGINS}
    for origin in dataset["origin"]:
        counts[origin] = counts.get(origin, 0) + 1
    return counts


def label_counts(dataset: Dataset, labels: list[str]) -> dict[str, int]:
    """Count positive rows per label (and `none` for rows without a label)."""
    counts = {label: 0 for label in labels} | {"none": 0}
    for row_labels in dataset["labels"]:
        for label in row_labels:
            counts[label] += 1
        if not row_labels:
            counts["none"] += 1
    return counts
