import pytest

from pipeline.offices import load_offices, parse_offices


@pytest.mark.parametrize(
    "phrase, institution",
    [
        ("Treasury Secretary James Baker", "U.S. Treasury"),
        ("Japanese Finance Minister Kiichi Miyazawa", "Japan Finance Ministry"),
        ("West German Finance Minister Gerhard Stoltenberg", "West Germany Finance Ministry"),
        ("British Chancellor of the Exchequer Nigel Lawson", "UK Treasury"),
        ("Federal Reserve Board Chairman Alan Greenspan", "Federal Reserve"),
        ("Japanese Prime Minister Yasuhiro Nakasone", "Japan Government"),
        ("Japan\u2019s Finance Minister Kiichi Miyazawa", "Japan Finance Ministry"),
        ("Fed Chair Jerome Powell", "Federal Reserve"),
        # a U.S. title after another country is not the U.S. office
        ("Hong Kong Commerce Secretary Algernon Yau", None),
        # no country named: the office alone does not say whose ministry it is
        ("Prime Minister Yasuhiro Nakasone", None),
        ("Jane Doe, an analyst at Goldman Sachs", None),
    ],
)
def test_offices_name_the_institution_of_their_holder(phrase, institution):
    assert load_offices().institution(phrase) == institution


def test_offices_malformed_entry_is_a_clear_error():
    with pytest.raises(ValueError, match="pattern and institution"):
        parse_offices({"offices": [{"pattern": "finance minister"}]})


def test_offices_holder_speaks_for_the_institution(nlp):
    from tests.test_views import views

    text = "Treasury Secretary James Baker said the stock market has rebounded and the economy is strong."
    assert views(nlp, text) == [("U.S. Treasury", "James Baker", "bullish")]
