import io
import json
import sys

import pandas as pd
import pytest

from pipeline.readers import read_inputs

TEXT = "The Hang Seng Index rose 1.2% on Monday. Tencent gained 3%."


def _read(*inputs, text_field=None):
    return list(read_inputs([str(i) for i in inputs], text_field))


def test_readers_txt_file_with_title(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Stocks rise in Hong Kong\n" + TEXT, encoding="utf-8")
    [article] = _read(path)
    assert article.title == "Stocks rise in Hong Kong"
    assert TEXT in article.text and article.error is None


def test_readers_html_uses_trafilatura_main_text_and_metadata(tmp_path):
    html = (
        "<html><head><title>Stocks rise</title><meta name='date' content='2025-02-03'></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/m'>Markets</a></nav><article><h1>Stocks rise</h1>"
        f"<p>{TEXT} Investors cheered results across the board on the day.</p>"
        "<p>Southbound investors bought a net HK$2 billion of Hong Kong shares.</p></article>"
        "<footer>Copyright 2025 Example</footer></body></html>"
    )
    path = tmp_path / "a.html"
    path.write_text(html, encoding="utf-8")
    [article] = _read(path)
    assert "HK$2 billion" in article.text and "Copyright" not in article.text and "Home" not in article.text
    assert article.title == "Stocks rise"
    assert article.published == "2025-02-03"


def test_readers_json_list_and_object(tmp_path):
    (tmp_path / "list.json").write_text(json.dumps([{"id": "a1", "text": TEXT}, {"id": "a2", "body": TEXT}]))
    (tmp_path / "one.json").write_text(json.dumps({"content": TEXT, "title": "T", "url": "https://x"}))
    articles = _read(tmp_path / "list.json", tmp_path / "one.json")
    assert [a.article_id for a in articles] == ["a1", "a2", None]
    assert articles[2].title == "T" and articles[2].url == "https://x"
    assert all(a.text == TEXT for a in articles)


def test_readers_jsonl_reports_malformed_line_and_continues(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "1", "text": TEXT}) + "\n{broken\n" + json.dumps({"id": "3", "text": TEXT}) + "\n")
    articles = _read(path)
    assert [a.article_id for a in articles] == ["1", None, "3"]
    assert "line 2" in articles[1].error


def test_readers_row_without_text_is_an_error(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "x", "title": "no body"}) + "\n")
    [article] = _read(path)
    assert article.article_id == "x" and "no text field" in article.error


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_readers_tables_with_configurable_text_column(tmp_path, suffix):
    frame = pd.DataFrame({"id": ["r1", "r2"], "story": [TEXT, TEXT + " More."], "source": ["Wire", None]})
    path = tmp_path / f"t{suffix}"
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_parquet(path)
    articles = _read(path, text_field="story")
    assert [a.article_id for a in articles] == ["r1", "r2"]
    assert articles[0].source == "Wire" and articles[1].source is None
    assert articles[1].text.endswith("More.")


def test_readers_stdin_jsonl(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"id": "s1", "text": TEXT}) + "\n"))
    [article] = _read("-")
    assert article.article_id == "s1" and article.text == TEXT


def test_readers_folder_is_recursive_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(TEXT)
    (tmp_path / "1.txt").write_text(TEXT)
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    origins = [a.origin for a in _read(tmp_path)]
    assert [o.split("/")[-1] for o in origins] == ["1.txt", "2.txt"]


@pytest.mark.parametrize(
    "data, expected_text, expected_error",
    [
        ("Hang Seng fell 2%.".encode("utf-8"), "Hang Seng fell 2%.", None),
        ("恒生指数下跌2%，腾讯控股股价回落，市场情绪转弱。".encode("gbk"), "恒生指数下跌2%，腾讯控股股价回落，市场情绪转弱。", None),
        ("Caf\u00e9 stocks rose 2% on the Bourse, d\u00e9j\u00e0 vu.".encode("latin-1"), "Caf\u00e9 stocks rose 2%", None),
        (b"\x00\x01\x02binary\x00", "", "binary"),
    ],
)
def test_readers_decode_encodings_or_explain(tmp_path, data, expected_text, expected_error):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    [article] = _read(path)
    if expected_error:
        assert expected_error in article.error
    else:
        assert article.error is None and expected_text in article.text


def test_readers_missing_input_raises_value_error(tmp_path):
    with pytest.raises(ValueError, match="input not found"):
        _read(tmp_path / "nope.txt")
