import json

import pytest

from pipeline.cli import main
from pipeline.export import load_tables

from conftest import REPO


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    code = main(["run", str(REPO / "corpus" / "seeds"), "--out", str(out), "--no-narratives", "--quiet"])
    return code, out


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_run_writes_one_article_line_per_input_and_exits_zero(seeds_run):
    code, out = seeds_run
    articles = _jsonl(out / "articles.jsonl")
    assert code == 0
    assert len(articles) == 5 and all(not a["errors"] for a in articles)


def test_run_record_offsets_point_into_the_cleaned_text(seeds_run):
    _, out = seeds_run
    texts = {a["article_id"]: a["text"] for a in _jsonl(out / "articles.jsonl")}
    records = _jsonl(out / "records.jsonl")
    assert records
    for record in records:
        assert texts[record["article_id"]][record["start"] : record["end"]] == record["text"]
        assert record["record_id"].startswith(record["article_id"] + ":")
    assert len({r["record_id"] for r in records}) == len(records)


def test_run_counts_match_records(seeds_run):
    _, out = seeds_run
    articles = _jsonl(out / "articles.jsonl")
    records = _jsonl(out / "records.jsonl")
    assert sum(a["n_records"] for a in articles) == len(records)


def test_run_summary_is_printed(capsys, tmp_path):
    (tmp_path / "a.txt").write_text("The Hang Seng Index rose 1.2% on Monday.")
    (tmp_path / "empty.txt").write_text("   \n")
    code = main(["run", str(tmp_path), "--out", str(tmp_path / "out"), "--no-narratives", "--quiet"])
    printed = capsys.readouterr().out
    assert code == 1
    assert "articles: 2 processed" in printed and "errors:   1 article(s) failed" in printed
    assert "articles/s" in printed


def test_run_parquet_and_pandas_tables_match_jsonl(tmp_path):
    out = tmp_path / "out"
    code = main(["run", str(REPO / "corpus" / "seeds" / "002_4405cad403300ec9.txt"), "--out", str(out),
                 "--format", "parquet", "--no-narratives", "--quiet"])
    assert code == 0
    assert (out / "articles.parquet").exists() and (out / "records.parquet").exists()
    articles, records = load_tables(out)
    assert len(articles) == 1 and len(records) == len(_jsonl(out / "records.jsonl"))
    assert set(records["type"]) >= {"mention"}


def test_run_missing_input_exits_two(tmp_path, capsys):
    assert main(["run", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "input not found" in capsys.readouterr().err


def test_run_row_id_is_kept_and_text_hash_is_stable(tmp_path):
    rows = [{"id": "wire-1", "text": "Tencent fell 2%."}, {"text": "Alibaba rose 1%."}]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    for name in ("o1", "o2"):
        main(["run", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / name), "--no-narratives", "--quiet"])
    first, second = (_jsonl(tmp_path / n / "articles.jsonl") for n in ("o1", "o2"))
    assert first[0]["article_id"] == "wire-1"
    assert first[1]["article_id"] == second[1]["article_id"] and len(first[1]["article_id"]) == 16
