"""Self-contained HTML pages: the shared style sheet and script inlined, text always escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.highlight import TYPE_COLORS, css_class, esc

TEMPLATES_DIR = Path(__file__).resolve().parent / "show_templates"


@cache
def _asset(name: str) -> str:
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")


def type_css() -> str:
    """Return CSS rules giving each record type its colour (`--lc` labels, `--sw` swatches)."""
    rules = [":root { " + " ".join(f"--c-{k}: {c};" for k, c in TYPE_COLORS.items()) + " }"]
    rules += [f".{css_class(k)} {{ --lc: {c}; --sw: {c}; }}" for k, c in TYPE_COLORS.items()]
    return "\n".join(rules) + "\n"


def page(title: str, body: str, header: str = "", script: bool = False) -> str:
    """Return a whole HTML page: `title` is escaped here, `header` and `body` are HTML already."""
    js = f"<script>\n{_asset('page.js')}</script>\n" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>\n{_asset('style.css')}{type_css()}</style>\n</head>\n<body>\n"
        f'<header class="top">{header or f"<h1>{esc(title)}</h1>"}</header>\n'
        f"<main>\n{body}\n</main>\n{js}</body>\n</html>\n"
    )


def write_page(path: Path, html_text: str) -> None:
    """Write a page as UTF-8, creating its folder; unpaired surrogates become `?`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_text, encoding="utf-8", errors="replace")


def fmt_value(value: Any) -> str:
    """Format a field value for reading: amounts with thousands separators, no trailing `.0`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:,.2f}" if abs(value) >= 10_000 else f"{value:g}"


def narrative_badges(narratives: Iterable[Mapping[str, Any]] | None, small: bool = False) -> str:
    """Render narratives as labelled badges with their scores; a muted badge when there are none."""
    size = " small" if small else ""
    items = list(narratives or [])
    if not items:
        return f'<span class="badges"><span class="badge none{size}">no narratives</span></span>'
    badges = []
    for item in items:
        score = item.get("score")
        shown = f"{score:.2f}" if isinstance(score, int | float) else esc(score)
        badges.append(
            f'<span class="badge{size}" title="narrative {esc(item.get("label"))}, score {shown}">'
            f'{esc(item.get("label"))} <span class="score">{shown}</span></span>'
        )
    return f'<span class="badges">{"".join(badges)}</span>'


def legend(counts: Mapping[str, int] | None = None) -> str:
    """Render the colour key of the record types, with counts when given."""
    keys = []
    for kind in TYPE_COLORS:
        count = f" ({counts.get(kind, 0)})" if counts is not None else ""
        keys.append(
            f'<span class="key {css_class(kind)}"><span class="swatch"></span>{esc(kind)}{esc(count)}</span>'
        )
    return f'<div class="legend">{"".join(keys)}</div>'
