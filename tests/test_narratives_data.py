import json
from pathlib import Path

import pytest

from pipeline.narratives.data import (
    DataSpec,
    build_datasets,
    held_out,
    load_gold_sentences,
    load_written,
    normalise_sentence,
    split_sentences,
)
from pipeline.narratives.weak import WeakLabeller

WEAK_TEXTS = [
    "Investors worried that the trade war would hurt stocks, and shares fell sharply today.",
    "Foreign investors were net sellers of Japanese stocks for the seventh week in a row.",
    "Gold rose as investors sought a safe haven from the turmoil in currency markets.",
    "The company said quarterly revenue rose to 12 million dlrs from nine million a year ago.",
    "The bank cut its prime lending rate by half a point to support the economy.",
    "The board approved a two-for-one stock split payable to holders of record next month.",
]
TEST_SENTENCE = "Shares plunged as tariff fears spooked investors in the holdout article."


@pytest.mark.parametrize(
    "text,expected",
    [
        ("One. Two is here! Three?", ["One.", "Two is here!", "Three?"]),
        ("Prices rose 1.5 pct in\nJanuary.  Exports fell.", ["Prices rose 1.5 pct in January.", "Exports fell."]),
        ("He said \"no.\" Then left.", ['He said "no."', "Then left."]),
        ("", []),
    ],
)
def test_narratives_split_sentences(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Sales rose 5 % , the company said .", "Sales rose 5%, the company said."),
        ("  spaced\n out  ", "spaced out"),
    ],
)
def test_narratives_normalise_sentence(text, expected):
    assert normalise_sentence(text) == expected


def _gold(path: Path, article_id: str, source: dict, sentences: list[tuple[str, list[str]]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "article_id": article_id,
        "split": path.parent.name,
        "source": source,
        "sentences": [{"text": t, "narratives": n} for t, n in sentences],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")


@pytest.fixture()
def corpus(tmp_path: Path) -> dict[str, Path]:
    shared = tmp_path / "shared"
    (shared / "news").mkdir(parents=True)
    reuters = [{"id": f"reuters-{i}", "text": text} for i, text in enumerate(WEAK_TEXTS)]
    reuters.append({"id": "reuters-99", "text": TEST_SENTENCE + " " + WEAK_TEXTS[0].replace("today", "again")})
    (shared / "news" / "reuters21578.jsonl").write_text(
        "\n".join(json.dumps(r) for r in reuters), encoding="utf-8"
    )
    gold = tmp_path / "gold"
    _gold(
        gold / "dev" / "a.json",
        "a",
        {"kind": "file", "path": "x.txt"},
        [("AI stocks rallied on chatbot hopes.", ["ai_hype"]), ("The index closed flat.", [])],
    )
    _gold(
        gold / "test" / "t.json",
        "t",
        {"kind": "reuters", "id": "reuters-99"},
        [(TEST_SENTENCE, ["policy_fear"])],
    )
    written = tmp_path / "written.jsonl"
    rows = [{"text": f"Southbound investors bought shares on day {i}.", "labels": ["capital_flows"]} for i in range(9)]
    rows.append({"text": TEST_SENTENCE, "labels": ["policy_fear"]})  # must be dropped: equals a test sentence
    written.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return {"shared": shared, "gold": gold, "written": written}


def test_narratives_load_gold_sentences_origin(corpus):
    rows = load_gold_sentences(corpus["gold"] / "dev")
    assert [r["origin"] for r in rows] == ["gold", "gold"]
    assert rows[0]["labels"] == ["ai_hype"] and rows[1]["labels"] == []
    assert rows[0]["source"] == "a"


def test_narratives_load_gold_rejects_unknown_label(tmp_path):
    _gold(tmp_path / "dev" / "x.json", "x", {"kind": "file"}, [("Text.", ["ai_hyp"])])
    with pytest.raises(ValueError, match="unknown narrative label"):
        load_gold_sentences(tmp_path / "dev", ["ai_hype"])


def test_narratives_load_written_validates(tmp_path):
    path = tmp_path / "w.jsonl"
    path.write_text('{"text": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match='needs "text" and "labels"'):
        load_written(path)
    assert load_written(tmp_path / "missing.jsonl") == []


def test_narratives_held_out_collects_test_ids(corpus):
    excluded = held_out(corpus["gold"])
    assert excluded.reuters_ids == {"reuters-99"}
    assert normalise_sentence(TEST_SENTENCE).lower() in excluded.texts


def test_narratives_build_datasets_origins_and_no_test_leak(corpus):
    spec = DataSpec(
        gold_dir=corpus["gold"] / "dev",
        written_path=corpus["written"],
        gold_root=corpus["gold"],
        shared_dir=corpus["shared"],
        weak_per_label=5,
        weak_negatives=3,
        dev_fraction=0.2,
        seed=1,
    )
    data = build_datasets(spec, WeakLabeller())
    train, dev = data["train"], data["dev"]
    assert set(train.column_names) == {"text", "labels", "origin", "source"}
    assert set(train["origin"]) == {"gold", "written", "weak"}
    assert "weak" not in set(dev["origin"])
    # gold goes to dev by article (20% of 1 article: none), written by row (ceil(20% of 9) = 2)
    assert len(dev) == 2
    texts = set(train["text"]) | set(dev["text"])
    assert TEST_SENTENCE not in texts
    assert not any("again" in t for t in texts)  # weak rows never come from a gold-test article
    weak = {t: labels for t, labels, o in zip(train["text"], train["labels"], train["origin"]) if o == "weak"}
    assert weak[WEAK_TEXTS[2]] == ["safe_haven_rotation"]
    assert weak[WEAK_TEXTS[1]] == ["capital_flows"]


def test_narratives_build_datasets_is_deterministic(corpus):
    spec = DataSpec(
        gold_dir=corpus["gold"] / "dev",
        written_path=corpus["written"],
        gold_root=corpus["gold"],
        shared_dir=corpus["shared"],
        weak_per_label=5,
        weak_negatives=3,
        seed=7,
    )
    first = build_datasets(spec, WeakLabeller())
    second = build_datasets(spec, WeakLabeller())
    assert first["train"]["text"] == second["train"]["text"]
    assert first["dev"]["text"] == second["dev"]["text"]


def test_narratives_build_datasets_needs_curated_rows(tmp_path):
    spec = DataSpec(gold_dir=tmp_path / "none", written_path=tmp_path / "none.jsonl", gold_root=tmp_path)
    with pytest.raises(ValueError, match="no gold dev or written sentences"):
        build_datasets(spec, WeakLabeller())


def test_narratives_written_corpus_is_valid():
    from pipeline.narratives.labels import load_narrative_config
    from pipeline.paths import repo_root

    labels = load_narrative_config().label_names
    rows = load_written(repo_root() / "corpus" / "narratives" / "written.jsonl", labels)
    assert len(rows) >= 300
    for label in labels:
        assert sum(label in r["labels"] for r in rows) >= 40, label
    assert sum(not r["labels"] for r in rows) >= 100
