"""A killed `finnews run` resumes where it stopped: no lost, duplicated or half-written article.

Each test really runs `finnews run` as a subprocess, SIGKILLs it (its whole process group, workers
included) at some point, restarts it with the same arguments, and compares the final files byte
for byte with an uninterrupted run. Inputs are Reuters-21578 articles read at test time from the
shared data folder (never copied into the repository), or generated texts when it is absent, mixed
with bad rows (a malformed line, a repeated id, a row without text) and two small files.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.paths import shared_data_dir

pytestmark = pytest.mark.slow

N_ARTICLES = 36
OUTPUT_FILES = ("articles.jsonl", "records.jsonl", "run.json")
RUN_TIMEOUT = 900
GENERATED = (
    "Hong Kong stocks {verb} on day {i}.\n"
    "The Hang Seng Index {verb} {pct}% to {level:,.2f}, while Tencent {verb} {pct2}%"
    " and Alibaba slipped 0.{i}%.\n"
    "Southbound investors bought a net HK${i}00 million of Hong Kong shares, exchange data showed.\n"
    "Analysts at Goldman Sachs said the market looked cheap after the selloff."
)


def _reuters_rows(limit: int) -> list[dict]:
    path = shared_data_dir() / "news" / "reuters21578.jsonl"
    if not path.exists():
        return []
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if 200 <= len(row["text"]) <= 2500:
                rows.append({key: row.get(key) for key in ("id", "title", "published", "source", "text")})
            if len(rows) == limit:
                break
    return rows


def _generated_rows(limit: int) -> list[dict]:
    verbs = ("rose", "fell", "gained", "dropped")
    return [
        {
            "id": f"gen-{i}",
            "text": GENERATED.format(
                i=i, verb=verbs[i % 4], pct=1 + i % 5, pct2=2 + i % 3, level=20000 + 37.5 * i
            ),
        }
        for i in range(limit)
    ]


def write_resume_corpus(folder: Path) -> int:
    """Write the inputs; return how many input articles they hold."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = _reuters_rows(N_ARTICLES) or _generated_rows(N_ARTICLES)
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    lines.insert(5, "{broken line")
    lines.insert(12, json.dumps({"id": rows[0]["id"], "text": rows[1]["text"]}))
    lines.insert(20, json.dumps({"id": "no-text", "title": "a row without text"}))
    (folder / "a_news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "b_note.txt").write_text("Tencent rose 2% and the Hang Seng Index gained 1.1% on Friday.\n")
    (folder / "c_empty.txt").write_text("")
    return len(lines) + 2


def _command(inputs: Path, out: Path, *extra: str) -> list[str]:
    script = Path(sys.executable).with_name("finnews")
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "pipeline.cli"]
    args = ["run", str(inputs), "--out", str(out), "--no-narratives", "--quiet", "--batch-size", "2"]
    return [*prefix, *args, *extra]


def _start(inputs: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        _command(inputs, out, *extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _kill_when(proc: subprocess.Popen, ready, timeout: float = RUN_TIMEOUT) -> bool:
    """SIGKILL the run's process group once `ready()` holds; False when the run finished first."""
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            if ready():
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return True
            if time.monotonic() > deadline:
                raise TimeoutError("finnews run did not reach the kill point in time")
            time.sleep(0.005)
        return False
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _finish(inputs: Path, out: Path, *extra: str) -> int:
    done = subprocess.run(_command(inputs, out, *extra), capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return done.returncode


def _assert_same_output(out: Path, reference: Path, n_inputs: int) -> None:
    for name in OUTPUT_FILES:
        data = (out / name).read_bytes()
        assert data == (reference / name).read_bytes(), f"{name} differs from the uninterrupted run"
    lines = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    articles = [json.loads(line) for line in lines]
    assert len(articles) == n_inputs, "no lost and no duplicated article"
    assert len({a["article_id"] for a in articles}) == n_inputs
    for name in ("articles.jsonl", "records.jsonl"):
        data = (out / name).read_bytes()
        assert not data or data.endswith(b"\n"), "no half-written line"
    assert not list(out.glob("*.tmp"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("resume_in")
    return folder, write_resume_corpus(folder)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    inputs, n_inputs = corpus
    out = tmp_path_factory.mktemp("resume_ref") / "out"
    assert _finish(inputs, out) == 1  # the bad rows fail, the rest succeed
    articles = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(articles) == n_inputs
    return out


def test_resume_killed_several_times_ends_byte_identical(corpus, reference, tmp_path):
    inputs, n_inputs = corpus
    out = tmp_path / "out"
    articles = out / "articles.jsonl"
    assert _kill_when(_start(inputs, out), lambda: _lines(articles) >= 4)
    assert 4 <= _lines(articles) < n_inputs
    # A kill in the middle of a write leaves half a line and records of an unwritten article.
    with open(out / "records.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"article_id": "orphan", "record_id": "orphan:0"}\n{"article_id": "orph')
    with open(articles, "a", encoding="utf-8") as handle:
        handle.write('{"article_id": "half-written", "n_rec')
    # The second attempt runs on two worker processes: output must not depend on that.
    assert _kill_when(_start(inputs, out, "--workers", "2"), lambda: _lines(articles) >= 20)
    assert _lines(articles) < n_inputs
    _finish(inputs, out)
    _assert_same_output(out, reference, n_inputs)


def test_resume_killed_before_the_first_article(corpus, reference, tmp_path):
    inputs, n_inputs = corpus
    out = tmp_path / "out"
    assert _kill_when(_start(inputs, out), lambda: (out / "articles.jsonl").exists())
    assert _lines(out / "articles.jsonl") == 0
    _finish(inputs, out)
    _assert_same_output(out, reference, n_inputs)


def test_resume_finished_run_is_left_as_is(corpus, reference, tmp_path):
    inputs, n_inputs = corpus
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    assert _finish(inputs, out) == 1  # the earlier failures still count
    _assert_same_output(out, reference, n_inputs)
