"""finnews spaCy components; importing this package registers their factories."""

from pipeline.components import flows, gazetteer_ruler, line_breaks, mentions, moves, views  # noqa: F401
