"""Fine-tune MiniLM as a multi-label narrative classifier (`finnews train`).

A plain torch loop: on two CPU cores it is as fast as `Trainer` and has fewer moving parts.
Arguments are data (`configs/train_args.json`, read into `TrainArgs`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from datasets import Dataset
from tqdm.auto import tqdm
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup
from transformers.utils import logging as transformers_logging

from pipeline.narratives.data import DataSpec, build_datasets, label_counts, origin_counts
from pipeline.narratives.evaluate import label_matrix, tune_thresholds
from pipeline.narratives.labels import load_narrative_config
from pipeline.narratives.predict import THRESHOLDS_FILE, score_texts
from pipeline.narratives.weak import WeakLabeller
from pipeline.narratives.zeroshot import base_model_dir
from pipeline.paths import configs_dir, repo_root


@dataclass(frozen=True)
class TrainArgs:
    """Training arguments; paths are relative to the repository root."""

    output_dir: str = "models/narratives"
    base_model: str | None = None  # a folder; None means the packaged all-MiniLM-L6-v2
    labels_config: str = "configs/narratives.yaml"
    gold_dir: str = "corpus/gold/dev"
    gold_root: str = "corpus/gold"
    test_dir: str = "corpus/gold/test"
    written_path: str = "corpus/narratives/written.jsonl"
    shared_data: str | None = None  # None: pipeline.paths.shared_data_dir()
    epochs: int = 3
    learning_rate: float = 8e-5
    batch_size: int = 16
    eval_batch_size: int = 64
    max_length: int = 64
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    seed: int = 13
    num_threads: int = 2
    weak_per_label: int = 200
    weak_negatives: int = 800
    hard_negative_fraction: float = 0.3
    dev_fraction: float = 0.2
    threshold_slack: float = 0.02  # F1 a threshold may give up on dev to stay near 0.5 (small dev)
    origin_weights: dict[str, float] = field(
        default_factory=lambda: {"gold": 2.0, "written": 1.5, "weak": 1.0}
    )
    freeze_embeddings: bool = True
    freeze_layers: int = 0  # lowest transformer layers kept as pretrained (faster backward pass)
    evaluate: bool = True  # score LFs, zero-shot and the model on the gold test split
    progress: bool = True

    @classmethod
    def from_json(cls, path: Path | None = None, **overrides: object) -> TrainArgs:
        """Read arguments from JSON (default `configs/train_args.json`); `overrides` win."""
        path = Path(path) if path is not None else configs_dir() / "train_args.json"
        raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        raw.update(overrides)
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"{path}: unknown training argument(s) {unknown}; known are {sorted(known)}")
        return cls(**raw)

    def replace(self, **changes: object) -> TrainArgs:
        """Return a copy with some arguments changed."""
        return dataclasses.replace(self, **changes)

    def path(self, value: str) -> Path:
        """Resolve a repository-relative path argument."""
        p = Path(value)
        return p if p.is_absolute() else repo_root() / p

    @property
    def output_path(self) -> Path:
        """The folder the model is saved into."""
        return self.path(self.output_dir)


def set_seed(seed: int) -> None:
    """Seed python, numpy and torch."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def load_base(args: TrainArgs, labels: list[str]):  # noqa: ANN201 - (model, tokenizer)
    """Load the base encoder with a fresh multi-label head named after `labels`."""
    folder = args.path(args.base_model) if args.base_model else base_model_dir()
    verbosity = transformers_logging.get_verbosity()
    transformers_logging.set_verbosity_error()  # the fresh head is expected, not worth a warning table
    try:
        model = AutoModelForSequenceClassification.from_pretrained(
            str(folder),
            num_labels=len(labels),
            problem_type="multi_label_classification",
            id2label=dict(enumerate(labels)),
            label2id={label: i for i, label in enumerate(labels)},
        )
    finally:
        transformers_logging.set_verbosity(verbosity)
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    if args.freeze_embeddings:
        # A few thousand sentences cannot improve 30k word vectors; freezing them saves time and
        # keeps words unseen in training where pretraining put them.
        for param in model.base_model.embeddings.parameters():
            param.requires_grad = False
    if args.freeze_layers:
        # The lowest layers encode general syntax that a few thousand sentences do not improve;
        # keeping them fixed saves their backward pass (about a fifth of a step for two of six).
        layers = model.base_model.encoder.layer
        if not 0 <= args.freeze_layers <= len(layers):
            raise ValueError(f"freeze_layers must be between 0 and {len(layers)}, got {args.freeze_layers}")
        for layer in layers[: args.freeze_layers]:
            for param in layer.parameters():
                param.requires_grad = False
    return model, tokenizer


def encode(dataset: Dataset, tokenizer, labels: list[str], args: TrainArgs) -> list[dict]:  # noqa: ANN001
    """Tokenise rows and attach multi-hot targets and origin weights."""
    enc = tokenizer(list(dataset["text"]), truncation=True, max_length=args.max_length)
    targets = label_matrix(dataset["labels"], labels)
    weights = [float(args.origin_weights.get(origin, 1.0)) for origin in dataset["origin"]]
    return [
        {
            "input_ids": enc["input_ids"][i],
            "attention_mask": enc["attention_mask"][i],
            "y": targets[i],
            "w": weights[i],
        }
        for i in range(len(dataset))
    ]


def batches(rows: list[dict], batch_size: int, rng: random.Random) -> list[list[dict]]:
    """Shuffle, group similar lengths within windows of 20 batches (less padding), shuffle batches."""
    order = rows[:]
    rng.shuffle(order)
    window = batch_size * 20
    out: list[list[dict]] = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda r: len(r["input_ids"]))
        out.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(out)
    return out


def collate(batch: list[dict], pad_id: int) -> dict[str, torch.Tensor]:
    """Pad a batch to its longest row."""
    width = max(len(r["input_ids"]) for r in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, r in enumerate(batch):
        ids[i, : len(r["input_ids"])] = torch.tensor(r["input_ids"])
        mask[i, : len(r["input_ids"])] = 1
    y = torch.tensor(np.stack([r["y"] for r in batch]))
    w = torch.tensor([r["w"] for r in batch])
    return {"input_ids": ids, "attention_mask": mask, "y": y, "w": w}


def fit(model, tokenizer, rows: list[dict], args: TrainArgs) -> list[float]:  # noqa: ANN001
    """Train with AdamW, linear warmup/decay and origin-weighted BCE; return the per-epoch mean loss."""
    rng = random.Random(args.seed)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=args.learning_rate, weight_decay=args.weight_decay)
    steps_per_epoch = (len(rows) + args.batch_size - 1) // args.batch_size
    total = max(1, steps_per_epoch * args.epochs)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total * args.warmup_ratio), total)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    pad_id = tokenizer.pad_token_id or 0
    history: list[float] = []
    model.train()
    with tqdm(total=total, desc="train narratives", unit="step", disable=not args.progress) as bar:
        for epoch in range(args.epochs):
            losses: list[float] = []
            for batch_rows in batches(rows, args.batch_size, rng):
                batch = collate(batch_rows, pad_id)
                logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
                per_row = loss_fn(logits, batch["y"]).mean(dim=1)
                loss = (per_row * batch["w"]).sum() / batch["w"].sum()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                losses.append(loss.item())
                bar.update(1)
                bar.set_postfix(epoch=epoch + 1, loss=f"{np.mean(losses[-20:]):.4f}")
            history.append(float(np.mean(losses)) if losses else 0.0)
    model.eval()
    return history


def save(model, tokenizer, thresholds: dict[str, float], args: TrainArgs, labels: list[str]) -> Path:  # noqa: ANN001
    """Save model, tokenizer and thresholds (with the max_length used) into the output folder."""
    out = args.output_path
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    meta = {"labels": labels, "thresholds": thresholds, "max_length": args.max_length}
    (out / THRESHOLDS_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out


def run_training(args: TrainArgs | None = None) -> dict:
    """Build data, fine-tune, tune thresholds on dev, save, evaluate; return the report dict."""
    args = args or TrainArgs.from_json()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    torch.set_num_threads(args.num_threads)
    set_seed(args.seed)
    started = time.perf_counter()
    cpu_started = time.process_time()
    config = load_narrative_config(args.path(args.labels_config))
    labels = config.label_names
    labeller = WeakLabeller(config)
    spec = DataSpec(
        gold_dir=args.path(args.gold_dir),
        written_path=args.path(args.written_path),
        gold_root=args.path(args.gold_root),
        shared_dir=args.path(args.shared_data) if args.shared_data else None,
        weak_per_label=args.weak_per_label,
        weak_negatives=args.weak_negatives,
        hard_negative_fraction=args.hard_negative_fraction,
        dev_fraction=args.dev_fraction,
        seed=args.seed,
    )
    data = build_datasets(spec, labeller)
    data_seconds = time.perf_counter() - started
    model, tokenizer = load_base(args, labels)
    train_started, train_cpu_started = time.perf_counter(), time.process_time()
    history = fit(model, tokenizer, encode(data["train"], tokenizer, labels, args), args)
    train_seconds = time.perf_counter() - train_started
    train_cpu = time.process_time() - train_cpu_started
    dev_texts = list(data["dev"]["text"])
    dev_gold = label_matrix(data["dev"]["labels"], labels)
    dev_scores = score_texts(model, tokenizer, dev_texts, args.eval_batch_size, args.max_length)
    thresholds = tune_thresholds(dev_scores, dev_gold, labels, slack=args.threshold_slack)
    out = save(model, tokenizer, thresholds, args, labels)
    report = {
        "labels": labels,
        "data": {
            split: {"rows": len(ds), "by_origin": origin_counts(ds), "by_label": label_counts(ds, labels)}
            for split, ds in data.items()
        },
        "args": dataclasses.asdict(args),
        "epoch_loss": [round(x, 4) for x in history],
        "thresholds": thresholds,
        "seconds": {
            "data": round(data_seconds, 1),
            "train": round(train_seconds, 1),
            "train_cpu": round(train_cpu, 1),
        },
        "output_dir": str(args.output_dir),
    }
    if args.evaluate:
        from pipeline.narratives.report import evaluate_all

        report["evaluation"] = evaluate_all(model, tokenizer, thresholds, data, config, labeller, args)
    report["seconds"]["total"] = round(time.perf_counter() - started, 1)
    # CPU seconds of this process: on a shared machine wall time overstates the work.
    report["seconds"]["cpu_total"] = round(time.process_time() - cpu_started, 1)
    from pipeline.narratives.report import write_outputs

    write_outputs(report, out)
    return report
