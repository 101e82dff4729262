import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.numbers import (
    Percent,
    find_amounts,
    find_basis_points,
    find_percents,
    parse_amount,
    parse_level,
    parse_number,
    parse_percent,
    parse_qualifier,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3.51%", Percent(3.51)),
        ("3.51 per cent", Percent(3.51)),
        ("3.51 percent", Percent(3.51)),
        ("3.5pc", Percent(3.5)),
        ("3.5 pct", Percent(3.5)),
        ("0.22 %", Percent(0.22)),
        ("1-1/2 pct", Percent(1.5)),
        ("3/4 pct", Percent(0.75)),
        ("4\u20136%", Percent(4.0, 6.0)),
        ("4-6%", Percent(4.0, 6.0)),
        ("4%-6%", Percent(4.0, 6.0)),
        ("5 to 6 per cent", Percent(5.0, 6.0)),
        ("about 4\u20136%", Percent(4.0, 6.0, "about")),
        ("~4\u20136%", Percent(4.0, 6.0, "about")),
        ("between 4 and 6 per cent", Percent(4.0, 6.0)),
        ("between about 4\u20136%", Percent(4.0, 6.0, "about")),
        ("nearly 3%", Percent(3.0, None, "under")),
        ("almost 3%", Percent(3.0, None, "under")),
        ("close to 6%", Percent(6.0, None, "under")),
        ("more than 2 per cent", Percent(2.0, None, "over")),
        ("over 33%", Percent(33.0, None, "over")),
        ("in excess of 3%", Percent(3.0, None, "over")),
        ("around 7%", Percent(7.0, None, "about")),
        ("roughly 5%", Percent(5.0, None, "about")),
        ("some 5 pct", Percent(5.0, None, "about")),
        ("as much as 6%", Percent(6.0, None, "up_to")),
        ("up to 6%", Percent(6.0, None, "up_to")),
        ("two per cent", Percent(2.0)),
        ("half a per cent", Percent(0.5)),
        ("roughly two per cent", Percent(2.0, None, "about")),
        ("between two and three pct", Percent(2.0, 3.0)),
    ],
)
def test_numbers_parse_percent_spellings(text, expected):
    assert parse_percent(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "3 and 4%", "%", "3.5", "HK$3.5", "12 points", None, 3.5, ["3%"]]
)
def test_numbers_parse_percent_returns_none_on_odd_input(text):
    assert parse_percent(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("HK$900 million", (900_000_000.0, "HKD")),
        ("HKD 22.623 billion", (22_623_000_000.0, "HKD")),
        ("US$470m", (470_000_000.0, "USD")),
        ("USD 1.2bn", (1_200_000_000.0, "USD")),
        ("RMB 9.43 trillion", (9_430_000_000_000.0, "CNY")),
        ("5 billion yuan", (5_000_000_000.0, "CNY")),
        ("1.2 billion dlrs", (1_200_000_000.0, "USD")),
        ("500 mln dlrs", (500_000_000.0, "USD")),
        ("2.5 billion yen", (2_500_000_000.0, "JPY")),
        ("50 mln stg", (50_000_000.0, "GBP")),
        ("300 mln Canadian dlrs", (300_000_000.0, "CAD")),
        ("$5bn", (5_000_000_000.0, "USD")),
        ("HK$129.30", (129.3, "HKD")),
        ("over HK$900 million", (900_000_000.0, "HKD")),
        ("\u20ac2 billion", (2_000_000_000.0, "EUR")),
        ("two billion dlrs", (2_000_000_000.0, "USD")),
        ("259.4 million pesos", (259_400_000.0, "PHP")),
        # South Asian scales and rupee signs
        ("Rs 2,348.60 crore", (23_486_000_000.0, "INR")),
        ("₹1,106.25 crore", (11_062_500_000.0, "INR")),
        ("₹1.2 lakh crore", (1_200_000_000_000.0, "INR")),
        ("Rs. 45 lakh", (4_500_000.0, "INR")),
        ("KRW 1.2 trillion", (1_200_000_000_000.0, "KRW")),
        # emerging-market currencies
        ("1.9 trillion dong", (1_900_000_000_000.0, "VND")),
        ("1.42 billion riyals", (1_420_000_000.0, "SAR")),
        ("612.4 million Egyptian pounds", (612_400_000.0, "EGP")),
        ("R$ 2.1 billion", (2_100_000_000.0, "BRL")),
        ("5 billion Mexican pesos", (5_000_000_000.0, "MXN")),
    ],
)
def test_numbers_parse_amount_currencies_and_scales(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text", ["", "900 million", "15.176 million shares", "3.5%", "million dollars", "HK$", None, 7]
)
def test_numbers_parse_amount_returns_none_without_currency_or_number(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["Hang Seng Tech Index Soars 3.12% as chips rally", "rs 300 of them"])
def test_numbers_currency_code_inside_a_word_is_no_currency(text):
    assert [m for m in find_amounts(text) if m.currency] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("22,579.05", 22579.05),
        ("3346.72", 3346.72),
        ("24,383.32", 24383.32),
        ("2,405.54 points", 2405.54),
        ("39149", 39149.0),
    ],
)
def test_numbers_parse_level_thousands_separators(text, expected):
    assert parse_level(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "12,5", "1,2345.6", "level", "HK$22,579", "3%", None])
def test_numbers_parse_level_returns_none_on_odd_input(text):
    assert parse_level(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("nearly", "under"),
        ("almost", "under"),
        ("close to", "under"),
        ("More than", "over"),
        ("over", "over"),
        ("in excess of", "over"),
        ("around", "about"),
        ("about", "about"),
        ("roughly", "about"),
        ("~", "about"),
        ("some", "about"),
        ("as much as", "up_to"),
        ("up to", "up_to"),
        ("nearly 3%", "under"),
        ("rose", None),
        ("", None),
        ("overall", None),
        (None, None),
    ],
)
def test_numbers_parse_qualifier_cues(text, expected):
    assert parse_qualifier(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tencent rose 3% and Alibaba 4.5 pct", [(3.0, None), (4.5, None)]),
        ("rates went from 5% to 6%", [(5.0, None), (6.0, None)]),
        ("names advanced between about 4\u20136% on Monday", [(4.0, 6.0)]),
        ("no numbers here", []),
    ],
)
def test_numbers_find_percents_offsets(text, expected):
    found = find_percents(text)
    assert [(m.value, m.high) for m in found] == expected
    for match in found:
        assert text[match.start : match.end].strip() == text[match.start : match.end]


def test_numbers_find_amounts_skips_share_counts():
    text = "net purchases of over HK$900 million, and 15.176 million shares sold short"
    [amount] = find_amounts(text)
    assert text[amount.start : amount.end] == "over HK$900 million"
    assert (amount.value, amount.currency, amount.approx) == (900_000_000.0, "HKD", "over")


@pytest.mark.parametrize("text, expected", [("gained 50 basis points", 0.5), ("fell 25 bps", 0.25)])
def test_numbers_find_basis_points_as_percent(text, expected):
    [match] = find_basis_points(text)
    assert match.value == pytest.approx(expected)


@given(st.text(max_size=60))
def test_numbers_parsers_never_raise(text):
    parse_percent(text)
    parse_amount(text)
    parse_level(text)
    parse_qualifier(text)
    parse_number(text)
    find_percents(text)
    find_amounts(text)


def test_numbers_dash_after_a_space_is_a_sign_not_a_range():
    [match] = find_percents("Nasdaq Composite 17,590.33 -0.18%")
    assert (match.value, match.high) == (0.18, None)
