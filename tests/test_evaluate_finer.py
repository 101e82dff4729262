import json

import pytest

from pipeline.evaluate.finer import (
    FINNEWS_MAP,
    STOCK_MAP,
    finer_path,
    gold_spans,
    load_finer,
    map_entities,
    render_finer,
    score_spans,
)


@pytest.mark.parametrize(
    "ents,mapping,expected",
    [
        (
            [(0, 5, "ORG"), (6, 10, "PERSON"), (11, 15, "GPE"), (16, 20, "DATE")],
            STOCK_MAP,
            {(0, 5, "ORG"), (6, 10, "PER"), (11, 15, "LOC")},
        ),
        (
            [(0, 5, "COMPANY"), (6, 10, "INDEX"), (11, 15, "SECTOR"), (16, 20, "INSTITUTION")],
            FINNEWS_MAP,
            {(0, 5, "ORG"), (6, 10, "ORG"), (16, 20, "ORG")},
        ),
        ([(0, 5, "COMPANY")], STOCK_MAP, set()),
    ],
)
def test_finer_map_entities(ents, mapping, expected):
    assert map_entities(ents, mapping) == expected


def test_finer_score_is_strict():
    gold = [{(0, 6, "ORG"), (10, 20, "PER")}, {(0, 4, "LOC")}]
    pred = [{(0, 6, "ORG"), (10, 19, "PER")}, {(0, 4, "ORG")}]  # a boundary miss and a label miss
    scores = score_spans(gold, pred)
    assert (scores["ORG"].tp, scores["ORG"].fp, scores["ORG"].fn) == (1, 1, 0)
    assert (scores["PER"].tp, scores["PER"].fp, scores["PER"].fn) == (0, 1, 1)
    assert (scores["LOC"].tp, scores["LOC"].fn) == (0, 1)
    assert (scores["micro"].tp, scores["micro"].fp, scores["micro"].fn) == (1, 2, 2)


def test_finer_load_and_gold_spans(tmp_path):
    folder = tmp_path / "labelled" / "finer_ord"
    folder.mkdir(parents=True)
    doc = {
        "text": "Apple hired Tim Cook .",
        "entities": [{"start": 0, "end": 5, "label": "ORG", "text": "Apple"}],
    }
    (folder / "test_docs.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    [loaded] = load_finer(finer_path("test", tmp_path))
    assert gold_spans(loaded) == {(0, 5, "ORG")}


@pytest.mark.parametrize("split,message", [("dev", "unknown FiNER-ORD split"), ("test", "not found")])
def test_finer_path_errors(tmp_path, split, message):
    with pytest.raises(ValueError, match=message):
        finer_path(split, tmp_path)


def test_finer_render_side_by_side():
    labels = {
        k: {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
        for k in ("ORG", "PER", "LOC", "micro")
    }
    result = {
        "benchmark": "FiNER-ORD test",
        "documents": 1,
        "entities": 3,
        "scoring": "strict",
        "reference": "ref",
        "systems": {"stock": {"labels": labels}, "finnews": {"labels": labels}},
    }
    text = render_finer(result)
    assert "stock F1" in text and "finnews F1" in text and text.splitlines()[-1] == "reference: ref"
