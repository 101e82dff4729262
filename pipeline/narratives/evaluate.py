"""Scoring narrative predictions: per-label precision/recall/F1, macro-F1, threshold tuning."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

#: Thresholds tried when tuning; the range keeps a lucky extreme on a small dev slice out.
THRESHOLD_GRID: tuple[float, ...] = tuple(round(x, 2) for x in np.arange(0.05, 0.951, 0.025))


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate_sentences(
    pred_labels: Sequence[set[str]], gold_labels: Sequence[set[str]], labels: Sequence[str]
) -> dict:
    """Score multi-label predictions against gold, sentence by sentence.

    Returns `{"labels": {label: {precision, recall, f1, support, tp, fp, fn}}, "macro_f1",
    "micro_f1", "n_sentences"}`. Macro-F1 averages over all `labels`; a label with no gold and no
    predicted positives scores F1 1.0 (nothing to find, nothing wrongly found).
    """
    if len(pred_labels) != len(gold_labels):
        raise ValueError(f"got {len(pred_labels)} predictions for {len(gold_labels)} gold sentences")
    per_label: dict[str, dict] = {}
    totals = [0, 0, 0]
    for label in labels:
        tp = sum(1 for p, g in zip(pred_labels, gold_labels, strict=True) if label in p and label in g)
        fp = sum(1 for p, g in zip(pred_labels, gold_labels, strict=True) if label in p and label not in g)
        fn = sum(1 for p, g in zip(pred_labels, gold_labels, strict=True) if label not in p and label in g)
        precision, recall, f1 = _prf(tp, fp, fn)
        if tp + fp + fn == 0:
            precision = recall = f1 = 1.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    macro = float(np.mean([per_label[label]["f1"] for label in labels])) if labels else 0.0
    return {
        "labels": per_label,
        "macro_f1": round(macro, 4),
        "micro_f1": round(_prf(*totals)[2], 4),
        "n_sentences": len(gold_labels),
    }


def labels_from_scores(
    scores: np.ndarray, thresholds: Mapping[str, float], labels: Sequence[str]
) -> list[set[str]]:
    """Turn an `(n, n_labels)` score matrix into label sets using per-label thresholds."""
    return [
        {label for j, label in enumerate(labels) if row[j] >= thresholds[label]} for row in np.asarray(scores)
    ]


def label_matrix(label_sets: Sequence[Sequence[str]], labels: Sequence[str]) -> np.ndarray:
    """Multi-hot `(n, n_labels)` float matrix of label sets."""
    index = {label: j for j, label in enumerate(labels)}
    out = np.zeros((len(label_sets), len(labels)), dtype=np.float32)
    for i, row in enumerate(label_sets):
        for label in row:
            out[i, index[label]] = 1.0
    return out


def tune_thresholds(
    scores: np.ndarray,
    gold: np.ndarray,
    labels: Sequence[str],
    grid: Sequence[float] = THRESHOLD_GRID,
    default: float = 0.5,
    slack: float = 0.0,
) -> dict[str, float]:
    """Pick, per label, the grid threshold closest to `default` whose dev F1 is within `slack` of
    the best (slack 0: the best F1, ties closest to `default`).

    A small dev slice has a ragged F1 curve: a few sentences move the optimum far from the model's
    calibrated 0.5; `slack` keeps the threshold near it unless that costs F1. A label without any
    dev positive keeps `default`: there is nothing to tune it on.
    """
    scores = np.asarray(scores)
    thresholds: dict[str, float] = {}
    for j, label in enumerate(labels):
        truth = gold[:, j] > 0.5
        if not truth.any():
            thresholds[label] = default
            continue
        f1s = {}
        for threshold in grid:
            pred = scores[:, j] >= threshold
            tp = int((pred & truth).sum())
            f1s[threshold] = round(_prf(tp, int((pred & ~truth).sum()), int((~pred & truth).sum()))[2], 6)
        best = max(f1s.values())
        near = [t for t, f1 in f1s.items() if f1 >= best - slack]
        thresholds[label] = float(min(near, key=lambda t: (abs(t - default), -f1s[t], t)))
    return thresholds


def format_report(results: Mapping[str, dict], labels: Sequence[str]) -> str:
    """Render `{system: evaluate_sentences(...)}` as a Markdown table of P/R/F1 per label."""
    header = "| system | " + " | ".join(f"{label} P / R / F1" for label in labels) + " | macro-F1 |"
    rule = "|---|" + "---|" * (len(labels) + 1)
    lines = [header, rule]
    for system, result in results.items():
        cells = []
        for label in labels:
            m = result["labels"][label]
            cells.append(f"{m['precision']:.2f} / {m['recall']:.2f} / {m['f1']:.2f} (n={m['support']})")
        lines.append(f"| {system} | " + " | ".join(cells) + f" | {result['macro_f1']:.3f} |")
    return "\n".join(lines)
