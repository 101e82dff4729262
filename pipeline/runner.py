"""Batch runs: read inputs, process them in batches (optionally on several processes), write
resumable output, show progress, and summarise."""

from __future__ import annotations

import itertools
import multiprocessing
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline.export import JsonlJournal, recover, write_parquet
from pipeline.extract import Extractor, ProcessedArticle
from pipeline.readers import RawArticle, read_inputs

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_CANNOT_RUN = 2


@dataclass
class RunSummary:
    """What a run did: counts of articles, records per type and errors, and its speed."""

    articles: int = 0
    resumed_from: int = 0
    failed: int = 0
    records: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """`0` when every article was processed, `1` when some failed."""
        return EXIT_SOME_FAILED if self.failed else EXIT_OK

    def add(self, item: ProcessedArticle) -> None:
        """Count one finished article."""
        self.articles += 1
        self.failed += bool(item.article.errors)
        self.records.update(record.type for record in item.records)

    def render(self) -> str:
        """Return the closing summary shown to the user."""
        rate = self.articles / self.seconds if self.seconds > 0 else 0.0
        per_type = ", ".join(f"{name} {count}" for name, count in sorted(self.records.items())) or "none"
        lines = [
            f"articles: {self.articles} processed"
            + (f" (resumed after {self.resumed_from} already done)" if self.resumed_from else ""),
            f"records:  {sum(self.records.values())} ({per_type})",
            f"errors:   {self.failed} article(s) failed",
            f"speed:    {rate:.2f} articles/s over {self.seconds:.1f} s",
        ]
        return "\n".join(lines)


def batched(items: Iterable[RawArticle], size: int) -> Iterator[list[RawArticle]]:
    """Yield lists of up to `size` items."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


_WORKER: Extractor | None = None


def _init_worker(with_narratives: bool) -> None:
    global _WORKER
    _WORKER = Extractor(with_narratives=with_narratives)


def _work(batch: list[RawArticle]) -> list[ProcessedArticle]:
    assert _WORKER is not None  # set by the pool initializer
    return _WORKER.process(batch)


def process_batches(
    batches: Iterable[list[RawArticle]], workers: int, with_narratives: bool
) -> Iterator[list[ProcessedArticle]]:
    """Process batches in input order, in this process or in a pool of `workers` processes."""
    if workers <= 1:
        extractor = Extractor(with_narratives=with_narratives)
        for batch in batches:
            yield extractor.process(batch)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(with_narratives,)) as pool:
        yield from pool.imap(_work, batches, chunksize=1)


def run(
    inputs: list[str],
    out_dir: Path,
    *,
    fmt: str = "jsonl",
    text_field: str | None = None,
    workers: int = 1,
    with_narratives: bool = True,
    batch_size: int = 16,
    progress: bool = True,
) -> RunSummary:
    """Process every input article into `out_dir`, resuming a previous interrupted run there."""
    if fmt not in {"jsonl", "parquet"}:
        raise ValueError(f"unknown output format {fmt!r}: use 'jsonl' or 'parquet'")
    out_dir.mkdir(parents=True, exist_ok=True)
    done = recover(out_dir)
    summary = RunSummary(resumed_from=done)
    articles = itertools.islice(read_inputs(inputs, text_field), done, None)
    journal = JsonlJournal(out_dir)
    started = time.perf_counter()
    bar = tqdm(desc="articles", unit="art", disable=not progress, file=sys.stderr, initial=done)
    try:
        for results in process_batches(batched(articles, batch_size), workers, with_narratives):
            journal.write((item.article, item.records) for item in results)
            for item in results:
                summary.add(item)
            bar.update(len(results))
    finally:
        bar.close()
        journal.close()
    summary.seconds = time.perf_counter() - started
    if fmt == "parquet":
        write_parquet(out_dir)
    return summary
