"""The evaluation report as one self-contained HTML page (`finnews eval --report FILE`).

It shows, per split, P/R/F1 per record type and for tickers as a bar chart and a table, field
accuracy, narrative F1 per label with a TP/FP/FN/TN confusion table, and then every false positive
and false negative with its evidence marked inside its sentence. Charts are PNG data URIs, so the
page needs no other file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.highlight import css_class, esc, mark_evidence
from pipeline.html_page import fmt_value, legend, page, write_page
from pipeline.plots import label_f1_chart, prf_chart
from pipeline.schema import RECORD_TYPES

CONFUSION = ("tp", "fp", "fn", "tn")
_SPACES = re.compile(r"\s+")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _num(value: Any, digits: int = 3) -> str:
    return f"{value:.{digits}f}" if isinstance(value, int | float) else "–"


def _prf_rows(section: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    rows = [(t, section["types"][t]) for t in RECORD_TYPES if t in section["types"]]
    return [*rows, ("records", section["records"]), ("tickers", section["tickers"])]


def _prf_table(rows: Sequence[tuple[str, Mapping[str, Any]]]) -> str:
    body = "".join(
        f'<tr><td><span class="{css_class(name)}"><span class="swatch"></span></span> {esc(name)}</td>'
        + "".join(f'<td class="num">{esc(c.get(k, 0))}</td>' for k in ("tp", "fp", "fn"))
        + "".join(f'<td class="num">{_num(c.get(k))}</td>' for k in ("precision", "recall", "f1"))
        + "</tr>"
        for name, c in rows
    )
    head = "".join(f'<th class="num">{h}</th>' for h in ("TP", "FP", "FN", "precision", "recall", "F1"))
    return f'<table class="scores"><thead><tr><th>what</th>{head}</tr></thead><tbody>{body}</tbody></table>'


def _fields_table(section: Mapping[str, Any]) -> str:
    rows = []
    for t in RECORD_TYPES:
        fields = section["types"].get(t, {}).get("fields", {})
        shown = [f"{esc(name)} {v['correct']}/{v['total']}" for name, v in fields.items() if v.get("total")]
        if shown:
            rows.append(f"<tr><td>{esc(t)}</td><td>{' · '.join(shown)}</td></tr>")
    if not rows:
        return ""
    return (
        "<h3>Field accuracy on matched records</h3>"
        f'<table class="scores"><thead><tr><th>type</th><th>correct/total per field</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def confusion_rows(part: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return per-label TP/FP/FN/TN (TN = items with the label in neither gold nor prediction) and scores."""
    items = int(part.get("items", 0))
    rows = []
    for label, counts in part.get("labels", {}).items():
        tn = max(items - counts["tp"] - counts["fp"] - counts["fn"], 0)
        rows.append({"label": label, **counts, "tn": tn})
    return rows


def _heat(value: int, total: int, color: str) -> str:
    alpha = 0.08 + 0.6 * value / total if total and value else 0.0
    return f"background: rgba({color}, {alpha:.2f})"


def _confusion_table(part: Mapping[str, Any], level: str) -> str:
    colors = {"tp": "46, 160, 67", "fp": "207, 34, 46", "fn": "130, 80, 223", "tn": "110, 119, 129"}
    items = int(part.get("items", 0))
    rows = []
    for row in confusion_rows(part):
        cells = "".join(
            f'<td class="cell" style="{_heat(row[k], items, colors[k])}">{row[k]}</td>' for k in CONFUSION
        )
        empty = not (row["tp"] or row["fp"] or row["fn"])
        scores = "".join(
            f'<td class="num">{"n/a" if empty else _num(row[k])}</td>' for k in ("precision", "recall", "f1")
        )
        rows.append(f"<tr><td>{esc(row['label'])}</td>{cells}{scores}</tr>")
    head = "".join(f'<th class="num">{h}</th>' for h in ("TP", "FP", "FN", "TN", "precision", "recall", "F1"))
    micro = part.get("micro", {})
    return (
        f"<h3>Narratives per {esc(level)} ({esc(_count(items, level))}): micro F1 {_num(micro.get('f1'))}, "
        f"macro F1 {_num(part.get('macro_f1'))}</h3>"
        f'<table class="scores confusion"><thead><tr><th>label</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _narratives(section: Mapping[str, Any], split: str) -> str:
    narr = section.get("narratives") or {}
    if not narr.get("available"):
        return f'<p class="muted">Narratives unavailable: {esc(narr.get("reason", "no predictions"))}.</p>'
    levels = {level: narr[level]["labels"] for level in ("sentence", "article") if level in narr}
    chart = ""
    if any(levels.values()):
        uri = label_f1_chart(levels, f"{split}: narrative F1 per label")
        chart = f'<figure><img alt="narrative F1 per label, {esc(split)}" src="{uri}"></figure>'
    tables = "".join(_confusion_table(narr[level], level) for level in levels)
    return f'<div class="pair">{chart}<div>{tables}</div></div>'


def render_split(split: str, section: Mapping[str, Any]) -> str:
    """Render one split's section: P/R/F1 chart and table, field accuracy, narratives."""
    rows = _prf_rows(section)
    uri = prf_chart(rows, f"{split}: precision, recall and F1 per record type")
    failed = section.get("failed_articles") or []
    failed_note = f'<p class="errors">failed articles: {esc(", ".join(failed))}</p>' if failed else ""
    return (
        f'<section class="section" id="split-{esc(split)}"><h2>{esc(split)}: '
        f"{esc(section.get('articles'))} articles</h2>{failed_note}"
        f'<div class="pair"><figure><img alt="P/R/F1 per record type, {esc(split)}" src="{uri}">'
        "<figcaption>grey: nothing to find and nothing found</figcaption></figure>"
        f"<div>{_prf_table(rows)}{_fields_table(section)}</div></div>{_narratives(section, split)}</section>"
    )


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def find_sentence(sentences: Sequence[str], evidence: str | None) -> str:
    """Return the first sentence that contains the evidence (ignoring case and spacing), or ''."""
    if not evidence:
        return ""
    wanted = _norm(evidence)
    return next((s for s in sentences if wanted in _norm(s)), "")


def _fields_text(fields: Mapping[str, Any]) -> str:
    return " · ".join(f"<b>{esc(k)}</b> {esc(fmt_value(v))}" for k, v in fields.items() if v is not None)


def _error_row(error: Mapping[str, Any], sentences: Mapping[str, Sequence[str]]) -> str:
    kind, rtype = str(error.get("kind")), str(error.get("type"))
    evidence = error.get("evidence")
    sentence = error.get("sentence") or find_sentence(
        sentences.get(str(error.get("article_id")), ()), evidence
    )
    if sentence and evidence and _SPACES.sub(" ", evidence) not in sentence and evidence not in sentence:
        sentence = _SPACES.sub(" ", sentence)
        evidence = _SPACES.sub(" ", evidence)
    shown = (
        mark_evidence(sentence, evidence, rtype) if (sentence or evidence) else '<span class="muted">–</span>'
    )
    extractor = f'<div class="muted">{esc(error["extractor"])}</div>' if error.get("extractor") else ""
    return (
        f'<tr class="err {esc(kind)} {css_class(rtype)}"><td class="kind-{esc(kind)}">{esc(kind)}</td>'
        f'<td class="type"><span class="swatch"></span> {esc(rtype)}</td>'
        f'<td><div class="fields">{_fields_text(error.get("fields") or {})}</div>{extractor}</td>'
        f'<td class="sentence">{shown}</td></tr>'
    )


def render_errors(errors: Sequence[Mapping[str, Any]], sentences: Mapping[str, Sequence[str]]) -> str:
    """Render false positives and negatives grouped by split and article; tickers listed compactly."""
    if not errors:
        return '<section class="section"><h2>Errors</h2><p class="muted">No errors listed.</p></section>'
    grouped: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for error in errors:
        grouped[(str(error.get("split")), str(error.get("article_id")))].append(error)
    blocks = []
    for (split, article_id), items in grouped.items():
        tickers = [e for e in items if e.get("type") == "ticker"]
        records = [e for e in items if e.get("type") != "ticker"]
        ticker_line = ""
        if tickers:
            parts = [
                f'<span class="kind-{esc(e.get("kind"))}">{esc(e.get("kind"))}</span> '
                f'<span class="ticker">{esc((e.get("fields") or {}).get("ticker"))}</span>'
                for e in tickers
            ]
            ticker_line = f"<p>tickers: {' '.join(parts)}</p>"
        table = ""
        if records:
            rows = "".join(_error_row(e, sentences) for e in records)
            table = (
                '<table class="errors-table"><colgroup><col class="kind"><col class="type">'
                '<col class="fields"><col></colgroup><thead><tr><th>kind</th><th>type</th><th>fields</th>'
                f"<th>evidence in its sentence</th></tr></thead><tbody>{rows}</tbody></table>"
            )
        blocks.append(f"<h3>[{esc(split)}] {esc(article_id)}</h3>{ticker_line}{table}")
    n_fp = sum(e.get("kind") == "FP" for e in errors)
    return (
        f'<section class="section" id="errors"><h2>Errors: {_count(n_fp, "false positive")}, '
        f"{_count(len(errors) - n_fp, 'false negative')}</h2>{legend()}"
        '<div class="toggles"><label><input type="checkbox" id="hide-FP"> hide false positives</label>'
        '<label><input type="checkbox" id="hide-FN"> hide false negatives</label></div>'
        f"{''.join(blocks)}</section>"
    )


def _summary(report: Mapping[str, Any]) -> str:
    splits = list(report["splits"])
    head = "".join(f'<th class="num">{esc(s)}</th>' for s in splits)
    rows = []
    scored = [t for t in RECORD_TYPES if any(t in sec["types"] for sec in report["splits"].values())]
    for name in [*scored, "records", "tickers"]:
        cells = []
        for s in splits:
            sec = report["splits"][s]
            c = sec["types"].get(name) if name in RECORD_TYPES else sec.get(name)
            cells.append(f'<td class="num">{_num(c.get("f1"))}</td>' if c else '<td class="num">–</td>')
        rows.append(f"<tr><td>{esc(name)}</td>{''.join(cells)}</tr>")
    for level in ("sentence", "article"):
        cells = []
        for s in splits:
            narr = report["splits"][s].get("narratives", {})
            cells.append(f'<td class="num">{_num(narr[level]["micro"]["f1"]) if level in narr else "–"}</td>')
        rows.append(f"<tr><td>narratives ({level}, micro)</td>{''.join(cells)}</tr>")
    links = " ".join(f'<a href="#split-{esc(s)}">{esc(s)}</a>' for s in splits)
    return (
        f'<h2>Summary: F1</h2><p class="muted">sections: {links} <a href="#errors">errors</a></p>'
        f'<table class="scores summary"><thead><tr><th>what</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_eval_report(
    report: Mapping[str, Any], sentences: Mapping[str, Sequence[str]] | None = None
) -> str:
    """Render the whole report page.

    `sentences` (article id -> gold sentences) lets a false negative's evidence be shown in context.
    """
    sentences = sentences or {}
    sha = str(report.get("gold", {}).get("sha256", ""))[:12]
    articles = ", ".join(f"{s} {sec.get('articles')}" for s, sec in report["splits"].items())
    header = (
        "<h1>finnews evaluation</h1>"
        f'<div class="meta"><span>articles: {esc(articles)}</span><span>gold sha256 {esc(sha)}</span></div>'
    )
    notes = "".join(f'<p class="note">note: {esc(n)}</p>' for n in report.get("notes", []))
    body = (
        _summary(report)
        + "".join(render_split(s, sec) for s, sec in report["splits"].items())
        + render_errors(report.get("errors", []), sentences)
        + f'<section class="section"><h2>How records are matched</h2><p class="note">'
        f"{esc(report.get('matching', ''))}</p>{notes}</section>"
    )
    return page("finnews evaluation", body, header=header)


def gold_sentences(gold_dir: Path, splits: Sequence[str]) -> dict[str, list[str]]:
    """Return gold sentences per article for the given splits; empty when the gold cannot be read."""
    from pipeline.evaluate.corpus import load_gold

    try:
        return {g.article_id: [s.text for s in g.sentences] for g in load_gold(Path(gold_dir), splits)}
    except (OSError, ValueError):
        return {}


def write_eval_report(
    report: Mapping[str, Any], path: str | Path, gold_dir: str | Path | None = None
) -> Path:
    """Write the evaluation report page to `path`; with `gold_dir`, FN evidence is shown in its sentence."""
    sentences: dict[str, list[str]] = {}
    if gold_dir is not None:
        wanted = sorted({str(e.get("split")) for e in report.get("errors", []) if e.get("kind") == "FN"})
        sentences = gold_sentences(Path(gold_dir), wanted) if wanted else {}
    path = Path(path)
    write_page(path, render_eval_report(report, sentences))
    return path
