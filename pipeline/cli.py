"""The `finnews` command line.

Exit status of `finnews run`: 0 every article processed; 1 the run finished but some articles
failed (each has an error entry in articles.jsonl); 2 the run could not start (bad arguments,
missing input, unreadable configuration).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# Modules that add their own subcommands through `register(subparsers)`.
SUBCOMMAND_MODULES: tuple[str, ...] = ("pipeline.evaluate.cli", "pipeline.show", "pipeline.narratives.cli")


def _cmd_run(args: argparse.Namespace) -> int:
    import shutil

    from pipeline.runner import run

    if args.overwrite and Path(args.out).exists():
        shutil.rmtree(args.out)
    if args.engine == "ray":
        return _run_on_ray(args)
    summary = run(
        args.inputs,
        Path(args.out),
        fmt=args.format,
        text_field=args.text_column,
        workers=args.workers,
        with_narratives=not args.no_narratives,
        batch_size=args.batch_size,
        progress=not args.quiet,
    )
    print(summary.render())
    return summary.exit_code


def _run_on_ray(args: argparse.Namespace) -> int:
    try:
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ValueError(f"--engine ray needs Ray Data: pip install 'finnews[ray]' ({exc})") from exc
    from pipeline.ray_engine import RayOptions, run_ray

    options = RayOptions(actors=args.workers, batch_size=args.batch_size)
    summary = run_ray(
        args.inputs,
        args.out,
        fmt=args.format,
        text_field=args.text_column,
        with_narratives=not args.no_narratives,
        options=options,
        progress=not args.quiet,
    )
    print(summary.render())
    return summary.exit_code


def _cmd_schema(args: argparse.Namespace) -> int:
    from pipeline.schema import json_schemas

    print(json.dumps(json_schemas(), indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="finnews", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="extract records from articles into an output folder")
    run.add_argument("inputs", nargs="+", help="files, folders, or - for JSONL on stdin")
    run.add_argument("--out", required=True, help="output folder (resumed if it holds an interrupted run)")
    run.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl")
    run.add_argument("--text-column", default=None, help="text field of JSON/CSV/Parquet rows")
    run.add_argument("--workers", type=int, default=1, help="processes (ray: actors) to use (default 1)")
    run.add_argument(
        "--engine", choices=("local", "ray"), default="local",
        help="local processes, or Ray Data (JSONL/Parquet inputs; RAY_ADDRESS joins a cluster)",
    )
    run.add_argument("--batch-size", type=int, default=16)
    run.add_argument("--no-narratives", action="store_true", help="skip the narrative classifier")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--overwrite", action="store_true", help="start afresh instead of resuming --out")
    run.set_defaults(handler=_cmd_run)

    schema = sub.add_parser("schema", help="print the JSON Schema of articles.jsonl and records.jsonl")
    schema.set_defaults(handler=_cmd_schema)

    for module_name in SUBCOMMAND_MODULES:
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ValueError as exc:
        print(f"finnews: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
