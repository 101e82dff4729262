"""Batch runs: read, process in batches, write resumable output, show progress, summarise.

Batches run in this process or in a pool of worker processes. Every input article ends as
exactly one line of `articles.jsonl`, in input order, so a run that was killed resumes by
skipping as many inputs as there are complete lines (`export.recover`). `run.json` in the output
folder records the inputs and options; a resume with other ones is refused. Article ids are
unique in one output: a repeated id `x` becomes `x#2`, `x#3`, ... (see `UniqueIds`).
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import sys
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline.export import ARTICLES_FILE, JsonlJournal, recover, write_parquet
from pipeline.extract import Extractor, ProcessedArticle
from pipeline.readers import RawArticle, expand_inputs, read_inputs

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_CANNOT_RUN = 2
MANIFEST_FILE = "run.json"
# Batches handed to worker processes ahead of the one being written (bounds memory on huge inputs).
PREFETCH_PER_WORKER = 2


class RunError(ValueError):
    """The run stopped before the end; what it wrote is kept and the same command resumes it."""


@dataclass
class RunSummary:
    """What a run did: counts of articles, records per type and errors, and its speed."""

    articles: int = 0
    resumed_from: int = 0
    failed: int = 0
    failed_before: int = 0
    records: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """`0` when every article in the output was processed, `1` when some failed (resumed ones too)."""
        return EXIT_SOME_FAILED if self.failed or self.failed_before else EXIT_OK

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
            f"errors:   {self.failed} article(s) failed"
            + (f" (and {self.failed_before} before resuming)" if self.failed_before else ""),
            f"speed:    {rate:.2f} articles/s over {self.seconds:.1f} s",
        ]
        return "\n".join(lines)


def batched(items: Iterable[RawArticle], size: int) -> Iterator[list[RawArticle]]:
    """Yield lists of up to `size` items."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class UniqueIds:
    """Makes article ids unique within one output, deterministically.

    The first article with id `x` keeps it; later ones become `x#2`, `x#3`, ... (the first free
    suffix), with a note in their `errors`, so every input is accounted for exactly once and
    `record_id`s stay unique. Ids already in the output are loaded on resume, so a resumed run
    names duplicates exactly as an uninterrupted one.
    """

    def __init__(self, seen: Iterable[str] = ()) -> None:
        self._seen = set(seen)

    def claim(self, item: ProcessedArticle) -> ProcessedArticle:
        """Return the item, renamed when its id was already used."""
        old = item.article.article_id
        if old not in self._seen:
            self._seen.add(old)
            return item
        n = 2
        while f"{old}#{n}" in self._seen:
            n += 1
        new = f"{old}#{n}"
        self._seen.add(new)
        note = f"duplicate article_id {old!r}: an earlier input has the same id; this one is now {new!r}"
        note = f"{item.origin}: {note}" if item.origin else note
        article = item.article.model_copy(update={"article_id": new, "errors": [*item.article.errors, note]})
        records = [
            record.model_copy(update={"article_id": new, "record_id": new + record.record_id[len(old) :]})
            for record in item.records
        ]
        return ProcessedArticle(article, records, item.origin)


def written_articles(out_dir: Path) -> list[tuple[str, bool]]:
    """Return `(article_id, failed)` for the articles already in an output folder's `articles.jsonl`."""
    path = out_dir / ARTICLES_FILE
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        rows = (json.loads(line) for line in handle if line.strip())
        return [(row["article_id"], bool(row["errors"])) for row in rows]


def check_manifest(out_dir: Path, manifest: dict, resuming: bool) -> None:
    """Refuse to resume a run made with other inputs or options; record this run's otherwise."""
    path = out_dir / MANIFEST_FILE
    if resuming and path.exists():
        previous = json.loads(path.read_text(encoding="utf-8"))
        if previous != manifest:
            changed = [key for key in manifest if manifest.get(key) != previous.get(key)]
            raise ValueError(
                f"{out_dir} holds the output of a run with other {', '.join(changed) or 'settings'}; rerun "
                "with the same inputs and options to resume it, or add --overwrite (or use another --out) "
                "to start afresh"
            )
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def input_files(inputs: list[str], out_dir: Path) -> list[str]:
    """Expand inputs into files now (a missing input fails before anything is written); skip `out_dir`."""
    out = out_dir.resolve()
    files = []
    for item in expand_inputs(inputs):
        if item != "-" and Path(item).resolve().is_relative_to(out):
            continue
        files.append(str(item))
    return files


_WORKER: Extractor | None = None


def _init_worker(with_narratives: bool) -> None:
    global _WORKER
    _WORKER = Extractor(with_narratives=with_narratives)


def _work(batch: list[RawArticle]) -> list[ProcessedArticle]:
    if _WORKER is None:
        raise RuntimeError("worker process was not initialised")
    return _WORKER.process(batch)


def process_batches(
    batches: Iterable[list[RawArticle]], workers: int, with_narratives: bool
) -> Iterator[list[ProcessedArticle]]:
    """Process batches in input order, in this process or in a pool of `workers` processes."""
    batches = iter(batches)
    first = next(batches, None)
    if first is None:  # nothing left to do (a finished run): do not load the models
        return
    batches = itertools.chain([first], batches)
    if workers <= 1:
        extractor = Extractor(with_narratives=with_narratives)
        for batch in batches:
            yield extractor.process(batch)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(with_narratives,)
    ) as pool:
        pending: deque[Future] = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(_work, batch))
                if len(pending) >= workers * PREFETCH_PER_WORKER:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BrokenProcessPool as exc:
            raise RunError(
                "a worker process failed to start or died (see the messages above; out of memory?); "
                "the articles written so far are kept, run the same command again to resume"
            ) from exc
        except BaseException:
            # Ctrl-C or a failed write: drop queued batches instead of waiting for them.
            pool.shutdown(wait=False, cancel_futures=True)
            raise


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
    if batch_size < 1 or workers < 1:
        raise ValueError("--batch-size and --workers must be at least 1")
    files = input_files(inputs, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    done = recover(out_dir)
    manifest = {"inputs": files, "text_field": text_field, "with_narratives": with_narratives}
    check_manifest(out_dir, manifest, resuming=(out_dir / ARTICLES_FILE).exists())
    previous = written_articles(out_dir)
    ids = UniqueIds(article_id for article_id, _ in previous)
    summary = RunSummary(resumed_from=done, failed_before=sum(failed for _, failed in previous))
    articles = itertools.islice(read_inputs(files, text_field), done, None)
    journal = JsonlJournal(out_dir)
    started = time.perf_counter()
    bar = tqdm(desc="articles", unit="art", disable=not progress, file=sys.stderr, initial=done)
    try:
        for results in process_batches(batched(articles, batch_size), workers, with_narratives):
            results = [ids.claim(item) for item in results]
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
