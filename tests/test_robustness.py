"""Bad input ends as records or a readable error entry, and the rest of the batch completes."""

import codecs
import json
import re
import warnings

import pytest
import spacy
from bad_inputs import BIG_SENTINEL, write_bad_corpus
from spacy.language import Language

from pipeline.cli import main
from pipeline.decoding import DecodeError, decode_bytes, sanitize_text
from pipeline.extract import Extractor, ProcessedArticle, split_chunks
from pipeline.hits import Hit, add_hit
from pipeline.html import extract_html
from pipeline.readers import RawArticle
from pipeline.runner import UniqueIds
from pipeline.schema import Article, Mention

GOOD = "The Hang Seng Index rose 1.2% on Monday. Tencent gained 3%."
ZH = "恒生指数周一下跌2.3%，收报22579点。腾讯控股股价下跌3%，阿里巴巴上涨1.5%。南向资金净买入港股90亿港元。"


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _run(*args):
    return main(["run", *map(str, args), "--no-narratives", "--quiet"])


# --- decoding --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, encoding",
    [
        (ZH, "gbk"),
        (ZH, "gb18030"),
        ("恆生指數周一下跌2.3%，收報22579點。騰訊控股股價下跌3%。", "big5"),
        ("恒生指数下跌2%", "gbk"),
        ("騰訊控股", "big5"),
        ("日経平均株価は2%上昇した。トヨタ自動車の株価も上がった。", "shift_jis"),
        ("Café stocks rose 2% on the Bourse, déjà vu in Zürich.", "latin-1"),
        ("\u201cShares rose 2%,\u201d said the analyst \u2013 \u20ac5 bn.", "cp1252"),
        ("Akcje spółki wzrosły o 2% na giełdzie w Warszawie.", "cp1250"),
        ("Hang Seng rose 2% on Monday.", "utf-16"),
        ("Hang Seng rose 2% on Monday.", "utf-16-le"),
        ("Hang Seng rose 2% on Monday.", "utf-16-be"),
        ("Hang Seng rose 2% on Monday.", "utf-32"),
        ("Hang Seng rose 2% on Monday.", "utf-8-sig"),
    ],
)
def test_robustness_decoding_detects_legacy_encodings(text, encoding):
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"%PDF-1.7\n\xe2\xe3\xcf\xd3", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"text\x00with\x00nul bytes", "binary data"),
        (bytes(range(1, 32)) * 20, "control characters"),
        (bytes(range(0x80, 0x100)) * 20, "no other text encoding"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "byte-order mark"),
    ],
)
def test_robustness_decoding_refuses_binary_with_a_reason(data, reason):
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tencent\x07 rose\x1b[0m 3%", "Tencent rose[0m 3%"),
        ("one\x0btwo\x0cthree\u2028four\u2029five\x85six", "one\ntwo\nthree\nfour\nfive\nsix"),
        ("lone \ud800 surrogate \udfff", "lone \ufffd surrogate \ufffd"),
        ("tab\tand\r\nnewline", "tab\tand\r\nnewline"),
        ("\x00\x01\x7f\x9f", ""),
    ],
)
def test_robustness_sanitize_text_drops_controls_and_surrogates(text, expected):
    assert sanitize_text(text) == expected
    sanitize_text(text).encode("utf-8")  # always writable


# --- HTML ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html, text, error",
    [
        (
            "<nav><a href='/'>Home</a><a href='/m'>Markets</a></nav><script>var a = 1;</script>",
            None,
            "no article text",
        ),
        (
            "<html><head><script>function f() { return 1; }</script></head><body></body></html>",
            None,
            "no article",
        ),
        ("", None, "empty"),
        ("Hang Seng rose 2% on Monday as Tencent gained 3%.", "Tencent gained 3%.", None),
        ("<html><body><p>Hang Seng rose 2% on Monday<div><p>Tencent gained 3%", "Tencent gained 3%", None),
        (
            "<html><body><p>Tencent\x07 rose 2% \x00on Monday.</p></body></html>",
            "Tencent rose 2% on Monday.",
            None,
        ),
    ],
)
def test_robustness_html_without_article_is_an_error(html, text, error):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        article = extract_html(html, "page.html")
    if error:
        assert article.text == "" and error in article.error
    else:
        assert article.error is None and text in article.text


# --- chunking --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, max_chars, chunks",
    [
        ("abc", 10, ["abc"]),
        ("", 10, [""]),
        ("line one\nline two\nline three", 12, ["line one\n", "line two\n", "line three"]),
        ("First one. Second one. Third", 15, ["First one. ", "Second one. ", "Third"]),
        ("no punctuation at all here", 10, ["no ", "punctuatio", "n at all ", "here"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("\nabcdef", 3, ["\nab", "cde", "f"]),
    ],
)
def test_robustness_split_chunks_at_line_sentence_or_space(text, max_chars, chunks):
    assert split_chunks(text, max_chars) == chunks


def test_robustness_split_chunks_rejects_non_positive_limit():
    with pytest.raises(ValueError, match="max_chunk_chars"):
        split_chunks("abc", 0)


def test_robustness_chunked_article_keeps_offsets_into_full_text(nlp, extractor):
    filler = [f"Trading was quiet in session {i} and volumes were thin." for i in range(80)]
    text = "Market report\n" + "\n".join(filler) + "\n" + GOOD
    chunked = Extractor(nlp=nlp, with_narratives=False, max_chunk_chars=700)
    assert len(split_chunks(text, 700)) > 5
    [whole] = extractor.process([RawArticle(text, "a.txt")])
    [parts] = chunked.process([RawArticle(text, "a.txt")])
    assert parts.article.text == whole.article.text and not parts.article.errors
    for record in parts.records:
        assert parts.article.text[record.start : record.end] == record.text
        assert record.sentence in parts.article.text
    spans = {(r.type, r.start, r.end) for r in whole.records}
    assert {(r.type, r.start, r.end) for r in parts.records} == spans
    assert all(r.start >= len(text) - len(GOOD) for r in parts.records)


def test_robustness_heading_line_ending_in_a_glued_colon_is_extracted(extractor):
    # "(0960):" is one token: a line that ends in it leads in no list, and the article still extracts
    text = (
        "Broker calls\nLongfor (0960):\nGoldman Sachs downgraded Longfor to neutral from buy.\n"
        "Longfor fell 3.8% to HK$8.76.\n"
    )
    [done] = extractor.process([RawArticle(text, "a.txt")])
    assert not done.article.errors
    assert {r.type for r in done.records} >= {"price_move", "analyst_view"}


# --- one bad article never stops its batch --------------------------------------------------------


@Language.component("test_boom")
def _boom(doc):
    """Fail on "BOOM"; add a record with a NaN on "NANPCT" and an invalid record on "INVALID"."""
    if "BOOM" in doc.text:
        raise RuntimeError("component exploded")
    if "NANPCT" in doc.text:
        fields = {"subject": "x", "ticker": None, "direction": "up", "pct": float("nan"), "approx": "exact"}
        add_hit(doc, Hit("price_move", 0, 6, fields, "test_boom:nan_pct", 0.5))
        mention = {"name": "x", "canonical": "x", "ticker": None, "entity_kind": "company"}
        add_hit(doc, Hit("mention", 7, 10, mention, "test_boom:fine", 0.5))
    if "INVALID" in doc.text:
        fields = {"name": "x", "canonical": "x", "ticker": None, "entity_kind": "planet"}
        add_hit(doc, Hit("mention", 0, 7, fields, "test_boom:bad_kind", 0.5))
    return doc


@pytest.fixture(scope="module")
def boom_extractor():
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    blank.add_pipe("test_boom")
    return Extractor(nlp=blank, with_narratives=False)


def test_robustness_failing_article_does_not_stop_the_batch(boom_extractor):
    raws = [
        RawArticle("Fine text.", "a"),
        RawArticle("This one goes BOOM.", "b"),
        RawArticle("Also fine.", "c"),
    ]
    results = boom_extractor.process(raws)
    assert [bool(r.article.errors) for r in results] == [False, True, False]
    assert results[1].article.errors == ["b: extraction failed: RuntimeError: component exploded"]
    assert results[1].article.text == "This one goes BOOM."


def test_robustness_non_finite_number_drops_the_record_with_a_note(boom_extractor):
    [result] = boom_extractor.process([RawArticle("NANPCT and more", "n")])
    assert [r.extractor for r in result.records] == ["test_boom:fine"] and result.article.n_records == 1
    [error] = result.article.errors
    assert re.fullmatch(r"n: dropped record \w+:0 from test_boom:nan_pct: a number is not finite", error)


def test_robustness_invalid_record_fails_the_article_with_its_reason(boom_extractor):
    [result] = boom_extractor.process([RawArticle("INVALID record", "v")])
    assert result.records == [] and result.article.n_records == 0
    assert result.article.errors[0].startswith("v: extraction failed: ValidationError")


TRUNCATION_BASES = [
    "The Hang Seng Index rose 1.2% to 22,579.05 on Monday, while Tencent gained 3% and southbound investors "
    "bought a net HK$2.5 billion of shares, said Goldman Sachs analyst Jane Doe, according to Reuters.",
    "Nearly 4-6% of the fund's assets, or as much as US$470m, flowed out of the KWEB ETF last week, "
    "and Morgan Stanley cut its target price on Alibaba, which fell more than 2%.",
]


@pytest.mark.parametrize("base", TRUNCATION_BASES)
def test_robustness_article_cut_at_any_word_does_not_crash(extractor, base):
    """Scraped text is often cut off mid-sentence: every prefix and suffix of a sentence must process."""
    cuts = sorted(
        {m.start() for m in re.finditer(r"\S+", base)} | {m.end() for m in re.finditer(r"\S+", base)}
    )
    raws = [RawArticle(base[:cut], f"prefix:{cut}") for cut in cuts[1:]]
    raws += [RawArticle(base[cut:], f"suffix:{cut}") for cut in cuts[:-1]]
    results = extractor.process(raws)
    failures = [
        (raw.text, r.article.errors) for raw, r in zip(raws, results, strict=True) if r.article.errors
    ]
    assert failures == []
    for result in results:
        for record in result.records:
            assert result.article.text[record.start : record.end] == record.text


# --- duplicate ids -------------------------------------------------------------------------------


def _processed(article_id, n_records=1):
    article = Article(article_id=article_id, text="Tencent", n_records=n_records, pipeline_version="v")
    records = [
        Mention(
            article_id=article_id,
            record_id=f"{article_id}:{n}",
            text="Tencent",
            start=0,
            end=7,
            sentence="Tencent",
            extractor="x",
            confidence=1.0,
            name="Tencent",
            canonical="Tencent",
            ticker="0700.HK",
            entity_kind="company",
        )
        for n in range(n_records)
    ]
    return ProcessedArticle(article, records)


@pytest.mark.parametrize(
    "seen, ids, expected",
    [
        ([], ["a", "b", "c"], ["a", "b", "c"]),
        ([], ["a", "a", "a"], ["a", "a#2", "a#3"]),
        ([], ["a", "a#2", "a"], ["a", "a#2", "a#3"]),
        ([], ["a", "a", "a#2"], ["a", "a#2", "a#2#2"]),
        (["a", "a#2"], ["a", "b"], ["a#3", "b"]),
    ],
)
def test_robustness_duplicate_ids_get_deterministic_suffixes(seen, ids, expected):
    registry = UniqueIds(seen)
    results = [registry.claim(_processed(article_id, n_records=2)) for article_id in ids]
    assert [r.article.article_id for r in results] == expected
    for original, result in zip(ids, results, strict=True):
        new = result.article.article_id
        assert [r.record_id for r in result.records] == [f"{new}:0", f"{new}:1"]
        assert all(r.article_id == new for r in result.records)
        renamed = new != original
        assert bool(result.article.errors) == renamed
        if renamed:
            assert f"duplicate article_id {original!r}" in result.article.errors[0]


# --- the bad-input corpus through `finnews run` -------------------------------------------------


def _check_corpus_output(out, expected):
    articles = _jsonl(out / "articles.jsonl")
    records = _jsonl(out / "records.jsonl")
    assert len(articles) == len(expected), "every input article has exactly one line"
    problems = []
    for want, got in zip(expected, articles, strict=True):
        errors = " | ".join(got["errors"])
        if want.error is None and got["errors"]:
            problems.append(f"{want.name}: unexpected error {errors}")
        if want.error is not None and want.error not in errors:
            problems.append(f"{want.name}: expected error {want.error!r}, got {errors!r}")
        if want.error is not None and not errors.split(": ")[0].endswith(want.name):
            problems.append(f"{want.name}: error does not name its input: {errors!r}")
        if want.text_has is not None and want.text_has not in got["text"]:
            problems.append(f"{want.name}: text lacks {want.text_has!r}")
        if want.article_id is not None and got["article_id"] != want.article_id:
            problems.append(f"{want.name}: article_id {got['article_id']!r} != {want.article_id!r}")
    assert problems == []
    assert len({a["article_id"] for a in articles}) == len(articles)
    assert len({r["record_id"] for r in records}) == len(records)
    assert sum(a["n_records"] for a in articles) == len(records)
    texts = {a["article_id"]: a["text"] for a in articles}
    for record in records:
        assert texts[record["article_id"]][record["start"] : record["end"]] == record["text"]
    return articles, records


def test_robustness_bad_corpus_every_article_accounted_for(tmp_path, capsys):
    expected = write_bad_corpus(tmp_path / "in", big_bytes=200_000, sentence_chars=20_000)
    code = _run(tmp_path / "in", "--out", tmp_path / "out", "--batch-size", "4")
    assert code == 1
    _check_corpus_output(tmp_path / "out", expected)
    printed = capsys.readouterr().out
    failed = sum(e.error is not None for e in expected)
    assert f"articles: {len(expected)} processed" in printed
    assert f"errors:   {failed} article(s) failed" in printed


@pytest.mark.slow
def test_robustness_full_bad_corpus_with_5mb_article(tmp_path):
    expected = write_bad_corpus(tmp_path / "in")
    big = tmp_path / "in" / "15_big.txt"
    assert big.stat().st_size >= 5_000_000
    assert _run(tmp_path / "in", "--out", tmp_path / "out") == 1
    articles, records = _check_corpus_output(tmp_path / "out", expected)
    by_name = dict(zip((e.name for e in expected), articles, strict=True))
    big_article = by_name["15_big.txt"]
    assert len(big_article["text"]) > 1_000_000 and not big_article["errors"]
    assert big_article["text"].rstrip().endswith(BIG_SENTINEL)
    assert len(by_name["16_long_sentence.txt"]["text"]) > 100_000
    if by_name["00_good.txt"]["n_records"]:
        late = [r for r in records if r["article_id"] == big_article["article_id"] and r["start"] > 1_000_000]
        assert late, "records past spaCy's max_length come out with offsets into the full text"
        assert {r["text"] for r in late} >= {"HSBC Holdings", "BYD Company"}


# --- exit status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "files, extra, code",
    [
        ({"a.txt": GOOD}, [], 0),
        ({"a.txt": GOOD, "b.txt": "  "}, [], 1),
        ({"a.jsonl": '{"id": "x", "text": "Tencent rose 2%."}\n{oops\n'}, [], 1),
        ({}, ["missing.txt"], 2),
        ({"a.txt": GOOD}, ["--batch-size", "0"], 2),
    ],
)
def test_robustness_exit_status(tmp_path, files, extra, code):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    inputs = [str(tmp_path / name) for name in files]
    extra = [str(tmp_path / e) if e.endswith(".txt") else e for e in extra]
    assert _run(*inputs, *extra, "--out", tmp_path / "out") == code


def test_robustness_bad_format_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "xml"])
    assert exit_info.value.code == 2


def test_robustness_resume_with_other_inputs_or_options_is_refused(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text("Alibaba fell 2%.")
    out = tmp_path / "out"
    assert _run(tmp_path / "a.txt", "--out", out) == 0
    assert _run(tmp_path / "b.txt", "--out", out) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(out), "--quiet"]) == 2
    assert _run(tmp_path / "b.txt", "--out", out, "--overwrite") == 0


def test_robustness_resume_exit_status_counts_earlier_failures(tmp_path):
    (tmp_path / "a.txt").write_text("   ")
    (tmp_path / "b.txt").write_text(GOOD)
    out = tmp_path / "out"
    assert _run(tmp_path, "--out", out) == 1
    lines = (out / "articles.jsonl").read_text().splitlines(keepends=True)
    (out / "articles.jsonl").write_text(lines[0])  # as if killed after the first article
    assert _run(tmp_path, "--out", out) == 1
    assert len(_jsonl(out / "articles.jsonl")) == 2


def test_robustness_unreadable_journal_exits_two(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GOOD)
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.jsonl").write_text("not json\n")
    assert _run(tmp_path / "a.txt", "--out", out) == 2
    assert "not finnews output" in capsys.readouterr().err


def test_robustness_output_folder_inside_input_folder_is_not_read(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    out = tmp_path / "out"
    assert _run(tmp_path, "--out", out) == 0
    assert _run(tmp_path, "--out", out) == 0
    assert len(_jsonl(out / "articles.jsonl")) == 1


# --- determinism ---------------------------------------------------------------------------------


def test_robustness_same_input_gives_byte_identical_files(tmp_path):
    expected = write_bad_corpus(tmp_path / "in", big_bytes=50_000, sentence_chars=5_000)
    for name in ("one", "two"):
        _run(tmp_path / "in", "--out", tmp_path / name, "--batch-size", "3")
    for name in ("articles.jsonl", "records.jsonl", "run.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert len(_jsonl(tmp_path / "one" / "articles.jsonl")) == len(expected)
