"""Property tests: the cleaner, the decoder, chunking and the number parsers never raise and keep
their promises on any input hypothesis can think of."""

import math
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.cleaning import clean_text, load_rules
from pipeline.decoding import DecodeError, decode_bytes, sanitize_text
from pipeline.extract import split_chunks

numbers = pytest.importorskip("pipeline.numbers")

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of scraped financial news: words, numbers, the characters the cleaner maps, noise lines.
PIECES = [
    "Hang Seng",
    "Tencent",
    "rose",
    "fell",
    "3.5%",
    "HK$900 million",
    "22,579.05",
    "pct",
    "dlrs",
    "Share",
    "Advertisement",
    "Read more",
    "Source: Reuters",
    "REUTER",
    "1Hang Seng",
    "~4-6%",
    "\u00a0",
    "\u202f",
    "\u2009",
    "\u200b",
    "\ufeff",
    "\u00ad",
    "\u2018",
    "\u2019",
    "\u201c",
    "\u201d",
    "\u2212",
    "\u2013",
    "\u2022 ",
    "\U0001f525",
    "\U0001f4c8 ",
    "- ",
    "* ",
    "| ",
    "![img](x.png)",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    ".",
    ",",
    "(",
    ")",
    "\u3000",
    "恒生指数",
    "é",
]
news_text = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=40).map("".join),
)
FORBIDDEN_AFTER_CLEANING = {key for key in load_rules().char_map if len(key) == 1} | {"\r", "\t"}


# --- cleaner -------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(news_text)
@example("\u00a0\u201cShares\u201d rose\u00a0 3%\r\n\r\n\r\nREUTER")
def test_properties_cleaner_never_raises_and_normalises_characters(raw):
    text = clean_text(raw)
    assert isinstance(text, str)
    assert not FORBIDDEN_AFTER_CLEANING & set(text), "NBSP, curly quotes, tabs and CR are mapped"


@PROPERTY_SETTINGS
@given(news_text)
def test_properties_cleaner_output_has_tidy_lines(raw):
    text = clean_text(raw)
    lines = text.split("\n")
    assert all(line == line.strip() for line in lines), "no line starts or ends with whitespace"
    assert "\n\n\n" not in text, "at most one blank line in a row"
    assert text == text.strip(), "no leading or trailing blank lines"
    assert "  " not in text, "runs of spaces are collapsed"


@PROPERTY_SETTINGS
@given(news_text)
@example("\u2022 Share")
def test_properties_cleaner_is_idempotent(raw):
    """Cleaning clean text changes nothing, so re-running finnews on its own output is stable."""
    once = clean_text(raw)
    assert clean_text(once) == once


@PROPERTY_SETTINGS
@given(st.text(max_size=200))
def test_properties_sanitized_text_is_writable_and_stable(raw):
    text = sanitize_text(raw)
    text.encode("utf-8")
    assert sanitize_text(text) == text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]", text)


@PROPERTY_SETTINGS
@given(st.binary(max_size=600))
def test_properties_decoder_returns_text_or_decode_error(data):
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str)


@PROPERTY_SETTINGS
@given(st.text(max_size=300))
def test_properties_utf8_text_decodes_to_itself(text):
    data = text.encode("utf-8", "surrogatepass")
    try:
        decoded = decode_bytes(data)
    except DecodeError:
        return  # NULs or many control characters: refused as binary, by design
    if not data.startswith(b"\xef\xbb\xbf") and "\ud800" > max(text, default=""):
        assert decoded == text


@PROPERTY_SETTINGS
@given(news_text, st.integers(min_value=1, max_value=80))
def test_properties_chunks_cover_the_text_within_the_limit(text, max_chars):
    chunks = split_chunks(text, max_chars)
    assert "".join(chunks) == text
    assert all(len(chunk) <= max_chars for chunk in chunks)
    assert all(chunks[:-1]), "only the last chunk may be empty"


# --- number parsers ------------------------------------------------------------------------------


PARSERS = ("parse_number", "parse_percent", "parse_amount", "parse_level", "parse_qualifier")
FINDERS = ("find_percents", "find_amounts", "find_basis_points")
number_text = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.sampled_from(
            [
                "1",
                "2.5",
                "22,579.05",
                "1-1/2",
                "3/4",
                ".5",
                "%",
                " per cent",
                " pct",
                "bps",
                "HK$",
                "US$",
                "$",
                " million",
                "bn",
                "m",
                " dlrs",
                " yuan",
                "about ",
                "nearly ",
                "between ",
                " and ",
                " to ",
                "-",
                "\u2013",
                "\u2212",
                "\u00a0",
                " ",
                ",",
                ".",
                "/",
                "0",
                "9" * 30,
                "e309",
                "NaN",
                "inf",
            ]
        ),
        max_size=20,
    ).map("".join),
)


@PROPERTY_SETTINGS
@given(number_text)
def test_properties_number_parsers_never_raise(text):
    for name in PARSERS:
        getattr(numbers, name)(text)
    for name in FINDERS:
        for match in getattr(numbers, name)(text):
            assert 0 <= match.start <= match.number_start < match.end <= len(text)
            assert math.isfinite(match.value) or match.value == math.inf


@pytest.mark.parametrize("name", PARSERS + FINDERS)
@pytest.mark.parametrize("value", [None, 3, 2.5, b"3%", ["3%"]])
def test_properties_number_parsers_accept_non_text(name, value):
    assert getattr(numbers, name)(value) in (None, [])


decimals = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@PROPERTY_SETTINGS
@given(decimals)
def test_properties_number_format_parse_round_trip(value):
    for written in (f"{value:,.2f}", f"{value:.2f}", f"{value:,f}"):
        assert numbers.parse_number(written) == pytest.approx(float(value))
        assert numbers.parse_level(written) == pytest.approx(float(value))


@PROPERTY_SETTINGS
@given(
    st.decimals(min_value=0, max_value=500, places=2),
    st.sampled_from(["%", " %", " per cent", " percent", " pct"]),
)
def test_properties_percent_round_trip(value, unit):
    parsed = numbers.parse_percent(f"{value}{unit}")
    assert parsed is not None and parsed.value == pytest.approx(float(value))
    assert parsed.high is None and parsed.approx == "exact"


QUALIFIERS = [
    (phrase, approx)
    for approx, phrases in numbers.load_number_config()["qualifiers"].items()
    for phrase in phrases
]


@PROPERTY_SETTINGS
@given(st.sampled_from(QUALIFIERS), st.decimals(min_value=0, max_value=100, places=1))
def test_properties_qualified_percent_round_trip(qualifier, value):
    phrase, approx = qualifier
    parsed = numbers.parse_percent(f"{phrase} {value}%")
    assert parsed is not None and parsed.approx == approx and parsed.value == pytest.approx(float(value))


@PROPERTY_SETTINGS
@given(st.decimals(min_value=0, max_value=50, places=1), st.decimals(min_value=0, max_value=50, places=1))
def test_properties_percent_range_round_trip(low, extra):
    high = low + extra + 1
    parsed = numbers.parse_percent(f"{low}-{high}%")
    assert parsed is not None
    assert (parsed.value, parsed.high) == (pytest.approx(float(low)), pytest.approx(float(high)))


def _amount_forms():
    config = numbers.load_number_config()
    glued_only = set(config.get("glued_only_scales", []))
    prefixes = config["currency_prefixes"]
    forms = []
    for prefix, currency in prefixes.items():
        for scale, factor in config["scales"].items():
            joiner = "" if scale in glued_only else " "
            forms.append((f"{prefix}{{n}}{joiner}{scale}", float(factor), currency))
    for suffix, currency in config["currency_suffixes"].items():
        forms.append((f"{{n}} million {suffix}", 1e6, currency))
    return forms


@PROPERTY_SETTINGS
@given(st.sampled_from(_amount_forms()), st.decimals(min_value=0, max_value=99_999, places=2))
def test_properties_amount_round_trip(form, value):
    template, factor, currency = form
    parsed = numbers.parse_amount(template.format(n=f"{value:,}"))
    assert parsed is not None
    assert parsed == (pytest.approx(float(value) * factor), currency)


@PROPERTY_SETTINGS
@given(st.decimals(min_value=0, max_value=100, places=2), st.sampled_from(["rose", "fell", "gained"]))
def test_properties_percent_found_in_a_sentence_points_at_its_number(value, verb):
    text = f"The Hang Seng Index {verb} {value}% on Monday, traders said."
    [match] = numbers.find_percents(text)
    assert text[match.number_start : match.end] == f"{value}%"
    assert match.value == pytest.approx(float(value))
