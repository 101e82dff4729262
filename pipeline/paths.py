"""Where finnews finds its configuration, models and the shared public data."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    """Return the project root (the folder that holds `configs/` and `models/`)."""
    return Path(os.environ.get("FINNEWS_HOME", Path(__file__).resolve().parent.parent))


def configs_dir() -> Path:
    """Return the folder of rule data, lexicons and label sets."""
    return repo_root() / "configs"


def models_dir() -> Path:
    """Return the folder that holds trained models."""
    return repo_root() / "models"


def shared_data_dir() -> Path:
    """Return the public data folder (env `FINNEWS_SHARED_DATA`, default `../shared/data`)."""
    default = repo_root().parent / "shared" / "data"
    return Path(os.environ.get("FINNEWS_SHARED_DATA", default))
