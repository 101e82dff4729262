import pytest

from pipeline.hits import get_hits
from pipeline.localdollar import local_dollars, parse_local_dollars
from pipeline.numbers import find_amounts


@pytest.mark.parametrize(
    "text, dollar",
    [
        ("Sydney share prices rose. Australian banks led the market.", "AUD"),
        ("Toronto stocks fell as Canadian miners slid.", "CAD"),
        ("Hong Kong shares rose; Hong Kong banks gained.", "HKD"),
        ("Wall Street rose as U.S. banks gained.", "USD"),
        ("Tokyo stocks fell.", "USD"),  # no dollar market leads: the U.S. dollar
        ("Sydney rose, while Wall Street and U.S. banks fell in New York trade.", "USD"),
    ],
)
def test_local_dollar_of_article(text, dollar):
    assert local_dollars().of_article(text) == dollar


def test_local_dollar_table_rejects_incomplete_market():
    with pytest.raises(ValueError, match="currency"):
        parse_local_dollars({"markets": [{"article": "Sydney"}]})


@pytest.mark.parametrize(
    "text, bare",
    [
        ("500 mln dlrs", True),
        ("two billion dollars", True),
        ("500 mln U.S. dlrs", False),
        ("500 mln Canadian dlrs", False),
        ("US$500 million", False),
        ("HK$900 million", False),
    ],
)
def test_amounts_mark_bare_dollar_words(text, bare):
    [amount] = find_amounts(text)
    assert amount.bare_dollar is bare


def test_flows_read_bare_dollars_as_the_articles_dollar(nlp):
    doc = nlp(
        "In Toronto, foreigners bought a net 23.1 billion dlrs of Canadian stocks in 1986, Canadian "
        "officials said. They bought a net 2 billion U.S. dlrs of Canadian stocks in January."
    )
    flows = [(h.fields["amount"], h.fields["currency"]) for h in get_hits(doc) if h.type == "money_flow"]
    assert flows == [(23.1e9, "CAD"), (2e9, "USD")]
