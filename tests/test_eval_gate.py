"""Evaluation gate: no F1 may fall below its pinned floor, and floors belong to the current gold.

Re-pin after improving (or after the gold changed) with `finnews eval --pin-floors`; a floor is only
lowered with `--allow-lower`.
"""

import pytest

from pipeline.evaluate.corpus import gold_hash
from pipeline.evaluate.gate import GATED_ROWS, check_floors, default_floors_path, read_floors
from pipeline.paths import repo_root, shared_data_dir

pytestmark = pytest.mark.slow

GOLD = repo_root() / "corpus" / "gold"
NARRATIVE_ROWS = tuple(row for row in GATED_ROWS if row.startswith("narratives"))
RECORD_ROWS = tuple(row for row in GATED_ROWS if row not in NARRATIVE_ROWS)


@pytest.fixture(scope="module")
def floors():
    return read_floors(default_floors_path())


@pytest.fixture(scope="module")
def report(nlp):
    from pipeline.evaluate.run import evaluate

    from pipeline.narratives.predict import ensure_model

    if not shared_data_dir().is_dir():
        pytest.skip(
            "shared data folder not available (set FINNEWS_SHARED_DATA): Reuters gold texts live there"
        )
    ensure_model()  # a fresh checkout trains the classifier here (minutes), as `finnews run` would
    return evaluate(GOLD)


def test_eval_gate_gold_hash_is_pinned(floors):
    current = gold_hash(GOLD)
    assert floors.get("gold_sha256") == current, (
        f"corpus/gold changed since tests/eval_floors.json was pinned "
        f"(pinned {str(floors.get('gold_sha256'))[:12]}, now {current[:12]}): run "
        "`finnews eval --pin-floors` (add --allow-lower only if the new gold made a figure fall), commit it"
    )


def test_eval_gate_records_and_tickers(report, floors):
    result = check_floors(report, floors, rows=RECORD_ROWS)
    assert not result.failures, "F1 below its floor: " + "; ".join(result.failures)


def test_eval_gate_narratives(report, floors):
    assert all(split["narratives"]["available"] for split in report["splits"].values())
    assert all(row in floors["floors"]["test"] for row in NARRATIVE_ROWS), "narrative floors not pinned"
    result = check_floors(report, floors, rows=NARRATIVE_ROWS)
    assert not result.failures, "F1 below its floor: " + "; ".join(result.failures)
