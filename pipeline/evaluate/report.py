"""The evaluation report: a JSON-ready dict, and its text rendering (tables, errors, summary)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.evaluate.corpus import RECORD_TYPES
from pipeline.evaluate.scoring import SplitScore

MATCHING_RULE = (
    "one-to-one greedy matching per article and type; price_move: same ticker (or, when a ticker "
    "is missing, names containing one another or aliases of one gazetteer entity) + direction + "
    "pct within 0.051 (+ pct_high when gold has one); index_level: same index + level within "
    "0.011 or 0.01%; money_flow: direction + currency + amount within 1%; analyst_view: "
    "institution (normalised, aliases, word prefix) + stance. "
    "Tickers: per-article sets, pooled (micro). Narratives: per gold sentence and per article "
    "(union of sentence labels), micro over labels; macro = mean F1 of labels seen in gold or predictions."
)


def _narratives(score: SplitScore, available: bool, reason: str) -> dict[str, Any]:
    if not available or score.sentences is None and score.article_narratives is None:
        return {"available": False, "reason": reason or "no narrative predictions"}
    out: dict[str, Any] = {"available": True}
    if score.sentences is not None:
        out["sentence"] = score.sentences.as_dict()
    if score.article_narratives is not None:
        out["article"] = score.article_narratives.as_dict()
    return out


def split_report(score: SplitScore, narratives_available: bool, reason: str = "") -> dict[str, Any]:
    """One split's section of the JSON report."""
    return {
        "articles": score.articles,
        "failed_articles": score.failed_articles,
        "types": {t: {**score.types[t].as_dict(), "fields": score.fields[t].as_dict()} for t in RECORD_TYPES},
        "records": score.records.as_dict(),
        "tickers": score.tickers.as_dict(),
        "narratives": _narratives(score, narratives_available, reason),
    }


def build_report(
    scores: Mapping[str, SplitScore],
    errors: list[dict[str, Any]],
    gold_sha256: str,
    narratives_available: bool,
    reason: str = "",
    notes: list[str] | None = None,
) -> dict[str, Any]:
    """Return the whole report: `{"gold", "matching", "notes", "splits": {split: ...}, "errors"}`."""
    return {
        "gold": {"sha256": gold_sha256},
        "matching": MATCHING_RULE,
        "notes": notes or [],
        "splits": {
            split: split_report(score, narratives_available, reason) for split, score in scores.items()
        },
        "errors": errors,
    }


def _prf(section: Mapping[str, Any]) -> str:
    return (
        f"{section['f1']:.3f}  P {section['precision']:.3f}  R {section['recall']:.3f}  "
        f"tp {section['tp']:>3} fp {section['fp']:>3} fn {section['fn']:>3}"
    )


def render_split(name: str, section: Mapping[str, Any]) -> list[str]:
    """Detailed table of one split: counts and scores per type, field accuracy, tickers, narratives."""
    lines = [f"== {name}: {section['articles']} articles =="]
    if section["failed_articles"]:
        lines.append(f"   failed articles: {', '.join(section['failed_articles'])}")
    lines.append(f"   {'type':<14} F1     precision/recall and counts")
    for t in RECORD_TYPES:
        lines.append(f"   {t:<14} {_prf(section['types'][t])}")
    lines.append(f"   {'records':<14} {_prf(section['records'])}")
    lines.append(f"   {'tickers':<14} {_prf(section['tickers'])}")
    for t in RECORD_TYPES:
        fields = section["types"][t]["fields"]
        shown = [f"{k} {v['correct']}/{v['total']}" for k, v in fields.items() if v["total"]]
        if shown:
            lines.append(f"   fields {t}: " + ", ".join(shown))
    narr = section["narratives"]
    if not narr["available"]:
        lines.append(f"   narratives: unavailable ({narr['reason']})")
    for level in ("sentence", "article"):
        if level in narr:
            part = narr[level]
            per_label = ", ".join(f"{k} {v['f1']:.2f}" for k, v in part["labels"].items())
            lines.append(
                f"   narratives/{level:<8} micro {_prf(part['micro'])}  macro F1 {part['macro_f1']:.3f}"
                f"  ({part['items']} items; {per_label})"
            )
    return lines


def render_errors(errors: list[dict[str, Any]]) -> list[str]:
    """One block per false positive / false negative, with its evidence."""
    lines = [f"== errors ({len(errors)}) =="]
    for e in errors:
        fields = ", ".join(f"{k}={v}" for k, v in e["fields"].items() if v is not None)
        lines.append(f"[{e['split']}] {e['article_id']} {e['kind']} {e['type']}: {fields}")
        if e.get("evidence"):
            lines.append(
                f"      evidence: {e['evidence']!r}" + (f"  ({e['extractor']})" if e.get("extractor") else "")
            )
        if e.get("sentence") and e.get("sentence") != e.get("evidence"):
            lines.append(f"      sentence: {e['sentence'][:240]!r}")
    return lines


def _cell(section: Mapping[str, Any] | None) -> str:
    if section is None:
        return f"{'-':>22}"
    support = section["tp"] + section["fn"]
    return f"{section['f1']:.2f} ({section['precision']:.2f}/{section['recall']:.2f}) {support:>4}".rjust(22)


def summary_rows(report: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Return the figures of the summary table and the gate: (row name, {split: counts})."""
    rows: list[tuple[str, dict[str, Any]]] = []
    splits = report["splits"]
    for t in RECORD_TYPES:
        rows.append((t, {s: sec["types"][t] for s, sec in splits.items()}))
    rows.append(("records", {s: sec["records"] for s, sec in splits.items()}))
    rows.append(("tickers", {s: sec["tickers"] for s, sec in splits.items()}))
    for level in ("sentence", "article"):
        cells = {
            s: sec["narratives"][level]["micro"] for s, sec in splits.items() if level in sec["narratives"]
        }
        rows.append((f"narratives_{level}", cells))
    return rows


def render_summary(report: Mapping[str, Any]) -> list[str]:
    """Compact summary: F1 (P/R) and gold support per row and split; fits in the last 15 lines."""
    splits = list(report["splits"])
    articles = " ".join(f"{s} {report['splits'][s]['articles']}" for s in splits)
    header = f"{'F1 (P/R) n_gold':<20}" + "".join(f"{s:>22}" for s in splits)
    lines = [f"== finnews eval summary (articles: {articles}) ==", header]
    for name, cells in summary_rows(report):
        lines.append(f"{name:<20}" + "".join(_cell(cells.get(s)) for s in splits))
    narr = next(iter(report["splits"].values()), {}).get("narratives", {})
    if narr and not narr.get("available"):
        lines.append(f"narratives unavailable: {narr.get('reason')}")
    lines.append(f"gold sha256 {report['gold']['sha256'][:12]}")
    return lines


def render_report(report: Mapping[str, Any], with_errors: bool = False) -> str:
    """Return the full text report; the compact summary comes last."""
    lines: list[str] = [f"matching: {report['matching']}"]
    lines.extend(f"note: {note}" for note in report.get("notes", []))
    for name, section in report["splits"].items():
        lines.extend(render_split(name, section))
    if with_errors:
        lines.extend(render_errors(report["errors"]))
    lines.extend(render_summary(report))
    return "\n".join(lines)
