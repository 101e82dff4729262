"""Write the bad-input corpus into a folder at test time (nothing of it is committed).

`write_bad_corpus(folder)` writes one file per kind of bad input and returns what finnews must make
of each input article, in the order `finnews run folder` reads them (files sorted by name, rows in
file order). Every expectation is either a clean article (`error is None`) or an error entry whose
message contains `error`.
"""

from __future__ import annotations

import codecs
import json
import random
from dataclasses import dataclass
from pathlib import Path

GOOD = (
    "Stocks rise in Hong Kong\n"
    "The Hang Seng Index rose 1.2% to 22,579.05 on Monday. Tencent gained 3% and Alibaba fell 2%.\n"
    "Southbound investors bought a net HK$2 billion of Hong Kong shares."
)
ZH_SIMPLIFIED = (
    "恒生指数周一下跌2.3%，收报22579点。腾讯控股股价下跌3%，阿里巴巴上涨1.5%。"
    "南向资金净买入港股90亿港元，市场情绪转弱，投资者担心美国关税政策。"
)
ZH_TRADITIONAL = (
    "恆生指數周一下跌2.3%，收報22579點。騰訊控股股價下跌3%，阿里巴巴上漲1.5%。"
    "南向資金淨買入港股90億港元，市場情緒轉弱，投資者擔心美國關稅政策。"
)
LATIN = (
    "Société Générale said the CAC 40 index fell 1.2% to 7,345.6 while Nestlé and L'Oréal gained; "
    "Zürich's SMI was flat and the café chain rose 4%."
)
CP1252 = "\u201cThe market is oversold,\u201d said the strategist \u2013 shares rose 2% to \u20ac5.20."
NAV_ONLY_HTML = (
    "<html><head><title>Markets</title><script>var q = 'Hang Seng rose 2%';</script></head><body>"
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/markets'>Markets</a></li>"
    "<li><a href='/news'>News</a></li></ul></nav>"
    "<footer><a href='/about'>About</a> <a href='/terms'>Terms</a></footer></body></html>"
)
SCRIPTS_ONLY_HTML = (
    "<html><head><style>body { color: red; }</style>"
    "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>"
    "</head><body><script>document.getElementById('app').innerHTML = 'Loading';</script>"
    "<div id='app'></div></body></html>"
)
# The big article's last line names companies it names nowhere else, so their records (not collapsed
# into an earlier statement of the same fact) must point past 1,000,000 characters.
BIG_SENTINEL = "At the close, HSBC Holdings fell 3.4% and BYD Company dropped 1.1% to HK$285.40."


@dataclass(frozen=True)
class Expected:
    """What one input article must become."""

    name: str
    error: str | None = None
    text_has: str | None = None
    article_id: str | None = None


def _big_article(size_bytes: int) -> str:
    """English market lines at the start, middle and end; Chinese text (3 bytes a character) between."""
    english = "\n".join(f"{GOOD.splitlines()[1]} Line {i}." for i in range(20))
    filler_line = ZH_SIMPLIFIED + "\n"
    lines_needed = max(2, size_bytes // len(filler_line.encode("utf-8")) + 2)
    half = "".join([filler_line] * (lines_needed // 2))
    return f"Big market report\n{english}\n{half}{english}\n{half}{english}\n{BIG_SENTINEL}\n"


def _long_sentence(chars: int) -> str:
    words = "shares of the company rose and fell as investors bought and sold "
    return (words * (chars // len(words) + 1))[:chars].strip()


def _rows_jsonl() -> tuple[str, list[Expected]]:
    name = "19_rows.jsonl"
    lines = [
        json.dumps({"id": "row-1", "text": GOOD, "title": "Good row"}),
        "{broken",
        json.dumps({"id": "row-3", "title": "no body"}),
        "",
        json.dumps({"id": "row-5", "text": 12345}),
        json.dumps(["a", "list", "not", "an", "object"]),
        json.dumps({"id": "row-1", "text": GOOD + " Repeated id."}),
        # A lone surrogate escape and a raw U+2028 inside a JSON string.
        '{"id": "row-8", "text": "Hang\\ud800 Seng\\u0000 rose 2%.\u2028Tencent fell 1%."}',
        json.dumps({"id": "row-9", "text": ""}),
        json.dumps({"id": "row-10", "content": "Alibaba rose 5% in Hong Kong.", "published": None}),
        '{"id": "row-11", "te',  # half a line, no newline: the file was cut off
    ]
    expected = [
        Expected(f"{name}:1", text_has="Hang Seng Index", article_id="row-1"),
        Expected(f"{name}:2", error="malformed JSON on line 2"),
        Expected(f"{name}:3", error="no text field", article_id="row-3"),
        Expected(f"{name}:5", error="expected a string", article_id="row-5"),
        Expected(f"{name}:6", error="expected an object"),
        Expected(f"{name}:7", error="duplicate article_id 'row-1'", article_id="row-1#2"),
        Expected(f"{name}:8", text_has="Hang\ufffd Seng rose 2%.\nTencent fell 1%.", article_id="row-8"),
        Expected(f"{name}:9", error="no text field", article_id="row-9"),
        Expected(f"{name}:10", text_has="Alibaba rose 5%", article_id="row-10"),
        Expected(f"{name}:11", error="malformed JSON on line 11"),
    ]
    return "\n".join(lines), expected


def write_bad_corpus(
    folder: Path, big_bytes: int = 5_000_000, sentence_chars: int = 120_000
) -> list[Expected]:
    """Write every bad input into `folder`; return the expected outcome of each input article.

    `big_bytes` is the size of the big article, `sentence_chars` the length of the sentence without
    punctuation (the defaults exceed spaCy's `max_length` and finnews' `max_chunk_chars`).
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1987)
    rows_text, rows_expected = _rows_jsonl()
    files: list[tuple[str, bytes, list[Expected]]] = [
        ("00_good.txt", GOOD.encode(), [Expected("00_good.txt", text_has="Hang Seng Index rose 1.2%")]),
        ("01_empty.txt", b"", [Expected("01_empty.txt", error="empty article")]),
        ("02_blank.txt", "  \n\t \r\n \u3000 \n".encode(), [Expected("02_blank.txt", error="empty")]),
        (
            "03_png.txt",
            b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000),
            [Expected("03_png.txt", error="PNG image")],
        ),
        ("04_random.txt", rng.randbytes(4000) + b"\x00", [Expected("04_random.txt", error="binary data")]),
        ("05_pdf.txt", b"%PDF-1.4\n" + rng.randbytes(1000), [Expected("05_pdf.txt", error="PDF document")]),
        ("06_gbk.txt", ZH_SIMPLIFIED.encode("gbk"), [Expected("06_gbk.txt", text_has=ZH_SIMPLIFIED)]),
        ("07_big5.txt", ZH_TRADITIONAL.encode("big5"), [Expected("07_big5.txt", text_has=ZH_TRADITIONAL)]),
        ("08_latin1.txt", LATIN.encode("latin-1"), [Expected("08_latin1.txt", text_has="Société Générale")]),
        (
            "09_cp1252.txt",
            CP1252.encode("cp1252"),
            [Expected("09_cp1252.txt", text_has='"The market is oversold,"')],
        ),
        (
            "10_utf16.txt",
            codecs.BOM_UTF16_LE + (GOOD + " (UTF-16)").encode("utf-16-le"),
            [Expected("10_utf16.txt", text_has="Tencent")],
        ),
        (
            "11_undecodable.txt",
            bytes(rng.randrange(0x80, 0x100) for _ in range(4000)),
            [Expected("11_undecodable.txt", error="no other text encoding")],
        ),
        ("12_nav_only.html", NAV_ONLY_HTML.encode(), [Expected("12_nav_only.html", error="no article text")]),
        (
            "13_scripts_only.html",
            SCRIPTS_ONLY_HTML.encode(),
            [Expected("13_scripts_only.html", error="no article text")],
        ),
        (
            "14_no_markup.html",
            (GOOD + " (no markup)").encode(),
            [Expected("14_no_markup.html", text_has="Tencent gained 3%")],
        ),
        ("15_big.txt", _big_article(big_bytes).encode(), [Expected("15_big.txt", text_has=BIG_SENTINEL)]),
        (
            "16_long_sentence.txt",
            _long_sentence(sentence_chars).encode(),
            [Expected("16_long_sentence.txt", text_has="investors bought")],
        ),
        (
            "17_controls.txt",
            ("Tencent\x07 rose 3%\x1b[0m on Monday.\x0bAlibaba fell 2%.\x0cThe end.\n" + GOOD).encode(),
            [Expected("17_controls.txt", text_has="Tencent rose 3%[0m on Monday.\nAlibaba fell 2%.")],
        ),
        (
            "18_chinese_only.txt",
            (ZH_SIMPLIFIED * 5).encode(),
            [Expected("18_chinese_only.txt", text_has=ZH_SIMPLIFIED)],
        ),
        ("19_rows.jsonl", rows_text.encode(), rows_expected),
        (
            "20_list.json",
            json.dumps([{"id": "row-1", "text": GOOD}, {"body": "Nikkei rose 1%."}, 42]).encode(),
            [
                Expected("20_list.json#0", error="duplicate article_id 'row-1'", article_id="row-1#3"),
                Expected("20_list.json#1", text_has="Nikkei rose 1%."),
                Expected("20_list.json#2", error="expected an object"),
            ],
        ),
        ("21_empty.jsonl", b"", [Expected("21_empty.jsonl", error="no articles")]),
        ("22_empty_list.json", b"[]", [Expected("22_empty_list.json", error="no articles")]),
        (
            "23_broken.json",
            b'{"id": "x", "text": "abc"',
            [Expected("23_broken.json", error="malformed JSON")],
        ),
        (
            "24_gbk.csv",
            f"id,text\ncsv-1,{ZH_SIMPLIFIED}\ncsv-2,\ncsv-3,Tencent rose 2%.\n".encode("gbk"),
            [
                Expected("24_gbk.csv#0", text_has=ZH_SIMPLIFIED, article_id="csv-1"),
                Expected("24_gbk.csv#1", error="no text field", article_id="csv-2"),
                Expected("24_gbk.csv#2", text_has="Tencent rose 2%.", article_id="csv-3"),
            ],
        ),
        ("25_same_text_a.txt", b"Nikkei rose 2% on Tuesday.", [Expected("25_same_text_a.txt")]),
        (
            "26_same_text_b.txt",
            b"Nikkei rose 2% on Tuesday.",
            [Expected("26_same_text_b.txt", error="duplicate article_id")],
        ),
        (
            "27_odd_numbers.txt",
            b"Stocks rose NaN% and 1e400% while the index fell inf% to 99,999,999,999,999,999,999.99; "
            b"Tencent rose 3/0% and HK$1e309 billion flowed in, about ~-% and 1,2,3,4%.",
            [Expected("27_odd_numbers.txt", text_has="Stocks rose NaN%")],
        ),
        (
            "28_bom.txt",
            codecs.BOM_UTF8 + (GOOD + " (BOM)").encode(),
            [Expected("28_bom.txt", text_has="Stocks rise in Hong Kong")],
        ),
        (
            "29_only_noise.txt",
            "Share\nAdvertisement\n\U0001f525\nRead more\n".encode(),
            [Expected("29_only_noise.txt", error="empty")],
        ),
    ]
    expected: list[Expected] = []
    for name, data, outcomes in sorted(files, key=lambda item: item[0]):
        (folder / name).write_bytes(data)
        expected.extend(outcomes)
    return expected
