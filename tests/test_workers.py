import pytest
from conftest import REPO

from pipeline.cli import main


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", ["1"])
def test_workers_two_processes_write_the_same_bytes_as_one(tmp_path, batch_size):
    seeds = str(REPO / "corpus" / "seeds")
    outputs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        args = ["run", seeds, "--out", str(out), "--workers", workers, "--batch-size", batch_size]
        assert main([*args, "--no-narratives", "--quiet"]) == 0
        outputs[workers] = out
    for name in ("articles.jsonl", "records.jsonl", "run.json"):
        assert (outputs["2"] / name).read_bytes() == (outputs["1"] / name).read_bytes(), name
