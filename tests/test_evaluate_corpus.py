import json

import pytest

from pipeline.evaluate.corpus import article_text, gold_hash, load_gold, parse_gold


def gold(article_id="a1", split="dev", source=None, **extra):
    return {
        "article_id": article_id,
        "split": split,
        "source": source or {"kind": "file", "path": "corpus/seeds/x.txt"},
        "tickers": ["0700.HK"],
        "records": [],
        "sentences": [],
        **extra,
    }


def write_gold(root, data):
    path = root / data["split"] / f"{data['article_id']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def shared(tmp_path):
    data = tmp_path / "data"
    (data / "news").mkdir(parents=True)
    rows = [
        {"id": "reuters-7", "title": "STOCKS RISE", "text": "Shares rose 2 pct.\n"},
        {"id": "reuters-8", "title": "", "text": "No title here."},
    ]
    (data / "news" / "reuters21578.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows), encoding="utf-8"
    )
    (data / "labelled" / "fin_entity").mkdir(parents=True)
    passages = [
        {"content": "Tesla fell 3.7%.", "annotations": []},
        {"content": "Apple rose.", "annotations": []},
    ]
    (data / "labelled" / "fin_entity" / "FinEntity.json").write_text(json.dumps(passages), encoding="utf-8")
    return data


@pytest.mark.parametrize(
    "source,expected",
    [
        ({"kind": "reuters", "id": "reuters-7"}, "STOCKS RISE\n\nShares rose 2 pct.\n"),
        ({"kind": "reuters", "id": "reuters-8"}, "No title here."),
        ({"kind": "fin_entity", "index": 1}, "Apple rose."),
    ],
)
def test_corpus_article_text_shared_sources(shared, source, expected):
    assert article_text(source, data_dir=shared) == expected


def test_corpus_article_text_file(tmp_path):
    (tmp_path / "a.txt").write_text("Hang Seng rose 1%.", encoding="utf-8")
    assert article_text({"kind": "file", "path": "a.txt"}, root=tmp_path) == "Hang Seng rose 1%."


@pytest.mark.parametrize(
    "source,message",
    [
        ({"kind": "reuters", "id": "reuters-99"}, "no story"),
        ({"kind": "fin_entity", "index": 5}, "out of range"),
        ({"kind": "file", "path": "missing.txt"}, "not found"),
        ({"kind": "web", "url": "x"}, "unknown source kind"),
    ],
)
def test_corpus_article_text_errors(shared, tmp_path, source, message):
    with pytest.raises(ValueError, match=message):
        article_text(source, root=tmp_path, data_dir=shared)


def test_corpus_missing_shared_data_says_how_to_fix(tmp_path):
    with pytest.raises(ValueError, match="FINNEWS_SHARED_DATA"):
        article_text({"kind": "reuters", "id": "reuters-7"}, data_dir=tmp_path / "nowhere")


@pytest.mark.parametrize(
    "data,message",
    [
        ({"split": "dev", "source": {"kind": "file", "path": "x"}}, "missing 'article_id'"),
        (gold(split="train"), "split"),
        (gold(source={"kind": "web"}), "source.kind"),
        (gold(records=[{"type": "mention"}]), "record 0 has type"),
        (gold(sentences=[{"narratives": []}]), "needs `text` or `start`"),
    ],
)
def test_corpus_parse_gold_rejects(data, message):
    with pytest.raises(ValueError, match=message):
        parse_gold(data)


def test_corpus_parse_gold_sentences_by_offsets():
    text = "HEADLINE\n\nFirst sentence here. Second one."
    data = gold(
        sentences=[
            {"start": 0, "end": 8, "narratives": []},
            {"start": 10, "end": 30, "narratives": ["capital_flows"]},
        ]
    )
    article = parse_gold(data, text_of=lambda: text)
    assert [s.text for s in article.sentences] == ["HEADLINE", "First sentence here."]
    assert article.narratives == {"capital_flows"}


def test_corpus_parse_gold_offsets_out_of_range():
    data = gold(sentences=[{"start": 0, "end": 99, "narratives": []}])
    with pytest.raises(ValueError, match="outside the text"):
        parse_gold(data, text_of=lambda: "short")


def test_corpus_load_gold_splits_and_order(tmp_path):
    write_gold(tmp_path, gold("b", "dev", records=[{"type": "price_move", "subject": "X"}]))
    write_gold(tmp_path, gold("a", "dev"))
    write_gold(tmp_path, gold("c", "test"))
    assert [g.article_id for g in load_gold(tmp_path)] == ["a", "b", "c"]
    assert [g.article_id for g in load_gold(tmp_path, ["test"])] == ["c"]
    [b] = [g for g in load_gold(tmp_path, ["dev"]) if g.article_id == "b"]
    assert len(b.records_of("price_move")) == 1 and b.records_of("money_flow") == []


def test_corpus_load_gold_split_must_match_folder(tmp_path):
    path = write_gold(tmp_path, gold("a", "dev"))
    (tmp_path / "test").mkdir()
    path.replace(tmp_path / "test" / "a.json")
    with pytest.raises(ValueError, match="differs from its folder"):
        load_gold(tmp_path)


def test_corpus_load_gold_duplicate_ids(tmp_path):
    write_gold(tmp_path, gold("a", "dev"))
    (tmp_path / "dev" / "a-copy.json").write_text(json.dumps(gold("a", "dev")), encoding="utf-8")
    with pytest.raises(ValueError, match="also in"):
        load_gold(tmp_path)


def test_corpus_gold_hash_changes_with_content(tmp_path):
    write_gold(tmp_path, gold("a", "dev"))
    first = gold_hash(tmp_path)
    assert gold_hash(tmp_path) == first
    write_gold(tmp_path, gold("a", "dev", tickers=["9988.HK"]))
    assert gold_hash(tmp_path) != first


def test_corpus_repo_gold_loads():
    from pipeline.paths import repo_root, shared_data_dir

    if not shared_data_dir().is_dir():
        pytest.skip("shared data folder not available (set FINNEWS_SHARED_DATA)")
    articles = load_gold(repo_root() / "corpus" / "gold", ["dev"])
    assert articles and all(a.split == "dev" for a in articles)
