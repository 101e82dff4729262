import json
from pathlib import Path

import pytest
from conftest import REPO

from pipeline.cli import main
from pipeline.ray_engine import RayOptions, _input_files, is_uri, raw_articles_from_bytes
from pipeline.readers import read_path

JSONL_ROWS = [
    '{"id": "a-1", "title": "Tencent", "text": "Tencent fell 2% on Monday."}',
    "",
    '{"text": "Alibaba rose 1%.\u2028The Hang Seng Index closed at 22,579.05.", "published": "2025-01-02"}',
    "{not json",
    '{"title": "no text here"}',
    '{"id": 7, "text": "   "}',
]


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write_inputs(folder: Path) -> list[Path]:
    """A JSONL file (with a malformed line, an empty text and a repeated id) and a Parquet file."""
    import pandas as pd

    seeds = sorted((REPO / "corpus" / "seeds").glob("*.txt"))
    rows = [{"id": f"seed-{i}", "text": p.read_text(encoding="utf-8")} for i, p in enumerate(seeds)]
    rows.append({"id": "seed-0", "text": "Hang Seng Index futures fell 1.5% in early trade."})
    jsonl = folder / "a.jsonl"
    jsonl.write_text("\n".join([*map(json.dumps, rows), *JSONL_ROWS]) + "\n", encoding="utf-8")
    parquet = folder / "b.parquet"
    row = {"text": "Nvidia shares rose 3.5% to $120.", "title": "Nvidia", "url": None}
    pd.DataFrame([row]).to_parquet(parquet)
    return [jsonl, parquet]


@pytest.mark.parametrize("content", ["\n".join(JSONL_ROWS), "", "\n\n", '{"text": "x"}'])
def test_ray_engine_jsonl_bytes_read_like_the_local_reader(tmp_path, content):
    path = tmp_path / "in.jsonl"
    path.write_text(content, encoding="utf-8")
    expected = list(read_path(path))
    assert list(raw_articles_from_bytes(path.read_bytes(), str(path), None)) == expected


@pytest.mark.parametrize("rows", [[{"text": "A rose 1%.", "id": "x"}, {"body": "B fell.", "title": "t"}], []])
def test_ray_engine_parquet_bytes_read_like_the_local_reader(tmp_path, rows):
    import pandas as pd

    path = tmp_path / "in.parquet"
    pd.DataFrame(rows, columns=["text", "id", "body", "title"] if not rows else None).to_parquet(path)
    expected = list(read_path(path))
    assert list(raw_articles_from_bytes(path.read_bytes(), str(path), None)) == expected


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (["-"], "cannot read stdin"),
        (["corpus/seeds"], "use --engine local"),
        (["missing.jsonl"], "not found"),
    ],
)
def test_ray_engine_refuses_inputs_it_cannot_read(tmp_path, inputs, message):
    with pytest.raises(ValueError, match=message):
        _input_files([str(REPO / i) if i != "-" else i for i in inputs], str(tmp_path / "out"))


@pytest.mark.parametrize(
    ("options", "cluster_cpus", "expected"),
    [
        (RayOptions(actors=1), 2, 1.0),
        (RayOptions(actors=2), 2, 0.5),
        (RayOptions(actors=4), 2, 0.25),
        (RayOptions(actors=8), 64, 1.0),
        (RayOptions(actors=2, actor_cpus=0.3), 2, 0.3),
    ],
)
def test_ray_engine_actors_leave_a_cpu_for_reading(options, cluster_cpus, expected):
    assert options.cpus_per_actor(cluster_cpus) == expected


@pytest.mark.parametrize(("path", "expected"), [("s3://bucket/x.jsonl", True), ("data/x.jsonl", False)])
def test_ray_engine_is_uri(path, expected):
    assert is_uri(path) is expected


@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray")
    pytest.importorskip("ray.data")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.mark.slow
def test_ray_engine_writes_the_same_output_as_the_local_engine(tmp_path, ray_local):
    inputs = [str(p) for p in _write_inputs(tmp_path)]
    local, distributed = tmp_path / "local", tmp_path / "ray"
    common = ["--no-narratives", "--quiet", "--format", "parquet", "--batch-size", "2"]
    assert main(["run", *inputs, "--out", str(local), *common]) == 1  # some inputs fail on purpose
    on_ray = ["--engine", "ray", "--workers", "2"]
    assert main(["run", *inputs, "--out", str(distributed), *on_ray, *common]) == 1
    for name in ("articles.jsonl", "records.jsonl", "run.json"):
        assert (distributed / name).read_bytes() == (local / name).read_bytes(), name
    records, articles = (_jsonl(local / name) for name in ("records.jsonl", "articles.jsonl"))
    assert records and len(articles) == 12
    assert any(a["article_id"] == "seed-0#2" for a in articles)
    import pandas as pd

    for name in ("articles", "records"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(distributed / f"{name}.parquet"), pd.read_parquet(local / f"{name}.parquet")
        )


@pytest.mark.slow
def test_ray_engine_writes_to_a_uri(tmp_path, ray_local):
    inputs = [str(p) for p in _write_inputs(tmp_path)]
    out = f"file://{tmp_path / 'uri'}"
    code = main(["run", inputs[1], "--out", out, "--engine", "ray", "--no-narratives", "--quiet"])
    assert code == 0
    assert json.loads((tmp_path / "uri" / "articles.jsonl").read_text(encoding="utf-8"))["title"] == "Nvidia"
