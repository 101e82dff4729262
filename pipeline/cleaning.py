"""Clean scraped article text before NLP, with rules kept as data in `configs/cleaning.yaml`.

The cleaned text becomes the article's `text`; every record offset points into it.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.paths import configs_dir


@dataclass(frozen=True)
class LineRule:
    """A compiled cleaning rule with its stable id."""

    id: str
    regex: re.Pattern[str]
    replace: str = ""


@dataclass(frozen=True)
class CleaningRules:
    """All cleaning rules, compiled."""

    char_map: dict[str, str]
    drop_lines: tuple[LineRule, ...]
    strip_line_prefix: tuple[LineRule, ...]
    substitutions: tuple[LineRule, ...]
    unwrap: dict[str, float]


def _compile(entries: list[dict], flags: int = 0) -> tuple[LineRule, ...]:
    rules = []
    for entry in entries:
        if "id" not in entry or "pattern" not in entry:
            raise ValueError(f"cleaning rule needs 'id' and 'pattern': {entry!r}")
        rules.append(LineRule(entry["id"], re.compile(entry["pattern"], flags), entry.get("replace", "")))
    return tuple(rules)


@lru_cache(maxsize=4)
def load_rules(path: Path | None = None) -> CleaningRules:
    """Load and compile the cleaning rules (default `configs/cleaning.yaml`)."""
    path = path or configs_dir() / "cleaning.yaml"
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return CleaningRules(
        char_map=dict(data.get("char_map", {})),
        drop_lines=_compile(data.get("drop_lines", []), re.IGNORECASE),
        strip_line_prefix=_compile(data.get("strip_line_prefix", [])),
        substitutions=_compile(data.get("substitutions", [])),
        unwrap=dict(data.get("unwrap", {})),
    )


def _map_chars(text: str, char_map: dict[str, str]) -> str:
    for old, new in char_map.items():
        text = text.replace(old, new)
    return text


def _clean_line(line: str, rules: CleaningRules) -> str | None:
    stripped = line.strip()
    if not stripped:
        return ""
    # Strip decorations until none is left ("• • Share" -> "Share"), then judge the bare line.
    previous = None
    while previous != stripped:
        previous = stripped
        for rule in rules.strip_line_prefix:
            stripped = rule.regex.sub("", stripped, count=1).strip()
        for rule in rules.substitutions:
            stripped = rule.regex.sub(rule.replace, stripped).strip()
    if not stripped or any(rule.regex.search(stripped) for rule in rules.drop_lines):
        return None
    return stripped


def _is_hard_wrapped(lines: list[str], settings: dict[str, float]) -> bool:
    """Tell whether the text is wrapped at a fixed width (newswire copy), judged on its inner lines.

    Only a line that a paragraph continues after has the wrap width; the last line of a paragraph
    (and a headline) is as short as its words, so it does not count. Wrapped text has (almost) no
    line wider than the wrap width.
    """
    all_widths = [len(line.rstrip()) for line in lines if line.strip()]
    if len(all_widths) < settings.get("min_lines", 6):
        return False
    low, high = settings.get("min_width", 45), settings.get("max_width", 90)
    if sum(w > high for w in all_widths) > settings.get("max_share_of_wide_lines", 0.1) * len(all_widths):
        return False  # paragraphs on lines of their own, however short some of them are
    widths = [
        len(line.rstrip())
        for line, following in zip(lines, lines[1:], strict=False)
        if line.strip() and following.strip() and not following.startswith((" ", "\t"))
    ]
    if not widths:
        return False
    wrapped = sum(low <= w <= high for w in widths)
    return wrapped / len(widths) >= settings.get("min_share_of_wrapped_lines", 0.6) and (
        statistics.median(widths) <= high
    )


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines; an indented or blank line starts a new paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.strip() or line.startswith((" ", "\t")):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            if not line.strip():
                continue
        current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def clean_text(raw: str, rules: CleaningRules | None = None) -> str:
    """Return the cleaned text of a scraped article: one paragraph or line per line, no noise lines."""
    rules = rules or load_rules()
    text = _map_chars(raw, rules.char_map)
    lines = text.split("\n")
    if _is_hard_wrapped(lines, rules.unwrap):
        lines = _unwrap(lines)
    cleaned: list[str] = []
    for line in lines:
        result = _clean_line(line, rules)
        if result is None:
            continue
        if result == "" and (not cleaned or cleaned[-1] == ""):
            continue
        cleaned.append(result)
    while cleaned and cleaned[-1] == "":
        cleaned.pop()
    return "\n".join(cleaned)
