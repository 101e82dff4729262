"""The finnews throughput benchmark: bare spaCy vs finnews, one and two workers, and a memory stream.

    .venv/bin/python -m bench --n 1000                 # the table, written to bench/results/
    .venv/bin/python -m bench --stream-all             # RSS over time while all Reuters articles stream

Each mode runs in a fresh process (`bench/measure.py`) so that its peak memory is its own. Rounds
interleave the modes (spacy, finnews, full, full-2w, spacy, ...) and the best round of each mode
counts, which keeps the ratios fair on a machine whose load changes while the benchmark runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import MODES, load_articles, reuters_path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DEFAULT_MODES = ("spacy", "finnews", "full", "full-2w")
# Targets of the benchmark: (name, numerator mode, denominator mode, minimum ratio).
TARGETS = (
    ("full pipeline vs bare spaCy", "full", "spacy", 0.75),
    ("finnews without classifier vs bare spaCy", "finnews", "spacy", 0.90),
    ("2 workers vs 1 worker (full pipeline)", "full-2w", "full", 1.60),
)
MAX_WORKER_RSS_MB = 1536


def run_mode(mode: str, n: int, batch_size: int) -> dict:
    """Run one mode in a child process and return its measurements."""
    command = [sys.executable, "-m", "bench.measure", mode, "--n", str(n), "--batch-size", str(batch_size)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark mode {mode} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def best_rounds(rounds: list[dict[str, dict]]) -> dict[str, dict]:
    """Per mode, the round with the highest steady-state articles/s."""
    best: dict[str, dict] = {}
    for results in rounds:
        for mode, result in results.items():
            if mode not in best or result["articles_per_s"] > best[mode]["articles_per_s"]:
                best[mode] = result
    return best


def add_ratios(best: dict[str, dict]) -> dict:
    """Tokens/s, ratios to bare spaCy, and the targets' verdicts."""
    tokens_per_article = best["spacy"]["tokens"] / best["spacy"]["n"] if "spacy" in best else None
    for result in best.values():
        if tokens_per_article:
            result["tokens_per_s"] = round(result["articles_per_s"] * tokens_per_article, 1)
        cpu = result.get("cpu_seconds") or result.get("cpu_seconds_workers")
        if cpu:
            result["articles_per_cpu_s"] = round(result["timed_articles"] / cpu, 3)
        if "spacy" in best:
            result["ratio_to_spacy"] = round(result["articles_per_s"] / best["spacy"]["articles_per_s"], 3)
    verdicts = []
    for name, top, bottom, minimum in TARGETS:
        if top in best and bottom in best:
            ratio = best[top]["articles_per_s"] / best[bottom]["articles_per_s"]
            verdict = {"target": name, "ratio": round(ratio, 3), "minimum": minimum, "met": ratio >= minimum}
            if "-2w" not in top:  # per CPU-second: the same comparison, less moved by other load
                cpu_ratio = best[top]["articles_per_cpu_s"] / best[bottom]["articles_per_cpu_s"]
                verdict["ratio_per_cpu_s"] = round(cpu_ratio, 3)
            verdicts.append(verdict)
    for mode, result in best.items():
        peaks = result.get("worker_peak_rss_mb") or [result["peak_rss_mb"]]
        verdicts.append({"target": f"peak memory per process ({mode}) <= {MAX_WORKER_RSS_MB} MB",
                         "value": max(peaks), "met": max(peaks) <= MAX_WORKER_RSS_MB})
    return {"targets": verdicts}


def render(best: dict[str, dict], targets: list[dict]) -> str:
    """A plain-text table of the results."""
    lines = [
        f"{'mode':<11} {'articles':>8} {'art/s':>7} {'tokens/s':>9} {'art/cpu-s':>9} {'vs spaCy':>8}"
        "  peak RSS MB",
        "-" * 78,
    ]
    for mode in [m for m in MODES if m in best]:
        r = best[mode]
        peak = r.get("worker_peak_rss_mb") or [r["peak_rss_mb"]]
        peak_text = ", ".join(f"{p:.0f}" for p in peak) + (" (workers)" if "worker_peak_rss_mb" in r else "")
        lines.append(
            f"{mode:<11} {r['n']:>8} {r['articles_per_s']:>7.2f} {r.get('tokens_per_s', 0):>9.0f} "
            f"{r.get('articles_per_cpu_s', 0):>9.2f} {r.get('ratio_to_spacy', 0):>8.2f}  {peak_text}"
        )
    lines.append("")
    for verdict in targets:
        value = verdict.get("ratio", verdict.get("value"))
        per_cpu = f" (per CPU-second: {verdict['ratio_per_cpu_s']})" if "ratio_per_cpu_s" in verdict else ""
        lines.append(f"[{'met' if verdict['met'] else 'MISSED'}] {verdict['target']}: {value}{per_cpu}")
    return "\n".join(lines)


def environment() -> dict:
    import psutil

    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }


def benchmark(args: argparse.Namespace) -> dict:
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise SystemExit(f"unknown mode(s) {unknown}; choose from {', '.join(MODES)}")
    env = environment()
    rounds = []
    for number in range(1, args.rounds + 1):
        results = {}
        for mode in modes:
            print(f"round {number}/{args.rounds}: {mode} ...", file=sys.stderr, flush=True)
            results[mode] = run_mode(mode, args.n, args.batch_size)
        rounds.append(results)
    best = best_rounds(rounds)
    verdicts = add_ratios(best)
    env["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return {"kind": "throughput", "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "n": args.n, "rounds": args.rounds, "environment": env, "modes": best, **verdicts,
            "all_rounds": rounds}


def stream_all(args: argparse.Namespace) -> dict:
    """Stream every Reuters article through `finnews run` and sample each worker's RSS over time."""
    import tempfile

    import psutil

    total = len(load_articles(None)) if args.limit is None else args.limit
    out_dir = Path(tempfile.mkdtemp(prefix="finnews-stream-"))
    source = reuters_path()
    if args.limit is not None:
        source = out_dir / "input.jsonl"
        with open(reuters_path(), encoding="utf-8") as handle, open(source, "w", encoding="utf-8") as sink:
            for _, line in zip(range(args.limit), handle, strict=False):
                sink.write(line)
    command = [sys.executable, "-m", "pipeline.cli", "run", str(source), "--out", str(out_dir / "out"),
               "--workers", str(args.workers), "--quiet", "--overwrite"]
    if args.no_narratives:
        command.append("--no-narratives")
    started = time.perf_counter()
    # Its own process group, so that --max-seconds stops the workers too (they hold the stdout pipe).
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True, start_new_session=True)
    parent = psutil.Process(process.pid)
    samples: list[dict] = []
    articles_file = out_dir / "out" / "articles.jsonl"

    def count_lines() -> int:
        try:
            with open(articles_file, "rb") as handle:
                return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        except FileNotFoundError:
            return 0

    def sample() -> None:
        while process.poll() is None:
            try:
                procs = [parent, *parent.children(recursive=True)]
                rss = {p.pid: round(p.memory_info().rss / 2**20, 1) for p in procs}
            except psutil.Error:
                continue
            rss = {pid: mb for pid, mb in rss.items() if pid == parent.pid or mb > 100}  # not the tracker
            samples.append({"t": round(time.perf_counter() - started, 1), "articles": count_lines(),
                            "main_rss_mb": rss.pop(parent.pid, None), "worker_rss_mb": sorted(rss.values())})
            time.sleep(args.interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        summary = process.communicate(timeout=args.max_seconds)[0]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)  # the curve so far is the result; the run could be resumed
        summary = f"stopped after {args.max_seconds} s (--max-seconds)\n" + (process.communicate()[0] or "")
    sampler.join()
    working = [s for s in samples if s["articles"] > 0 and s["worker_rss_mb"]]
    if not working:
        raise SystemExit(f"no samples taken; the run printed:\n{summary}")
    first, last = working[0], working[-1]
    return {"kind": "stream_all", "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "environment": environment(), "input_articles": total, "workers": args.workers,
            "narratives": not args.no_narratives, "exit_code": process.returncode,
            "seconds": round(time.perf_counter() - started, 1), "summary": summary.strip(),
            "start": first, "end": last,
            "worker_peak_rss_mb": max(max(s["worker_rss_mb"]) for s in working),
            "samples": samples}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="Reuters articles to process (default 1000)")
    parser.add_argument("--modes", default=",".join(DEFAULT_MODES), help=f"comma list of {', '.join(MODES)}")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (best counts)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--stream-all", action="store_true", help="RSS over time on all Reuters articles")
    parser.add_argument("--workers", type=int, default=2, help="workers for --stream-all (default 2)")
    parser.add_argument("--limit", type=int, default=None, help="--stream-all: only the first N input lines")
    parser.add_argument("--no-narratives", action="store_true", help="--stream-all without the classifier")
    parser.add_argument("--interval", type=float, default=5.0, help="--stream-all: seconds between samples")
    parser.add_argument("--max-seconds", type=float, default=None, help="--stream-all: stop after this long")
    parser.add_argument("--out", default=None, help="results JSON (default bench/results/<kind>-<time>.json)")
    args = parser.parse_args(argv)
    result = stream_all(args) if args.stream_all else benchmark(args)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.out) if args.out else BENCH_DIR / "results" / f"{result['kind']}-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if result["kind"] == "throughput":
        print(render(result["modes"], result["targets"]))
    else:
        s, e = result["start"], result["end"]
        print(f"streamed {e['articles']} articles in {result['seconds']} s with {result['workers']} workers")
        print(f"worker RSS MB at {s['articles']} articles: {s['worker_rss_mb']}; "
              f"at {e['articles']}: {e['worker_rss_mb']}")
        print(f"main RSS MB: {s['main_rss_mb']} -> {e['main_rss_mb']}; "
              f"worker peak {result['worker_peak_rss_mb']} MB")
    print(f"results: {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 0
