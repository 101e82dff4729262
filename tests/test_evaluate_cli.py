import json

import pytest

from pipeline.cleaning import clean_text
from pipeline.cli import main
from pipeline.extract import stable_id

TEXT = "Tencent fell 3% at the close.\n"
MOVE = {
    "type": "price_move",
    "subject": "Tencent Holdings",
    "ticker": "0700.HK",
    "direction": "down",
    "pct": 3.0,
    "pct_high": None,
    "approx": "exact",
    "horizon": "close",
    "period": None,
    "price": None,
    "currency": None,
}


@pytest.fixture
def gold_dir(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    for split, article_id in (("dev", "g-dev"), ("test", "g-test")):
        folder = tmp_path / "gold" / split
        folder.mkdir(parents=True)
        data = {
            "article_id": article_id,
            "split": split,
            "source": {"kind": "file", "path": str(article)},
            "tickers": ["0700.HK"],
            "records": [{**MOVE, "evidence": "fell 3%"}],
            "sentences": [{"text": TEXT.strip(), "narratives": []}],
        }
        (folder / f"{article_id}.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path / "gold"


def write_run(folder, ids):
    folder.mkdir()
    articles = [
        {"article_id": i, "text": TEXT, "narratives": [], "pipeline_version": "finnews; no-narratives"}
        for i in ids
    ]
    records = [{**MOVE, "article_id": i, "text": "fell 3%", "sentence": TEXT.strip()} for i in ids]
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(a) for a in articles), encoding="utf-8")
    (folder / "records.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return folder


def test_evaluate_cli_pred_json(gold_dir, tmp_path, capsys):
    run = write_run(tmp_path / "run", ["g-dev", "g-test"])
    out = tmp_path / "report.json"
    assert (
        main(["eval", "--gold", str(gold_dir), "--pred", str(run), "--no-narratives", "--json", str(out)])
        == 0
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["splits"]["dev"]["types"]["price_move"]["f1"] == 1.0
    assert report["splits"]["all"]["types"]["price_move"]["tp"] == 2
    assert report["splits"]["dev"]["tickers"]["tp"] == 1  # from the price_move, no mention needed
    assert "finnews eval summary" in capsys.readouterr().out


def test_evaluate_cli_pred_matched_by_text_hash(gold_dir, tmp_path):
    run = write_run(tmp_path / "run", [stable_id(clean_text(TEXT))])
    out = tmp_path / "report.json"
    main(
        [
            "eval",
            "--gold",
            str(gold_dir),
            "--split",
            "dev",
            "--pred",
            str(run),
            "--no-narratives",
            "--json",
            str(out),
        ]
    )
    assert json.loads(out.read_text(encoding="utf-8"))["splits"]["dev"]["types"]["price_move"]["tp"] == 1


def test_evaluate_cli_pin_and_check_floors(gold_dir, tmp_path, capsys):
    run = write_run(tmp_path / "run", ["g-dev", "g-test"])
    floors = tmp_path / "floors.json"
    base = ["eval", "--gold", str(gold_dir), "--pred", str(run), "--no-narratives", "--floors", str(floors)]
    assert main([*base, "--pin-floors"]) == 0
    pinned = json.loads(floors.read_text(encoding="utf-8"))
    assert pinned["floors"]["test"]["price_move"] == 1.0
    assert main([*base, "--check-floors"]) == 0
    # a worse run breaks the gate, and pinning it needs --allow-lower
    worse = write_run(tmp_path / "worse", ["g-dev"])
    worse_args = [
        "eval",
        "--gold",
        str(gold_dir),
        "--pred",
        str(worse),
        "--no-narratives",
        "--floors",
        str(floors),
    ]
    assert main([*worse_args, "--check-floors"]) == 1
    assert "below its floor" in capsys.readouterr().out
    assert main([*worse_args, "--pin-floors"]) == 2
    assert main([*worse_args, "--pin-floors", "--allow-lower"]) == 0


def test_evaluate_cli_pin_needs_every_split(gold_dir, tmp_path):
    assert main(["eval", "--gold", str(gold_dir), "--split", "dev", "--pin-floors", "--no-narratives"]) == 2


def test_evaluate_cli_missing_run_folder(gold_dir, tmp_path):
    assert main(["eval", "--gold", str(gold_dir), "--pred", str(tmp_path / "none"), "--no-narratives"]) == 2


class StubClassifier:
    labels = ["capital_flows", "policy_fear"]

    def predict(self, texts):
        return [[{"label": "policy_fear", "score": 0.9}] if "fell" in t else [] for t in texts]


def test_evaluate_cli_narratives_with_classifier(gold_dir, tmp_path, monkeypatch):
    import pipeline.evaluate.run as run_module

    monkeypatch.setattr(run_module, "load_classifier", lambda path=None: (StubClassifier(), ""))
    run = write_run(tmp_path / "run", ["g-dev", "g-test"])
    out = tmp_path / "report.json"
    assert main(["eval", "--gold", str(gold_dir), "--pred", str(run), "--json", str(out)]) == 0
    narratives = json.loads(out.read_text(encoding="utf-8"))["splits"]["dev"]["narratives"]
    assert narratives["available"] is True
    assert narratives["sentence"]["micro"]["fp"] == 1  # "fell" sentence has no gold label
    assert "article" not in narratives  # the run was made without narratives
