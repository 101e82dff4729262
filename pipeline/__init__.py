"""finnews: structured records and market narratives from financial news."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("finnews")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+local"

__all__ = ["__version__", "load_tables"]


def load_tables(out_dir):  # noqa: ANN001, ANN201 - thin re-export, typed in pipeline.export
    """Return `(articles, records)` pandas DataFrames for a finished `finnews run` output folder."""
    from pipeline.export import load_tables as _load

    return _load(out_dir)
