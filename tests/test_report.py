import base64
import html
import json
import re

import pytest

from pipeline.cli import main
from pipeline.evaluate.corpus import parse_gold
from pipeline.evaluate.match import MatchConfig
from pipeline.evaluate.report import build_report
from pipeline.evaluate.scoring import Prediction, score_corpus
from pipeline.html_report import confusion_rows, find_sentence, render_eval_report, write_eval_report
from pipeline.plots import label_f1_chart, prf_chart

SENTENCE = 'Tencent <TCEHY> fell 3% & "AT&T" rose.'
MOVE = {
    "type": "price_move",
    "subject": "Tencent Holdings",
    "ticker": "0700.HK",
    "direction": "down",
    "pct": 3.0,
    "pct_high": None,
    "approx": "exact",
    "horizon": None,
    "period": None,
    "price": None,
    "currency": None,
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
    "evidence": "bought over HK$900 <million>",
}
PNG = "data:image/png;base64,"


def build(with_narratives=True):
    gold = parse_gold(
        {
            "article_id": "d1",
            "split": "dev",
            "source": {"kind": "file", "path": "x"},
            "tickers": ["0700.HK"],
            "records": [{**MOVE, "evidence": "fell 3%"}, FLOW],
            "sentences": [
                {"text": SENTENCE, "narratives": ["policy_fear"]},
                {
                    "text": "Southbound investors bought over HK$900 <million>.",
                    "narratives": ["capital_flows"],
                },
                {"text": "Nothing here.", "narratives": []},
            ],
        }
    )
    wrong = {**MOVE, "subject": "AT&T", "ticker": "T", "direction": "up", "text": '"AT&T" rose'}
    wrong["sentence"] = SENTENCE
    right = {**MOVE, "text": "fell 3%", "sentence": SENTENCE}
    pred = Prediction(
        "d1",
        [right, wrong],
        narratives=["policy_fear"] if with_narratives else None,
        sentence_narratives=[["policy_fear"], [], ["ai_hype"]] if with_narratives else None,
    )
    labels = ["policy_fear", "capital_flows", "ai_hype"] if with_narratives else []
    scores, errors = score_corpus([gold], {"d1": pred}, MatchConfig.load(), ("dev",), labels)
    return build_report(scores, errors, "cd" * 32, narratives_available=with_narratives, reason="skipped")


def sentences():
    return {"d1": [SENTENCE, "Southbound investors bought over HK$900 <million>.", "Nothing here."]}


@pytest.fixture
def report():
    return build()


def images(page):
    return re.findall(r'<img [^>]*src="(data:image/png;base64,[^"]+)"', page)


def test_report_page_has_charts_as_png_data(report):
    page = render_eval_report(report, sentences())
    found = images(page)
    assert len(found) == 2  # P/R/F1 per type, narrative F1 per label
    for uri in found:
        assert base64.b64decode(uri[len(PNG) :])[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_page_without_narratives_says_why():
    page = render_eval_report(build(with_narratives=False))
    assert len(images(page)) == 1 and "Narratives unavailable: skipped" in page


def test_report_page_lists_errors_with_marked_evidence(report):
    page = render_eval_report(report, sentences())
    marks = [html.unescape(m) for m in re.findall(r'<mark class="ev [^"]*">(.*?)</mark>', page)]
    assert '"AT&T" rose' in marks  # the false positive, inside its predicted sentence
    assert "bought over HK$900 <million>" in marks  # the false negative, inside its gold sentence
    assert 'Southbound investors <mark class="ev t-money_flow">' in page
    assert page.count('<td class="kind-FP">') == 1 and page.count('<td class="kind-FN">') == 1
    assert '<span class="kind-FP">FP</span> <span class="ticker">T</span>' in page
    assert "<million>" not in page and "<TCEHY>" not in page


def test_report_page_fn_without_gold_sentences_shows_evidence(report):
    page = render_eval_report(report)
    assert '<mark class="ev t-money_flow">bought over HK$900 &lt;million&gt;</mark>' in page


@pytest.mark.parametrize(
    "label,expected",
    [
        ("policy_fear", {"tp": 1, "fp": 0, "fn": 0, "tn": 2}),
        ("capital_flows", {"tp": 0, "fp": 0, "fn": 1, "tn": 2}),
        ("ai_hype", {"tp": 0, "fp": 1, "fn": 0, "tn": 2}),
    ],
)
def test_report_confusion_rows_count_true_negatives(report, label, expected):
    rows = {r["label"]: r for r in confusion_rows(report["splits"]["dev"]["narratives"]["sentence"])}
    assert {k: rows[label][k] for k in expected} == expected


def test_report_page_shows_every_score_row(report):
    page = render_eval_report(report, sentences())
    for name in ("price_move", "index_level", "money_flow", "analyst_view", "records", "tickers"):
        assert f"</span> {name}</td>" in page
    assert page.count('<table class="scores confusion">') == 2  # sentence and article level


@pytest.mark.parametrize(
    "evidence,expected",
    [
        ("fell 3%", SENTENCE),
        ("BOUGHT   over", "Southbound investors bought over HK$900 <million>."),
        ("absent", ""),
        (None, ""),
    ],
)
def test_report_find_sentence(evidence, expected):
    assert find_sentence(sentences()["d1"], evidence) == expected


@pytest.mark.parametrize(
    "rows",
    [
        [("price_move", {"precision": 1.0, "recall": 0.5, "f1": 0.667, "tp": 1, "fp": 0, "fn": 1})],
        [("a", {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 0, "fp": 0, "fn": 0})] * 7,
    ],
)
def test_report_prf_chart_is_a_png(rows):
    assert prf_chart(rows, "t").startswith(PNG)


def test_report_label_chart_handles_no_labels():
    assert label_f1_chart({"sentence": {}}, "t").startswith(PNG)


def test_report_write_creates_folder(report, tmp_path):
    path = write_eval_report(report, tmp_path / "deep" / "report.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_eval_cli_writes_report(tmp_path, capsys):
    text_file = tmp_path / "a.txt"
    text_file.write_text(
        SENTENCE + "\nSouthbound investors bought over HK$900 <million>.\n", encoding="utf-8"
    )
    gold = tmp_path / "gold" / "dev"
    gold.mkdir(parents=True)
    data = {
        "article_id": "g1",
        "split": "dev",
        "source": {"kind": "file", "path": str(text_file)},
        "tickers": ["0700.HK"],
        "records": [FLOW],
        "sentences": [{"text": s, "narratives": []} for s in sentences()["d1"][:2]],
    }
    (gold / "g1.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "gold" / "test").mkdir()
    run = tmp_path / "run"
    run.mkdir()
    article = {"article_id": "g1", "text": text_file.read_text(), "narratives": [], "pipeline_version": "x"}
    (run / "articles.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    (run / "records.jsonl").write_text("", encoding="utf-8")
    out = tmp_path / "report.html"
    argv = ["eval", "--gold", str(tmp_path / "gold"), "--pred", str(run), "--no-narratives", "--split", "dev"]
    assert main([*argv, "--report", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert len(images(page)) == 1
    assert (
        'Southbound investors <mark class="ev t-money_flow">bought over HK$900 &lt;million&gt;</mark>' in page
    )
    assert str(out) in capsys.readouterr().out
