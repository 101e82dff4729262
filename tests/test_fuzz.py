"""Fuzz the whole extraction: thousands of mutated articles through `Extractor.process`.

Seeds are the project's seed and written articles plus Reuters-21578 texts read at test time from
the shared data folder (never copied into the repository). Each article is a short window of a
seed, mutated by deletions, insertions (Unicode, control characters, emoji, odd digits and
currency signs), duplications, case flips and truncation. Nothing may crash (no "extraction
failed" entry either) and every record must point into its article's text.

`FINNEWS_FUZZ_N` sets the number of articles of the slow run (default 2,000), `FINNEWS_FUZZ_SEED`
its random seed.
"""

import json
import os
import random

import pytest
from conftest import REPO

from pipeline.export import to_json_line
from pipeline.extract import Extractor
from pipeline.paths import shared_data_dir
from pipeline.readers import RawArticle
from pipeline.schema import RECORD_TYPES

WINDOW = 600
BATCH = 16
CRASH_MARKERS = ("extraction failed", "cleaning failed")
INSERTS = [
    "\u00a0",
    "\u202f",
    "\u200b",
    "\ufeff",
    "\u00ad",
    "\u2018",
    "\u2019",
    "\u201c",
    "\u201d",
    "\u2013",
    "\u2014",
    "\u2212",
    "\u2022",
    "\u2028",
    "\u2029",
    "\u0085",
    "\x00",
    "\x07",
    "\x0b",
    "\x0c",
    "\x1b",
    "\r",
    "\t",
    "\n",
    "\n\n",
    "\ud800",
    "\udfff",
    "\u0301",
    "\u200f",
    "\u202e",
    "\U0001f525",
    "\U0001f4c8",
    "\U0001f1ed\U0001f1f0",
    "%",
    "%%",
    " pct",
    " per cent",
    "HK$",
    "US$",
    "\u00a5",
    "\u20ac",
    "RMB",
    "bn",
    " million",
    " billion",
    "~",
    "-",
    "/",
    ".",
    ",",
    "0",
    "9" * 25,
    "1,234,567.891",
    "3.5%",
    "4-6%",
    "nearly ",
    "more than ",
    "between 4 and ",
    "rose ",
    "fell ",
    "Tencent ",
    "Hang Seng Index ",
    "the index ",
    "Goldman Sachs said ",
    "southbound ",
    "\u6052\u751f\u6307\u6570",
    "\u817e\u8baf",
    "(",
    ")",
    "[",
    "]",
    '"',
    "'",
    "<p>",
    "</div>",
    "&amp;",
    "*",
    "#",
    "|",
    "e309",
    "NaN",
    "inf",
]


def _seed_texts() -> list[str]:
    texts = []
    for folder in ("seeds", "written"):
        for path in sorted((REPO / "corpus" / folder).glob("*.txt")):
            texts.append(path.read_text(encoding="utf-8"))
    reuters = shared_data_dir() / "news" / "reuters21578.jsonl"
    if reuters.exists():
        with open(reuters, encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if number % 50 == 0:
                    texts.append(json.loads(line)["text"])
                if len(texts) >= 400:
                    break
    return [t for t in texts if t.strip()]


def mutate(text: str, rng: random.Random) -> str:
    """Return a short, randomly damaged window of `text`."""
    start = rng.randrange(max(1, len(text) - WINDOW // 2))
    chars = list(text[start : start + rng.randint(1, WINDOW)])
    for _ in range(rng.randint(0, 12)):
        operation = rng.random()
        where = rng.randrange(len(chars) + 1)
        if operation < 0.3 and chars:
            del chars[where : where + rng.randint(1, 8)]
        elif operation < 0.65:
            chars[where:where] = rng.choice(INSERTS)
        elif operation < 0.75:
            chars[where:where] = chr(rng.randrange(0x20, 0x3000))
        elif operation < 0.85 and chars:
            piece = chars[where : where + rng.randint(1, 60)]
            chars[where:where] = piece
        elif chars:
            end = min(len(chars), where + rng.randint(1, 30))
            chars[where:end] = [c.swapcase() for c in chars[where:end]]
    mutated = "".join(chars)
    if rng.random() < 0.1:
        mutated = mutated[: rng.randrange(len(mutated) + 1)]
    return mutated


def fuzz(extractor: Extractor, chunking: Extractor, n: int, seed: int) -> dict[str, int]:
    """Run `n` mutated articles; return counts, raising AssertionError with a repro on failure."""
    rng = random.Random(seed)
    seeds = _seed_texts()
    counts = {"articles": 0, "records": 0, "crashes": 0, "error_entries": 0, "chunked": 0}
    for batch_start in range(0, n, BATCH):
        texts = [mutate(rng.choice(seeds), rng) for _ in range(min(BATCH, n - batch_start))]
        raws = [RawArticle(text, f"fuzz-{batch_start + i}") for i, text in enumerate(texts)]
        use_chunks = rng.random() < 0.15
        engine = chunking if use_chunks else extractor
        try:
            results = engine.process(raws)
        except Exception as exc:  # noqa: BLE001 - report the batch that broke it
            raise AssertionError(f"process() raised {exc!r} on {texts!r}") from exc
        assert len(results) == len(raws), "one result per input, in order"
        counts["chunked"] += len(raws) if use_chunks else 0
        for text, result in zip(texts, results, strict=True):
            counts["articles"] += 1
            article = result.article
            if any(marker in error for error in article.errors for marker in CRASH_MARKERS):
                counts["crashes"] += 1
                raise AssertionError(f"crash {article.errors} on {text!r}")
            counts["error_entries"] += bool(article.errors)
            assert article.n_records == len(result.records)
            to_json_line(article).encode("utf-8")
            seen = set()
            for record in result.records:
                assert record.type in RECORD_TYPES
                assert article.text[record.start : record.end] == record.text, (record, text)
                assert record.text.strip() in record.sentence, (record, text)
                assert record.record_id not in seen
                seen.add(record.record_id)
                to_json_line(record).encode("utf-8")
            counts["records"] += len(result.records)
    return counts


@pytest.fixture(scope="module")
def chunking_extractor(nlp):
    return Extractor(nlp=nlp, with_narratives=False, max_chunk_chars=120)


def test_fuzz_smoke_hundred_articles(extractor, chunking_extractor):
    counts = fuzz(extractor, chunking_extractor, n=96, seed=7)
    assert counts["crashes"] == 0 and counts["articles"] == 96


@pytest.mark.slow
def test_fuzz_thousands_of_mutated_articles(extractor, chunking_extractor):
    n = int(os.environ.get("FINNEWS_FUZZ_N", "2000"))
    seed = int(os.environ.get("FINNEWS_FUZZ_SEED", "0"))
    counts = fuzz(extractor, chunking_extractor, n=n, seed=seed)
    print(f"fuzz: {counts}")
    assert counts["crashes"] == 0 and counts["articles"] == n
