import json

import pytest

from pipeline.evaluate.corpus import RECORD_TYPES, parse_gold
from pipeline.evaluate.match import MatchConfig
from pipeline.evaluate.report import build_report, render_report, render_summary
from pipeline.evaluate.scoring import Prediction, score_corpus

MOVE = {
    "type": "price_move",
    "subject": "Tencent Holdings",
    "ticker": "0700.HK",
    "direction": "down",
    "pct": 3.0,
    "pct_high": None,
    "approx": "under",
    "horizon": "close",
    "period": None,
    "price": None,
    "currency": None,
    "evidence": "down nearly 3% at the close",
}
FLOW = {
    "type": "money_flow",
    "channel": "southbound",
    "subject": None,
    "direction": "net_buy",
    "amount": 9e8,
    "currency": "HKD",
    "approx": "over",
    "period": None,
    "evidence": "net purchases of over",
}


def golds():
    dev = parse_gold(
        {
            "article_id": "d1",
            "split": "dev",
            "source": {"kind": "file", "path": "x"},
            "tickers": ["0700.HK", "^HSI"],
            "records": [MOVE, FLOW],
            "sentences": [
                {"text": "Tencent fell.", "narratives": ["policy_fear"]},
                {"text": "Southbound bought.", "narratives": ["capital_flows"]},
            ],
        }
    )
    test = parse_gold(
        {
            "article_id": "t1",
            "split": "test",
            "source": {"kind": "file", "path": "y"},
            "tickers": [],
            "records": [MOVE],
            "sentences": [{"text": "x", "narratives": []}],
        }
    )
    return [dev, test]


def preds(with_narratives=True):
    move = {
        **{k: v for k, v in MOVE.items() if k != "evidence"},
        "text": "fell 3%",
        "sentence": "Tencent fell 3%.",
        "extractor": "fin_moves:verb_pct",
        "approx": "exact",
    }
    mention = {"type": "mention", "ticker": "0700.HK", "entity_kind": "company"}
    broker = {"type": "mention", "ticker": "GS", "entity_kind": "institution"}
    wrong = {**move, "subject": "Alibaba", "ticker": "9988.HK"}
    return {
        "d1": Prediction(
            "d1",
            [move, mention, broker, wrong],
            narratives=["policy_fear"] if with_narratives else None,
            sentence_narratives=[["policy_fear"], []] if with_narratives else None,
        ),
        "t1": Prediction(
            "t1",
            [move],
            narratives=[] if with_narratives else None,
            sentence_narratives=[[]] if with_narratives else None,
        ),
    }


@pytest.fixture
def report():
    scores, errors = score_corpus(
        golds(), preds(), MatchConfig.load(), label_set=["policy_fear", "capital_flows"]
    )
    return build_report(scores, errors, "ab" * 32, narratives_available=True)


def test_report_json_schema(report):
    json.dumps(report)  # serialisable
    assert set(report) >= {"gold", "matching", "splits", "errors"}
    assert list(report["splits"]) == ["dev", "test", "all"]
    for section in report["splits"].values():
        assert set(section) >= {"articles", "types", "records", "tickers", "narratives"}
        assert set(section["types"]) == set(RECORD_TYPES)
        for counts in [*section["types"].values(), section["records"], section["tickers"]]:
            assert set(counts) >= {"tp", "fp", "fn", "precision", "recall", "f1"}
        assert section["narratives"]["available"] is True
        assert set(section["narratives"]["sentence"]) == {"items", "micro", "macro_f1", "labels"}


@pytest.mark.parametrize(
    "split,row,expected",
    [
        ("dev", "price_move", (1, 1, 0)),
        ("dev", "money_flow", (0, 0, 1)),
        ("test", "price_move", (1, 0, 0)),
        ("all", "price_move", (2, 1, 0)),
    ],
)
def test_report_counts(report, split, row, expected):
    section = report["splits"][split]
    counts = section["types"][row]
    assert (counts["tp"], counts["fp"], counts["fn"]) == expected


def test_report_tickers_counts(report):
    tickers = report["splits"]["dev"]["tickers"]
    # predicted {0700.HK, 9988.HK} (GS is a source), gold {0700.HK, ^HSI}
    assert (tickers["tp"], tickers["fp"], tickers["fn"]) == (1, 1, 1)


def test_report_field_accuracy(report):
    fields = report["splits"]["dev"]["types"]["price_move"]["fields"]
    assert fields["approx"] == {"correct": 0, "total": 1, "accuracy": 0.0}
    assert fields["horizon"]["accuracy"] == 1.0


def test_report_narratives(report):
    sentence = report["splits"]["dev"]["narratives"]["sentence"]
    assert sentence["items"] == 2
    assert (sentence["micro"]["tp"], sentence["micro"]["fn"]) == (1, 1)
    article = report["splits"]["dev"]["narratives"]["article"]
    assert (article["micro"]["tp"], article["micro"]["fn"]) == (1, 1)


def test_report_errors_dev_only_by_default(report):
    assert {e["split"] for e in report["errors"]} == {"dev"}
    kinds = {(e["kind"], e["type"]) for e in report["errors"]}
    assert kinds == {("FP", "price_move"), ("FN", "money_flow"), ("FN", "ticker"), ("FP", "ticker")}
    fp = next(e for e in report["errors"] if e["kind"] == "FP" and e["type"] == "price_move")
    assert fp["evidence"] == "fell 3%" and fp["sentence"] == "Tencent fell 3%."
    fn = next(e for e in report["errors"] if e["type"] == "money_flow")
    assert fn["evidence"] == FLOW["evidence"]


def test_report_errors_of_requested_split():
    scores, errors = score_corpus(
        golds(), preds(), MatchConfig.load(), splits=("test",), error_splits=("test",)
    )
    assert list(scores) == ["test"] and all(e["split"] == "test" for e in errors)


def test_report_narratives_unavailable():
    scores, errors = score_corpus(golds(), preds(with_narratives=False), MatchConfig.load())
    report = build_report(scores, errors, "00" * 32, narratives_available=False, reason="no model")
    assert report["splits"]["dev"]["narratives"] == {"available": False, "reason": "no model"}
    assert "narratives unavailable: no model" in render_summary(report)


def test_report_missing_prediction_counts_as_misses():
    scores, _ = score_corpus(golds(), {}, MatchConfig.load())
    assert scores["dev"].types["price_move"].fn == 1
    assert scores["dev"].failed_articles == ["d1"]


def test_report_text_ends_with_compact_summary(report):
    lines = render_report(report, with_errors=True).splitlines()
    tail = lines[-15:]
    assert any(line.startswith("== finnews eval summary") for line in tail)
    assert tail[-1].startswith("gold sha256")
    assert any(line.startswith("price_move") for line in tail)
    assert any("== errors" in line for line in lines)
