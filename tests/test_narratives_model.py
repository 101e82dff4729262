"""data -> train -> save -> load -> predict with a tiny randomly initialised BERT (seconds, offline)."""

import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.narratives.labels import CONTRACT_LABELS
from pipeline.narratives.predict import NarrativeClassifier, aggregate_article, ensure_model, has_weights
from pipeline.narratives.train import TrainArgs, run_training

ROWS = [
    ("AI chip stocks soared on the artificial intelligence boom.", ["ai_hype"]),
    ("Tariff fears sent markets lower.", ["policy_fear"]),
    ("Gold rallied as investors sought a safe haven.", ["safe_haven_rotation"]),
    ("Southbound investors bought a net HK$2 billion of shares.", ["capital_flows"]),
    ("The company named a new chairman.", []),
]


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory) -> Path:
    from transformers import AutoTokenizer, BertConfig, BertModel

    from pipeline.narratives.zeroshot import base_model_dir

    folder = tmp_path_factory.mktemp("tiny_bert")
    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir()))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    BertModel(config).save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def trained(tiny_base, tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("narr")
    written = root / "written.jsonl"
    rows = [{"text": f"{text} ({i})", "labels": labels} for i in range(4) for text, labels in ROWS]
    written.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    args = TrainArgs.from_json(
        base_model=str(tiny_base),
        output_dir=str(root / "model"),
        gold_dir=str(root / "gold" / "dev"),
        gold_root=str(root / "gold"),
        test_dir=str(root / "gold" / "test"),
        written_path=str(written),
        shared_data=str(root / "no_shared_data"),
        epochs=2,
        batch_size=4,
        learning_rate=1e-3,
        freeze_embeddings=False,
        evaluate=False,
        progress=False,
    )
    report = run_training(args)
    return root / "model", report


def test_narratives_train_saves_everything(trained):
    path, report = trained
    assert has_weights(path)
    for name in ("config.json", "thresholds.json", "MODEL_CARD.md", "metrics.json", "tokenizer.json"):
        assert (path / name).is_file(), name
    config = json.loads((path / "config.json").read_text())
    assert list(config["id2label"].values())[:4] == list(CONTRACT_LABELS)
    assert config["problem_type"] == "multi_label_classification"
    assert report["data"]["train"]["by_origin"]["written"] == 16
    assert report["data"]["dev"]["rows"] == 4
    assert set(report["thresholds"]) == set(CONTRACT_LABELS)
    assert "written" in (path / "MODEL_CARD.md").read_text()


def test_narratives_classifier_predicts(trained):
    path, _ = trained
    classifier = NarrativeClassifier.load(path)
    texts = [text for text, _ in ROWS] + [""]
    scores = classifier.scores(texts, batch_size=2)
    assert scores.shape == (len(texts), len(classifier.labels))
    assert ((scores >= 0) & (scores <= 1)).all()
    predictions = classifier.predict(texts, batch_size=2)
    assert len(predictions) == len(texts)
    for hits in predictions:
        assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
        for hit in hits:
            assert hit["label"] in classifier.labels
            assert hit["score"] >= classifier.thresholds[hit["label"]]
            assert hit["score"] == round(hit["score"], 4)


def test_narratives_ensure_model_keeps_trained_model(trained):
    path, _ = trained
    before = (path / "model.safetensors").stat().st_mtime_ns
    assert ensure_model(path) == path
    assert (path / "model.safetensors").stat().st_mtime_ns == before


def test_narratives_load_without_weights_explains(tmp_path):
    with pytest.raises(ValueError, match="finnews train"):
        NarrativeClassifier.load(tmp_path)


@pytest.mark.parametrize(
    "scores,expected",
    [
        ([[0.9, 0.1], [0.2, 0.7]], [("a", 0.9), ("b", 0.7)]),
        ([[0.4, 0.1], [0.45, 0.2]], []),
        ([[0.3, 0.8]], [("b", 0.8)]),
        (np.zeros((0, 2)), []),
    ],
)
def test_narratives_aggregate_article_max(scores, expected):
    hits = aggregate_article(np.array(scores), {"a": 0.5, "b": 0.6})
    assert [(h["label"], h["score"]) for h in hits] == [(label, pytest.approx(s)) for label, s in expected]


def test_narratives_cli_classify(trained, monkeypatch, capsys):
    from pipeline.cli import build_parser

    parser = build_parser()  # the real `finnews` command line carries `classify`
    path, _ = trained
    lines = [json.dumps({"id": "r1", "text": ROWS[0][0]}), "", json.dumps({"id": "r2", "text": ROWS[4][0]})]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines)))
    args = parser.parse_args(["classify", "-", "--model", str(path)])
    assert args.handler(args) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["id"] for row in out] == ["r1", "r2"]
    assert all(isinstance(row["narratives"], list) for row in out)


def test_narratives_cli_classify_rejects_bad_rows(trained, monkeypatch):
    from pipeline.cli import build_parser

    parser = build_parser()
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"id": 1}\n'))
    args = parser.parse_args(["classify", "--model", str(trained[0])])
    with pytest.raises(ValueError, match='needs a "text"'):
        args.handler(args)


def test_narratives_train_args_reject_unknown(tmp_path):
    path = tmp_path / "args.json"
    path.write_text('{"epochs": 1, "epoch": 2}', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown training argument"):
        TrainArgs.from_json(path)


def test_narratives_cli_train_is_a_finnews_subcommand():
    from pipeline.cli import build_parser

    args = build_parser().parse_args(["train", "--epochs", "2", "--no-eval", "--quiet"])
    assert args.command == "train" and args.epochs == 2 and args.no_eval and args.quiet
    assert callable(args.handler)


def test_narratives_frozen_layers_keep_their_pretrained_weights(tiny_base):
    from pipeline.narratives.train import load_base

    args = TrainArgs.from_json(base_model=str(tiny_base), freeze_layers=1, freeze_embeddings=False)
    model, _ = load_base(args, list(CONTRACT_LABELS))
    frozen = list(model.base_model.encoder.layer[0].parameters())
    assert frozen and not any(p.requires_grad for p in frozen)
    assert all(p.requires_grad for p in model.classifier.parameters())
    assert all(p.requires_grad for p in model.base_model.embeddings.parameters())


def test_narratives_zero_shot_embeddings_keep_the_input_order(tiny_base):
    from pipeline.narratives.labels import load_narrative_config
    from pipeline.narratives.zeroshot import ZeroShotScorer

    scorer = ZeroShotScorer(load_narrative_config(), model_dir=tiny_base)
    texts = [text for text, _ in ROWS] + ["Stocks fell."]
    together = scorer.embed(texts, batch_size=3)  # sorted by length inside, in batches of three
    one_by_one = np.concatenate([scorer.embed([text]) for text in texts])
    assert np.allclose(together, one_by_one, atol=1e-5)


def test_narratives_freeze_layers_out_of_range_is_refused(tiny_base):
    from pipeline.narratives.train import load_base

    args = TrainArgs.from_json(base_model=str(tiny_base), freeze_layers=2)  # the tiny model has one
    with pytest.raises(ValueError, match="freeze_layers"):
        load_base(args, list(CONTRACT_LABELS))
