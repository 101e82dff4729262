"""Mark character spans of a text in HTML, in the manner of displaCy's span style.

displaCy's span renderer works on tokens, joins them with single spaces and writes its labels into
the text, so line breaks are lost and the page text no longer equals the article text. Here marks
are character offsets (as records are), the text keeps every character, and overlapping marks stack
as coloured bars under the text, one vertical slot per overlapping mark. Labels are drawn by CSS
from a `data-label` attribute, so a page's text content is still exactly the article text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# One colour per record type; the page style sheet and the charts use the same ones.
TYPE_COLORS: dict[str, str] = {
    "mention": "#4e79a7",
    "price_move": "#f28e2b",
    "index_level": "#59a14f",
    "money_flow": "#b07aa1",
    "analyst_view": "#d4a017",
}
DEFAULT_COLOR = "#9c9c9c"


@dataclass(frozen=True)
class Mark:
    """A span to highlight: `text[start:end]`, its type, a short label and a hover text."""

    key: str
    start: int
    end: int
    kind: str
    label: str = ""
    title: str = ""


def esc(value: object) -> str:
    """Escape any value for HTML text and attribute values (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def css_class(kind: str) -> str:
    """Return the CSS class of a mark type (`t-` and the type, other characters dropped)."""
    return "t-" + "".join(c for c in kind if c.isalnum() or c in "_-")


def valid_marks(text: str, marks: Iterable[Mark]) -> tuple[list[Mark], list[Mark]]:
    """Split marks into those inside the text with a non-empty span and the others."""
    good, bad = [], []
    for mark in marks:
        (good if 0 <= mark.start < mark.end <= len(text) else bad).append(mark)
    return good, bad


def assign_slots(marks: Sequence[Mark]) -> dict[str, int]:
    """Give each mark the lowest vertical slot not taken by a mark it overlaps.

    Longer marks come first at a shared start, so an enclosing record sits on the first bar and
    what it contains stacks below it, as in displaCy.
    """
    slot_ends: list[int] = []
    slots: dict[str, int] = {}
    for mark in sorted(marks, key=lambda m: (m.start, -(m.end - m.start), m.key)):
        free = next((i for i, end in enumerate(slot_ends) if end <= mark.start), None)
        if free is None:
            free = len(slot_ends)
            slot_ends.append(mark.end)
        else:
            slot_ends[free] = mark.end
        slots[mark.key] = free
    return slots


def segments(length: int, marks: Sequence[Mark]) -> list[tuple[int, int, tuple[Mark, ...]]]:
    """Cut `[0, length)` at every mark boundary; return `(start, end, marks covering it)` pieces."""
    cuts = sorted({0, length, *(m.start for m in marks), *(m.end for m in marks)})
    starts = sorted(marks, key=lambda m: m.start)
    active: list[Mark] = []
    pieces = []
    next_mark = 0
    for start, end in zip(cuts, cuts[1:], strict=False):
        active = [m for m in active if m.end > start]
        while next_mark < len(starts) and starts[next_mark].start <= start:
            if starts[next_mark].end > start:
                active.append(starts[next_mark])
            next_mark += 1
        pieces.append((start, end, tuple(active)))
    return pieces


BAR_PX = 3
BAR_GAP_PX = 1


def _piece_style(marks: Sequence[Mark], slots: dict[str, int], tint_kinds: frozenset[str]) -> str:
    """Inline style drawing one bar per mark at its slot, and a tint for `tint_kinds` marks."""
    layers, sizes, positions = [], [], []
    barred = sorted((m for m in marks if m.kind not in tint_kinds), key=lambda m: slots[m.key])
    for mark in barred:
        color = TYPE_COLORS.get(mark.kind, DEFAULT_COLOR)
        layers.append(f"linear-gradient({color},{color})")
        sizes.append(f"100% {BAR_PX}px")
        positions.append(f"0 calc(100% - {slots[mark.key] * (BAR_PX + BAR_GAP_PX)}px)")
    tints = [m for m in marks if m.kind in tint_kinds]
    if tints:
        color = TYPE_COLORS.get(tints[0].kind, DEFAULT_COLOR) + "3d"
        layers.append(f"linear-gradient({color},{color})")
        sizes.append("100% 100%")
        positions.append("0 0")
    depth = (max(slots[m.key] for m in barred) + 1) if barred else 0
    return (
        f"padding-bottom:{depth * (BAR_PX + BAR_GAP_PX) + 1}px;background-image:{','.join(layers)};"
        f"background-size:{','.join(sizes)};background-position:{','.join(positions)}"
    )


def _piece(
    text: str, marks: tuple[Mark, ...], start: int, slots: dict[str, int], tint_kinds: frozenset[str]
) -> str:
    ordered = sorted(marks, key=lambda m: (m.kind in tint_kinds, slots[m.key]))
    labels = "".join(
        f'<span class="lab {css_class(m.kind)}" data-label="{esc(m.label)}"></span>'
        for m in ordered
        if m.start == start and m.label
    )
    if labels:
        labels = f'<span class="labs"><span class="labrow">{labels}</span></span>'
    classes = " ".join(["hl", *dict.fromkeys(css_class(m.kind) for m in ordered)])
    title = "\n".join(m.title for m in ordered if m.title)
    keys = " ".join(m.key for m in ordered)
    style = _piece_style(ordered, slots, tint_kinds)
    return (
        f'<span class="{classes}" style="{style}" data-keys="{esc(keys)}" title="{esc(title)}">'
        f"{labels}{esc(text)}</span>"
    )


def render_marked(text: str, marks: Iterable[Mark], tint_kinds: Iterable[str] = ("mention",)) -> str:
    """Return `text` as HTML with every mark highlighted; marks outside the text are ignored.

    Marks of `tint_kinds` are shown as a tinted background (they are many and short), the others as
    stacked bars. An empty anchor `id="m-<key>"` precedes the first piece of each mark so that
    tables can link to it.
    """
    tints = frozenset(tint_kinds)
    good, _ = valid_marks(text, marks)
    slots = assign_slots([m for m in good if m.kind not in tints])
    slots.update({m.key: 0 for m in good if m.kind in tints})
    out: list[str] = []
    seen: set[str] = set()
    for start, end, covering in segments(len(text), good):
        piece = text[start:end]
        if not covering:
            out.append(esc(piece))
            continue
        anchors = "".join(
            f'<a class="anchor" id="m-{esc(m.key)}"></a>' for m in covering if m.key not in seen
        )
        seen.update(m.key for m in covering)
        out.append(anchors + _piece(piece, covering, start, slots, tints))
    return "".join(out)


def mark_evidence(sentence: str, evidence: str | None, kind: str = "evidence") -> str:
    """Return the sentence as HTML with the first occurrence of `evidence` marked.

    When the evidence is not inside the sentence, it is shown marked on its own after the
    sentence, so the reader still sees both.
    """
    if not evidence:
        return esc(sentence)
    at = sentence.find(evidence)
    if at < 0:
        at = sentence.casefold().find(evidence.casefold())
    if at < 0:
        shown = f'<mark class="ev {css_class(kind)}">{esc(evidence)}</mark>'
        return f"{esc(sentence)} <span class='ev-outside'>[evidence: {shown}]</span>" if sentence else shown
    end = at + len(evidence)
    return (
        f'{esc(sentence[:at])}<mark class="ev {css_class(kind)}">{esc(sentence[at:end])}</mark>'
        f"{esc(sentence[end:])}"
    )
