import pytest

from pipeline.readers import RawArticle


def _mentions(extractor, text):
    [item] = extractor.process([RawArticle(text, "test")])
    return [r for r in item.records if r.type == "mention"]


def _tickers(extractor, text):
    return {m.ticker for m in _mentions(extractor, text)}


@pytest.mark.parametrize(
    "text, ticker",
    [
        ("Chifeng Gold gained around 7% on Tuesday.", "6693.HK"),
        ("Tencent Holdings plunged as much as 6% intraday.", "0700.HK"),
        ("Shares of Tencent fell on the news.", "0700.HK"),
        ("Hua Hong plunged over 7% in afternoon trading.", "1347.HK"),
        ("SMIC faced significant selling pressure on Monday.", "0981.HK"),
        ("Alibaba partnered with Apple on artificial intelligence.", "9988.HK"),
        ("Hong Kong's benchmark Hang Seng index closed modestly higher.", "^HSI"),
        ("The Hang Seng Tech Index fell 1.07% on Tuesday.", "^HSTECH"),
        ("The Hang Seng TECH Index rose 0.9% on Friday.", "^HSTECH"),
        ("The Nikkei 225 index in Tokyo fell by 0.79%.", "^N225"),
        ("Taiwan's Taiex index dropped by 1.05%.", "^TWII"),
        ("The Shanghai Composite Index rose by 0.43%.", "000001.SS"),
        ("Net inflows into the KraneShares CSI China Internet ETF (KWEB) hit a record.", "KWEB"),
    ],
)
def test_mentions_resolve_names_to_tickers(extractor, text, ticker):
    assert ticker in _tickers(extractor, text)


@pytest.mark.parametrize(
    "text, canonical_part",
    [
        ("MINIMAX-WP jumped nearly 11% on its debut week.", "MiniMax"),
        ("Zhipu (\u667a\u8c31) climbed more than 8% on Tuesday.", "Zhipu"),
    ],
)
def test_mentions_catch_names_the_stock_model_misses(extractor, text, canonical_part):
    canonicals = {m.canonical for m in _mentions(extractor, text)}
    assert any(canonical_part.casefold() in c.casefold() for c in canonicals)


@pytest.mark.parametrize(
    "text",
    [
        "AI stocks rallied as investors chased the AI trade.",
        "Link the two accounts before the Power outage hits.",
        "China and Hong Kong markets were closed for the holiday.",
    ],
)
def test_mentions_ignore_ambiguous_short_aliases(extractor, text):
    assert _mentions(extractor, text) == []


def test_mentions_gazetteer_overrides_wrong_ner_labels(nlp):
    doc = nlp("Zijin Gold International and Chifeng Gold gained around 7%, and Lingbao Gold climbed 5%.")
    labels = {ent.text: ent.label_ for ent in doc.ents}
    assert labels.get("Chifeng Gold") == "COMPANY"
    assert labels.get("Lingbao Gold") == "COMPANY"


def test_mentions_one_record_per_entity_per_article(extractor):
    text = "Tencent fell 2%. Later, Tencent recovered some ground as Tencent Holdings bought back shares."
    assert [m.ticker for m in _mentions(extractor, text)] == ["0700.HK"]
