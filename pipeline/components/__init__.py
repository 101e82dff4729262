"""finnews spaCy components; importing this package registers their factories."""

from pipeline.components import line_breaks, mentions, views  # noqa: F401
