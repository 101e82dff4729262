"""Moves and levels that did not happen (modals, conditions, forecasts) give no record."""

import pytest

from pipeline.readers import RawArticle


def _moves_and_levels(extractor, text):
    [processed] = extractor.process([RawArticle(text, "t")])
    return [r for r in processed.records if r.type in ("price_move", "index_level")]


@pytest.mark.parametrize(
    "text",
    [
        "Tokyo stocks fell. They don't care if the market falls to 24,000, the broker said.",
        "Analysts said the Nikkei could rally a further 15 to 20 per cent this year.",
        "If the Nikkei drops to 20,000, buyers will step in.",
        "The Nikkei 225 will probably end the downturn at around 22,300 points, brokers predicted.",
        "The Hang Seng Index is expected to rise 2% next week.",
        "The Hang Seng Index is likely to test 25,000 by the end of the year.",
        "Analysts at Citi expect the Hang Seng to reach 28,000 by year-end.",
        "Tencent might gain 5% and reach HK$500 if results beat forecasts.",
        "Hong Kong chip stocks may face a further correction of 10% to 15% if the curbs are confirmed.",
    ],
)
def test_mood_unreal_moves_give_no_record(extractor, text):
    assert _moves_and_levels(extractor, text) == []


@pytest.mark.parametrize(
    "text,count",
    [
        ("The Hang Seng Index rose 1.2% to 22,579.05.", 2),
        ("Brokers said the Nikkei fell 2.1% as exporters slid.", 1),
        ("The Hang Seng Index could not hold its gains and closed 0.4% lower at 22,346.72.", 2),
        ("Tencent continued to rise, gaining 3% on the day.", 1),
    ],
)
def test_mood_stated_moves_are_kept(extractor, text, count):
    assert len(_moves_and_levels(extractor, text)) == count
