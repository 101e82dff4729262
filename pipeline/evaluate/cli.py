"""`finnews eval`: score the pipeline against the gold corpus, pin or check the gate, run FiNER-ORD.

Exit status: 0 done (and, with --check-floors, every floor held); 1 a floor was broken or the gold
changed since pinning (--check-floors); 2 bad arguments or unreadable gold/data.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pipeline.paths import repo_root


def _gold_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir() and not path.is_absolute() and (repo_root() / path).is_dir():
        path = repo_root() / path
    return path


def _write_json(path: str, data: Any) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _cmd_finer(args: argparse.Namespace) -> int:
    from pipeline.evaluate.finer import render_finer, run_finer

    result = run_finer(args.finer_split)
    if args.json:
        _write_json(args.json, result)
    print(render_finer(result))
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    if args.finer:
        return _cmd_finer(args)
    from pipeline.evaluate.gate import check_floors, default_floors_path, pin_floors, read_floors
    from pipeline.evaluate.report import render_report
    from pipeline.evaluate.run import evaluate

    if args.pin_floors and args.split is not None:
        raise ValueError("--pin-floors needs every split: leave out --split")
    report = evaluate(
        _gold_dir(args.gold),
        split=args.split,
        pred_dir=Path(args.pred) if args.pred else None,
        narratives=not args.no_narratives,
        narratives_model=Path(args.narratives_model) if args.narratives_model else None,
    )
    if args.json:
        _write_json(args.json, report)
    if args.report:
        from pipeline.html_report import write_eval_report

        print(f"wrote {write_eval_report(report, args.report, gold_dir=_gold_dir(args.gold))}")
    print(render_report(report, with_errors=args.errors))
    floors_path = Path(args.floors) if args.floors else default_floors_path()
    if args.pin_floors:
        new, changes = pin_floors(report, read_floors(floors_path), allow_lower=args.allow_lower)
        _write_json(str(floors_path), new)
        print(f"pinned floors in {floors_path}: " + ("; ".join(changes) if changes else "no change"))
    if args.check_floors:
        result = check_floors(report, read_floors(floors_path))
        for line in [*result.failures, *([result.hash_changed] if result.hash_changed else [])]:
            print(f"gate: {line}")
        print("gate: ok" if result.ok else "gate: FAILED")
        return 0 if result.ok else 1
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `eval` subcommand to the finnews command line."""
    p = subparsers.add_parser(
        "eval",
        help="score extraction and narratives against the gold corpus (or --finer: FiNER-ORD NER benchmark)",
        description="Score the pipeline against corpus/gold. Without --split: dev, test and all.",
    )
    p.add_argument(
        "--gold", default="corpus/gold", help="gold folder with dev/ and test/ (default corpus/gold)"
    )
    p.add_argument("--split", choices=("dev", "test", "all"), default=None, help="report one split only")
    p.add_argument("--pred", default=None, help="score a finished `finnews run` folder instead of running")
    p.add_argument("--no-narratives", action="store_true", help="skip the narrative classifier")
    p.add_argument(
        "--narratives-model",
        default=None,
        metavar="DIR",
        help="classifier folder (default models/narratives)",
    )
    p.add_argument(
        "--errors",
        action="store_true",
        help="list false positives and negatives (dev only unless --split is given)",
    )
    p.add_argument("--json", default=None, metavar="FILE", help="also write the whole report as JSON")
    p.add_argument("--report", default=None, metavar="FILE", help="also write the report as an HTML page")
    p.add_argument(
        "--pin-floors", action="store_true", help="re-pin tests/eval_floors.json to the current F1"
    )
    p.add_argument("--allow-lower", action="store_true", help="with --pin-floors: allow lowering a floor")
    p.add_argument("--check-floors", action="store_true", help="exit 1 when a figure is below its floor")
    p.add_argument("--floors", default=None, help="floors file (default tests/eval_floors.json)")
    p.add_argument("--finer", action="store_true", help="run the FiNER-ORD entity benchmark instead")
    p.add_argument("--finer-split", choices=("train", "val", "test"), default="test")
    p.set_defaults(handler=_cmd_eval)
