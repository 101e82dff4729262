"""finnews spaCy components; importing this package registers their factories."""

from pipeline.components import line_breaks, mentions  # noqa: F401
