"""Layout characters shared by the sentence splitter and the attribution rules."""

from __future__ import annotations

# Characters that open a list line ("- Overweight: insurers", "• Tencent +3.4%").
BULLETS = frozenset({"-", "\u2022", "*", "\u2013", "\u00b7"})
