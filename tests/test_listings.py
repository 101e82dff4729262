"""Dual-listed companies take the listing their sentence or article implies (listings.yaml)."""

import pytest

from pipeline.hits import Hit
from pipeline.listings import choose_listings, load_rules, parse_rules, venue_of


def _move(text: str, name: str, ticker: str) -> Hit:
    start = text.index(name)
    return Hit("price_move", start, start + len(name), {"subject": name, "ticker": ticker}, "test")


def _sentence_of(text: str):
    """Sentence bounds by full stops, as `choose_listings` asks for them."""

    def bounds(start: int, end: int) -> tuple[int, int]:
        lo = text.rfind(". ", 0, start)
        hi = text.find(". ", end)
        return (0 if lo < 0 else lo + 2), (len(text) if hi < 0 else hi + 1)

    return bounds


@pytest.mark.parametrize(
    "ticker,venue",
    [
        ("9988.HK", "HK"),
        ("300750.SZ", "CN"),
        ("601899.SS", "CN"),
        ("2330.TW", "TW"),
        ("BABA", "US"),
        ("^HSI", None),
    ],
)
def test_listings_venue_of(ticker, venue):
    assert venue_of(ticker) == venue


@pytest.mark.parametrize(
    "text,name,default,expected",
    [
        # the sentence names the venue
        ("US-listed Chinese stocks rallied: Alibaba jumped 5.1%.", "Alibaba", "9988.HK", "BABA"),
        ("Alibaba's American depositary shares rose 2%.", "Alibaba", "9988.HK", "BABA"),
        ("Moutai fell to 1,452.00 yuan while CATL was flat.", "CATL", "3750.HK", "300750.SZ"),
        ("CATL's A-shares slipped 1%.", "CATL", "3750.HK", "300750.SZ"),
        ("TSMC's US-listed shares gained 3%.", "TSMC", "2330.TW", "TSM"),
        # the article covers one market
        (
            "Wall Street closed higher. The Nasdaq rose 1%. Baidu climbed 4%.",
            "Baidu",
            "9888.HK",
            "BIDU",
        ),
        (
            "The Shanghai Composite rose 0.4% and the CSI 300 gained 0.6%. Zijin Mining added 2%.",
            "Zijin Mining",
            "2899.HK",
            "601899.SS",
        ),
        (
            "The Shanghai Composite rose 0.4% and the CSI 300 gained 0.6%. Shandong Gold Mining added 4.5%.",
            "Shandong Gold Mining",
            "1787.HK",
            "600547.SS",
        ),
        # a Hong Kong report keeps the Hong Kong line, even when Wall Street is mentioned once
        (
            "The Hang Seng Index rose 1.2% in Hong Kong after a lead from Wall Street. Alibaba gained 3%.",
            "Alibaba",
            "9988.HK",
            "9988.HK",
        ),
        # no hint: the default stays
        ("Alibaba gained 3%.", "Alibaba", "9988.HK", "9988.HK"),
        # a sentence that names two venues decides nothing
        ("Alibaba rose 3% in Hong Kong and its ADRs gained 2%.", "Alibaba", "9988.HK", "9988.HK"),
        # the venue has no listing of that company: the default stays
        ("US-listed shares of Tencent rose 1%.", "Tencent", "0700.HK", "0700.HK"),
        # "billion yuan" is an amount, not a share price
        ("CATL raised 4.6 billion yuan in a placement.", "CATL", "3750.HK", "3750.HK"),
    ],
)
def test_listings_choose_by_context(text, name, default, expected):
    hit = _move(text, name, default)
    (chosen,) = choose_listings(text, [hit], _sentence_of(text))
    assert chosen.fields["ticker"] == expected
    assert chosen.fields["subject"] == name
    assert (chosen.start, chosen.end) == (hit.start, hit.end)


def test_listings_leave_other_hits_alone():
    text = "US-listed Chinese stocks rallied: Alibaba jumped 5.1%."
    other = Hit("mention", 0, 2, {"ticker": "^HSI"}, "test")
    no_ticker = Hit("money_flow", 3, 9, {"amount": 1.0}, "test")
    assert choose_listings(text, [other, no_ticker], _sentence_of(text)) == [other, no_ticker]


@pytest.mark.parametrize(
    "data,message",
    [
        ({"listings": {"9988.HK": {"US": "9988.HK"}}}, "not a US ticker"),
        ({"sentence_cues": {"US": ["(unclosed"]}}, "sentence_cues.US: bad regex"),
        ({"article_cues": {"HK": ["[a-"]}}, "article_cues.HK: bad regex"),
    ],
)
def test_listings_config_errors_are_clear(data, message):
    with pytest.raises(ValueError, match=message):
        parse_rules(data)


def test_listings_shipped_config_points_to_other_venues():
    rules = load_rules()
    assert rules.listings["9988.HK"]["US"] == "BABA"
    for ticker, others in rules.listings.items():
        assert venue_of(ticker) not in others, ticker


def test_listings_records_of_a_run_carry_the_implied_listing(extractor):
    from pipeline.readers import RawArticle

    text = (
        "US-listed Chinese stocks rallied: Alibaba jumped 5.1% and JD.com rose 2.9%.\n\n"
        "In Hong Kong, Alibaba gained 3.2%."
    )
    [processed] = extractor.process([RawArticle(text, "t")])
    moves = [(r.text.split()[-2], r.ticker) for r in processed.records if r.type == "price_move"]
    assert moves == [("jumped", "BABA"), ("rose", "JD"), ("gained", "9988.HK")]
    mentions = {(r.start, r.ticker) for r in processed.records if r.type == "mention"}
    assert (text.index("Alibaba"), "BABA") in mentions
    assert (text.rindex("Alibaba"), "9988.HK") in mentions


@pytest.mark.parametrize(
    "sentence,ticker,expected",
    [
        ("CATL (300750 CH) +1.8%", "3750.HK", "300750.SZ"),
        ("CATL (3750 HK) +1.8%", "3750.HK", "3750.HK"),
        ("KE Holdings (2423.HK) fell 3.3%", "2423.HK", "2423.HK"),
        ("Alibaba (BABA US) rose 2% in premarket trade", "9988.HK", "BABA"),
        ("Alibaba rose 2%", "9988.HK", None),  # no code: context decides
        ("Alibaba (9988 HK) and its ADR (BABA US) both rose", "9988.HK", None),  # two codes: no choice
    ],
)
def test_listings_a_bracketed_code_names_the_listing(sentence, ticker, expected):
    assert load_rules().coded_listing(ticker, sentence) == expected


def test_listings_a_code_counts_only_next_to_its_hit():
    text = "Alibaba (BABA US) rose 2%. In Hong Kong, Alibaba fell 1%."
    first, second = text.index("Alibaba"), text.rindex("Alibaba")
    hits = [
        Hit("price_move", first, first + 25, {"ticker": "9988.HK"}, "t"),
        Hit("price_move", second, second + 15, {"ticker": "9988.HK"}, "t"),
    ]
    sentences = {first: (0, 26), second: (27, len(text))}
    chosen = choose_listings(text, hits, lambda start, end: sentences[start])
    assert [h.fields["ticker"] for h in chosen] == ["BABA", "9988.HK"]
