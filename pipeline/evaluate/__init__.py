"""Evaluation against the gold corpus (`finnews eval`) and the FiNER-ORD peer benchmark.

Modules: `corpus` (gold files and article texts), `match` (matching rules), `metrics` (counts and
scores), `scoring` (per split), `predict` (run the pipeline or read a run), `report` (JSON and text),
`gate` (F1 floors), `finer` (FiNER-ORD), `run` (one evaluation), `cli` (the subcommand).
"""
