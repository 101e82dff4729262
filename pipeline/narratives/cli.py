"""`finnews train` and `finnews classify`: subcommands added by `register(subparsers)`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `train` and `classify` subcommands to the top-level `finnews` parser."""
    train = subparsers.add_parser("train", help="fine-tune the narrative classifier and print its evaluation")
    train.add_argument(
        "--args", type=Path, default=None, help="training arguments JSON (default configs/train_args.json)"
    )
    train.add_argument(
        "--output-dir", default=None, help="where to save the model (default from the arguments)"
    )
    train.add_argument("--epochs", type=int, default=None)
    train.add_argument("--no-eval", action="store_true", help="skip the baselines and the test evaluation")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(handler=_cmd_train)

    classify = subparsers.add_parser(
        "classify", help='add narratives to JSONL rows {"id", "text"} (one sentence or short text per row)'
    )
    classify.add_argument("input", nargs="?", default="-", help="JSONL file, or - for stdin (default)")
    classify.add_argument("--model", type=Path, default=None, help="model folder (default models/narratives)")
    classify.add_argument("--batch-size", type=int, default=32)
    classify.set_defaults(handler=_cmd_classify)


def _cmd_train(args: argparse.Namespace) -> int:
    from pipeline.narratives.report import format_summary
    from pipeline.narratives.train import TrainArgs, run_training

    overrides: dict[str, object] = {}
    if args.output_dir:
        overrides["output_dir"] = args.output_dir
    if args.epochs is not None:
        overrides["epochs"] = args.epochs
    if args.no_eval:
        overrides["evaluate"] = False
    if args.quiet:
        overrides["progress"] = False
    report = run_training(TrainArgs.from_json(args.args, **overrides))
    print(format_summary(report))
    return 0


def _read_rows(stream: TextIO) -> list[dict]:
    rows = []
    for n, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"input line {n} is not JSON: {exc}") from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise ValueError(f'input line {n} needs a "text" string, e.g. {{"id": "a1", "text": "..."}}')
        rows.append(row)
    return rows


def _cmd_classify(args: argparse.Namespace) -> int:
    from pipeline.narratives.predict import NarrativeClassifier, ensure_model

    if args.input == "-":
        rows = _read_rows(sys.stdin)
    else:
        path = Path(args.input)
        if not path.is_file():
            raise ValueError(f"input file {path} does not exist")
        with path.open(encoding="utf-8") as handle:
            rows = _read_rows(handle)
    classifier = NarrativeClassifier.load(ensure_model(args.model))
    predictions = classifier.predict([row["text"] for row in rows], batch_size=args.batch_size)
    for row, narratives in zip(rows, predictions, strict=True):
        sys.stdout.write(json.dumps(row | {"narratives": narratives}, ensure_ascii=False) + "\n")
    return 0
