"""Market-narrative labels for sentences and articles.

Modules: `labels` (label set and LF specs from configs/narratives.yaml), `weak` (labelling
functions and vote combiner), `data` (gold / written / weak rows), `train` (fine-tuning),
`predict` (the classifier used by the pipeline), `zeroshot` and `evaluate` (baseline and scoring),
`report` (evaluation of all systems and the model card), `cli` (`finnews train`, `finnews classify`).
Heavy imports (torch, transformers) stay inside those modules.
"""

from pipeline.narratives.labels import CONTRACT_LABELS

__all__ = ["CONTRACT_LABELS"]
