import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def nlp():
    from pipeline.nlp import shared_nlp

    return shared_nlp()


@pytest.fixture(scope="session")
def extractor(nlp):
    from pipeline.extract import Extractor

    return Extractor(nlp=nlp, with_narratives=False)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return REPO / "corpus" / "seeds"
