import json

import pytest

from pipeline.evaluate.corpus import parse_gold
from pipeline.evaluate.predict import classify_sentences, load_classifier, read_run


class StubClassifier:
    labels = ["ai_hype", "capital_flows"]

    def __init__(self):
        self.seen = []

    def predict(self, texts):
        self.seen.extend(texts)
        return [[{"label": "ai_hype", "score": 0.9}] if "AI" in t else [] for t in texts]


def article(article_id, sentences):
    return parse_gold(
        {
            "article_id": article_id,
            "split": "dev",
            "source": {"kind": "file", "path": "x"},
            "sentences": [{"text": s, "narratives": []} for s in sentences],
        }
    )


def test_predict_classify_sentences_per_article():
    stub = StubClassifier()
    golds = [article("a", ["AI names led\ngains.", "Flat."]), article("b", []), article("c", ["AI again"])]
    out = classify_sentences(stub, golds)
    assert out == {"a": [["ai_hype"], []], "b": [], "c": [["ai_hype"]]}
    assert stub.seen[0] == "AI names led gains."  # wrapped lines are joined


def test_predict_load_classifier_without_model(monkeypatch, tmp_path):
    import pipeline.narratives.predict as narratives

    monkeypatch.setattr(narratives, "default_model_dir", lambda: tmp_path / "narratives")
    classifier, reason = load_classifier()
    assert classifier is None and "finnews train" in reason


@pytest.mark.parametrize(
    "version,expected", [("finnews 0.1; narratives", ["ai_hype"]), ("x; no-narratives", None)]
)
def test_predict_read_run_article_narratives(tmp_path, version, expected):
    (tmp_path / "articles.jsonl").write_text(
        json.dumps(
            {
                "article_id": "a",
                "narratives": [{"label": "ai_hype", "score": 0.8}],
                "pipeline_version": version,
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "records.jsonl").write_text("", encoding="utf-8")
    [pred] = read_run(tmp_path, [article("a", [])]).values()
    assert pred.narratives == expected and pred.records == []
