import pytest

from pipeline.evaluate.metrics import Counts, FieldAccuracy, LabelCounts, set_counts


@pytest.mark.parametrize(
    "tp,fp,fn,precision,recall,f1",
    [
        (0, 0, 0, 1.0, 1.0, 1.0),
        (0, 2, 0, 0.0, 0.0, 0.0),
        (0, 0, 3, 0.0, 0.0, 0.0),
        (3, 1, 2, 0.75, 0.6, 2 * 3 / (2 * 3 + 1 + 2)),
        (5, 0, 0, 1.0, 1.0, 1.0),
    ],
)
def test_metrics_counts_scores(tp, fp, fn, precision, recall, f1):
    counts = Counts(tp, fp, fn)
    assert counts.precision == pytest.approx(precision)
    assert counts.recall == pytest.approx(recall)
    assert counts.f1 == pytest.approx(f1)
    assert set(counts.as_dict()) == {"tp", "fp", "fn", "precision", "recall", "f1"}


def test_metrics_counts_add():
    total = Counts()
    total.add(Counts(1, 2, 3))
    total.add(Counts(1, 0, 1))
    assert (total.tp, total.fp, total.fn) == (2, 2, 4)


@pytest.mark.parametrize(
    "gold,pred,expected",
    [({"a", "b"}, {"b", "c"}, (1, 1, 1)), (set(), set(), (0, 0, 0)), ({"a"}, set(), (0, 0, 1))],
)
def test_metrics_set_counts(gold, pred, expected):
    counts = set_counts(gold, pred)
    assert (counts.tp, counts.fp, counts.fn) == expected


def test_metrics_field_accuracy_skips_fields_neither_side_gives():
    acc = FieldAccuracy()
    acc.add({"direction": True, "price": None})
    acc.add({"direction": False, "price": True})
    out = acc.as_dict()
    assert out["direction"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert out["price"] == {"correct": 1, "total": 1, "accuracy": 1.0}


def test_metrics_field_accuracy_never_given_is_none():
    acc = FieldAccuracy()
    acc.add({"price": None})
    assert acc.as_dict()["price"]["accuracy"] is None


def test_metrics_label_counts_micro_and_macro():
    counts = LabelCounts()
    counts.add({"ai_hype"}, {"ai_hype"}, ["ai_hype", "policy_fear", "capital_flows"])
    counts.add({"policy_fear"}, set(), ["ai_hype", "policy_fear", "capital_flows"])
    counts.add(set(), {"ai_hype"}, ["ai_hype", "policy_fear", "capital_flows"])
    micro = counts.micro
    assert (micro.tp, micro.fp, micro.fn) == (1, 1, 1)
    # capital_flows never occurs: it is left out of the macro average
    assert counts.macro_f1 == pytest.approx((2 / 3 + 0.0) / 2)
    out = counts.as_dict()
    assert out["items"] == 3
    assert set(out["labels"]) == {"ai_hype", "policy_fear", "capital_flows"}
