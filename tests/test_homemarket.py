""""The index" of a market report: the market its sentence or the article names (home_markets.yaml)."""

import pytest

from pipeline.components.homemarket import load_home_markets, parse_home_markets
from pipeline.readers import RawArticle


@pytest.fixture(scope="module")
def markets():
    return load_home_markets()


@pytest.mark.parametrize(
    "phrase,generic",
    [
        ("index", True),
        ("composite index", True),
        ("market average", True),
        ("225-share average", True),
        ("key stock index", True),
        ("consumer price index", False),
        ("first section index", False),
        ("hang seng index", False),
    ],
)
def test_homemarket_generic_phrases(markets, phrase, generic):
    assert markets.is_generic(phrase) is generic


@pytest.mark.parametrize(
    "text,subject",
    [
        ("TOKYO STOCKS CLOSE HIGHER. Tokyo stocks rose on Japanese buying.", "Nikkei 225"),
        ("SEOUL SHARES PLUNGE. South Korean shares fell in Seoul.", "Kospi"),
        ("Canadian stocks rose in Toronto, led by golds.", "Toronto Stock Exchange 300 Composite Index"),
        ("Stocks rose.", None),  # no place named
        ("Tokyo rose, Seoul fell.", None),  # no market ahead of the others
    ],
)
def test_homemarket_of_article(markets, text, subject):
    found = markets.of_article(text)
    assert (found.subject if found else None) == subject


@pytest.mark.parametrize(
    "sentence,subject",
    [
        ("In Vancouver, ", "Vancouver Stock Exchange Index"),
        ("In Tokyo, ", "Nikkei 225"),
        ("Shares fell in Tokyo and Seoul. ", None),
        ("Tokyo's ", "Nikkei 225"),
        ("Japan's ", "Nikkei 225"),
        ("In Germany, ", "DAX"),
        ("The index was firm in Tokyo trade and ", None),
        ("Elsewhere, ", None),
    ],
)
def test_homemarket_of_sentence(markets, sentence, subject):
    found = markets.of_sentence(sentence)
    assert (found.subject if found else None) == subject


@pytest.mark.parametrize(
    "data,message",
    [
        ({"markets": [{"subject": "X", "sentence": "a"}]}, "lacks"),
        (
            {"generic_index": "index", "markets": [{"subject": "X", "sentence": "(", "article": "a"}]},
            "bad regex",
        ),
        ({"markets": []}, "generic_index"),
    ],
)
def test_homemarket_config_errors_are_clear(data, message):
    with pytest.raises(ValueError, match=message):
        parse_home_markets(data)


@pytest.mark.parametrize(
    "text,index,ticker,level",
    [
        (
            "SEOUL SHARES FALL\n\nKorean stocks fell sharply in Seoul today. "
            "The composite index closed at 383.48 with declines leading advances.",
            "Kospi",
            "^KS11",
            383.48,
        ),
        (
            "TOKYO STOCKS CLOSE AT RECORD\n\nTokyo stocks rose on Japanese institutional buying. "
            "The market average climbed 198.54 to 22,784.65, a record closing high.",
            "Nikkei 225",
            "^N225",
            22784.65,
        ),
        (
            "CANADA STOCKS HIGHER\n\nToronto stocks rose in active trading in Canada. "
            "In Vancouver, the index rose 8.6 points to 1882.6.",
            "Vancouver Stock Exchange Index",
            None,
            1882.6,
        ),
        # a country right before the index phrase names the market, one per clause
        (
            "GULF AND ASIA CLOSE\n\nSaudi Arabia's benchmark index gained 0.8% to 11,954.2 points, "
            "while Japan's main index fell 1.1% to 38,100.5.",
            "Nikkei 225",
            "^N225",
            38100.5,
        ),
        (
            "EUROPE CLOSE\n\nIn Germany, the benchmark index slipped 0.6% to 18,250.3.",
            "DAX",
            None,
            18250.3,
        ),
        # an index named before wins over the home market
        (
            "TOKYO STOCKS\n\nTokyo stocks rose. The Topix rose 8.76 to 1,942.07. The index was firm "
            "in Tokyo trade and the index closed at 1,943.5.",
            "Topix",
            None,
            1943.5,
        ),
    ],
)
def test_homemarket_levels_of_unnamed_indices(extractor, text, index, ticker, level):
    [processed] = extractor.process([RawArticle(text, "t")])
    levels = [r for r in processed.records if r.type == "index_level" and r.level == level]
    assert [(r.index, r.ticker) for r in levels] == [(index, ticker)]


@pytest.mark.parametrize(
    "text",
    [
        "Japan's index of leading economic indicators rose 0.5% in March.",
        "In Japan, the index of industrial production fell 1.2% in May.",
        "TOKYO STOCKS\n\nTokyo stocks rose. The index of industrial output fell 2.1% to 98.4.",
    ],
)
def test_homemarket_index_of_an_economic_figure_is_no_market(extractor, text):
    [processed] = extractor.process([RawArticle(text, "t")])
    assert [r for r in processed.records if r.type in ("price_move", "index_level")] == []
