import numpy as np
import pytest

from pipeline.narratives.evaluate import (
    evaluate_sentences,
    format_report,
    label_matrix,
    labels_from_scores,
    tune_thresholds,
)

LABELS = ["a", "b"]


@pytest.mark.parametrize(
    "pred,gold,a_prf,b_prf,macro",
    [
        ([{"a"}, set()], [{"a"}, set()], (1.0, 1.0, 1.0), (1.0, 1.0, 1.0), 1.0),
        ([{"a"}, {"a"}], [{"a"}, set()], (0.5, 1.0, 0.6667), (1.0, 1.0, 1.0), 0.8333),
        ([set(), {"b"}], [{"a"}, {"b"}], (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), 0.5),
        ([{"a", "b"}], [{"b"}], (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), 0.5),
    ],
)
def test_narratives_evaluate_sentences(pred, gold, a_prf, b_prf, macro):
    result = evaluate_sentences(pred, gold, LABELS)
    for label, prf in (("a", a_prf), ("b", b_prf)):
        m = result["labels"][label]
        assert (m["precision"], m["recall"], m["f1"]) == pytest.approx(prf, abs=1e-4)
    assert result["macro_f1"] == pytest.approx(macro, abs=1e-4)
    assert result["n_sentences"] == len(gold)


def test_narratives_evaluate_sentences_length_mismatch():
    with pytest.raises(ValueError, match="predictions"):
        evaluate_sentences([set()], [], LABELS)


def test_narratives_thresholds_roundtrip():
    scores = np.array([[0.9, 0.2], [0.3, 0.8], [0.6, 0.1], [0.1, 0.1]])
    gold = label_matrix([["a"], ["b"], ["a"], []], LABELS)
    thresholds = tune_thresholds(scores, gold, LABELS)
    assert 0.3 < thresholds["a"] <= 0.6
    assert 0.2 < thresholds["b"] <= 0.8
    assert labels_from_scores(scores, thresholds, LABELS) == [{"a"}, {"b"}, {"a"}, set()]


def test_narratives_thresholds_default_without_positives():
    scores = np.array([[0.9, 0.2]])
    assert tune_thresholds(scores, label_matrix([[]], LABELS), LABELS)["a"] == 0.5


def test_narratives_format_report_has_rows():
    result = evaluate_sentences([{"a"}], [{"a"}], LABELS)
    table = format_report({"sys1": result}, LABELS)
    assert table.count("\n") == 2 and "sys1" in table and "macro-F1" in table


def test_narratives_thresholds_slack_keeps_the_threshold_near_the_default():
    # F1 is 1.0 up to 0.3 only; 0.5 loses one positive (F1 0.8): within a slack of 0.25, not of 0.0
    scores = np.array([[0.3, 0.0], [0.6, 0.0], [0.7, 0.0], [0.1, 0.0]])
    gold = label_matrix([["a"], ["a"], ["a"], []], LABELS)
    assert tune_thresholds(scores, gold, LABELS)["a"] <= 0.3
    assert tune_thresholds(scores, gold, LABELS, slack=0.25)["a"] == 0.5
