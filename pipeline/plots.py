"""Charts of the evaluation report, drawn with matplotlib (Agg) and returned as PNG data URIs."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: charts are only ever written to memory
import matplotlib.pyplot as plt  # noqa: E402

SERIES = (("precision", "#9ecae1"), ("recall", "#4292c6"), ("f1", "#08306b"))
DPI = 100


def to_data_uri(fig: Any) -> str:
    """Render a figure to a base64 PNG data URI and close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def prf_chart(rows: Sequence[tuple[str, Mapping[str, Any]]], title: str) -> str:
    """Draw grouped bars of precision, recall and F1 for each `(name, counts)` row; F1 values written on top.

    A row with nothing to find and nothing found (tp = fp = fn = 0) is greyed out: its perfect
    score says nothing.
    """
    names = [name for name, _ in rows]
    fig, ax = plt.subplots(figsize=(max(5.0, 1.05 * len(rows) + 1.5), 3.2))
    width = 0.26
    for offset, (key, color) in enumerate(SERIES):
        xs = [i + (offset - 1) * width for i in range(len(rows))]
        values = [float(counts.get(key, 0.0)) for _, counts in rows]
        bars = ax.bar(xs, values, width, label=key if key != "f1" else "F1", color=color)
        if key == "f1":
            for bar, value in zip(bars, values, strict=True):
                ax.annotate(
                    f"{value:.2f}",
                    (bar.get_x() + bar.get_width() / 2, value),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
    for i, (_, counts) in enumerate(rows):
        if _empty(counts):
            ax.axvspan(i - 0.45, i + 0.45, color="#eeeeee", zorder=0)
    ax.set_xticks(range(len(rows)), [n.replace("_", "\n") for n in names], fontsize=9)
    ax.set_ylim(0, 1.12)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, fontsize=11, loc="left")
    ax.legend(ncols=3, fontsize=8, loc="upper right", bbox_to_anchor=(1.0, 1.16), frameon=False)
    return to_data_uri(fig)


def _empty(counts: Mapping[str, Any]) -> bool:
    return not (counts.get("tp") or counts.get("fp") or counts.get("fn"))


def label_f1_chart(levels: Mapping[str, Mapping[str, Mapping[str, Any]]], title: str) -> str:
    """Draw horizontal bars of F1 per narrative label, one bar per level (sentence, article).

    A label with nothing to find and nothing found at a level gets no bar and the note "n/a".
    """
    labels = sorted({label for per_label in levels.values() for label in per_label})
    colors = ("#4292c6", "#fd8d3c", "#74c476")
    rows = max(len(labels), 1) * max(len(levels), 1)
    fig, ax = plt.subplots(figsize=(6.0, 0.32 * rows + 1.3))
    height = 0.8 / max(len(levels), 1)
    for n, (level, per_label) in enumerate(levels.items()):
        ys = [i + n * height for i in range(len(labels))]
        counts = [per_label.get(label, {}) for label in labels]
        values = [0.0 if _empty(c) else float(c.get("f1", 0.0)) for c in counts]
        bars = ax.barh(ys, values, height, label=level, color=colors[n % len(colors)])
        for bar, value, c in zip(bars, values, counts, strict=True):
            ax.annotate(
                "n/a" if _empty(c) else f"{value:.2f}",
                (value, bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                color="#888888" if _empty(c) else "black",
            )
    ax.set_yticks([i + height * (len(levels) - 1) / 2 for i in range(len(labels))], labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, fontsize=11, loc="left", pad=18)
    ax.legend(ncols=len(levels), fontsize=8, loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return to_data_uri(fig)
