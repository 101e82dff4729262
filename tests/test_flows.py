import pytest

from pipeline.hits import get_hits


def _flows(nlp, text):
    doc = nlp(text)
    return [h.fields for h in get_hits(doc) if h.type == "money_flow"]


@pytest.mark.parametrize(
    "text, channel, direction, amount, currency, approx",
    [
        (
            "Yet southern flows recorded net purchases of over HK$900 million on the day.",
            "southbound",
            "net_buy",
            900_000_000.0,
            "HKD",
            "over",
        ),
        (
            "Mainland investors were net buyers of HK$6.2 billion of Hong Kong shares via Stock Connect.",
            "southbound",
            "net_buy",
            6_200_000_000.0,
            "HKD",
            "exact",
        ),
        (
            "Northbound investors net bought 5.8 billion yuan of A-shares.",
            "northbound",
            "net_buy",
            5_800_000_000.0,
            "CNY",
            "exact",
        ),
        (
            "Investors poured US$310 million into the KraneShares CSI China Internet ETF last week.",
            "etf",
            "inflow",
            310_000_000.0,
            "USD",
            "exact",
        ),
        (
            "Hedge funds net sold about $2.4 billion of US technology shares last week.",
            "hedge_funds",
            "net_sell",
            2_400_000_000.0,
            "USD",
            "about",
        ),
        (
            "Foreign investors were net sellers of 412 billion won of Korean shares.",
            "foreign",
            "net_sell",
            412_000_000_000.0,
            "KRW",
            "exact",
        ),
        (
            "Overseas investors sold shares worth 727.08 billion yen.",
            "foreign",
            "outflow",
            727_080_000_000.0,
            "JPY",
            "exact",
        ),
        (
            "Traders rushed to withdraw $6 billion from the platform in just 72 hours.",
            "other",
            "outflow",
            6_000_000_000.0,
            "USD",
            "exact",
        ),
        (
            "Onshore ETFs tracking the CSI 300 took in net inflows of 3.1 billion yuan this week.",
            "etf",
            "inflow",
            3_100_000_000.0,
            "CNY",
            "exact",
        ),
        (
            "Funds saw net outflows of 500 mln dlrs.",
            "other",
            "outflow",
            500_000_000.0,
            "USD",
            "exact",
        ),
        # the singular "dlr" before the flow noun
        (
            "Direct investment recorded a turnaround to a 1.04 billion dlr inflow in the fourth quarter.",
            "other",
            "inflow",
            1_040_000_000.0,
            "USD",
            "exact",
        ),
        (
            "Mainland investors snapped up HK$10 billion worth of Hong Kong shares via Stock Connect.",
            "southbound",
            "inflow",
            10_000_000_000.0,
            "HKD",
            "exact",
        ),
        (
            "The KraneShares CSI China Internet ETF (KWEB) pulled in US$265 million over the week.",
            "etf",
            "inflow",
            265_000_000.0,
            "USD",
            "exact",
        ),
        (
            "The iShares China Large-Cap ETF (FXI) bled US$140 million in the same five days.",
            "etf",
            "outflow",
            140_000_000.0,
            "USD",
            "exact",
        ),
        # a trade verb with its amount marked net is a net trade, however far apart
        (
            "FPIs bought shares worth a net Rs 2,348.60 crore on Thursday.",
            "foreign",
            "net_buy",
            23_486_000_000.0,
            "INR",
            "exact",
        ),
        (
            "Foreign portfolio investors have pulled out a net Rs 12,450 crore from Indian equities.",
            "foreign",
            "outflow",
            124_500_000_000.0,
            "INR",
            "exact",
        ),
        # "net" before the channel word still marks a net purchase; "exceed" is a lower bound
        (
            "Net southbound purchases so far this year now exceed HK$1.1 trillion.",
            "southbound",
            "net_buy",
            1_100_000_000_000.0,
            "HKD",
            "over",
        ),
        # "a net" after any selling verb is a net sale
        (
            "Overseas investors dumped a net 300 billion yen of Japanese stocks.",
            "foreign",
            "net_sell",
            300_000_000_000.0,
            "JPY",
            "exact",
        ),
    ],
)
def test_flows_channel_direction_amount(nlp, text, channel, direction, amount, currency, approx):
    [flow] = _flows(nlp, text)
    assert (flow["channel"], flow["direction"], flow["amount"], flow["currency"], flow["approx"]) == (
        channel,
        direction,
        amount,
        currency,
        approx,
    )


@pytest.mark.parametrize(
    "text, subject, period",
    [
        (
            "Investors poured US$310 million into the KraneShares CSI China Internet ETF last week.",
            "KraneShares CSI China Internet ETF",
            "last week",
        ),
        (
            "Mainland investors were net buyers of HK$6.2 billion of Hong Kong shares.",
            "Hong Kong stock market",
            None,
        ),
        ("Northbound investors net bought 5.8 billion yuan of A-shares this year.", "A-shares", "this year"),
        ("Southern flows recorded net purchases of over HK$900 million on the day.", None, None),
    ],
)
def test_flows_subject_and_period(nlp, text, subject, period):
    [flow] = _flows(nlp, text)
    assert (flow["subject"], flow["period"]) == (subject, period)


def test_flows_channel_from_paragraph_lead_in(nlp):
    text = (
        "On February 18 alone, there was an influx of HKD 22.623 billion from southern capital. "
        "This year has already seen a total net inflow of HKD 185.584 billion, with HKD 125.592 billion "
        "of that coming in January alone."
    )
    flows = _flows(nlp, text)
    assert [(f["channel"], f["amount"], f["period"]) for f in flows] == [
        ("southbound", 22_623_000_000.0, None),
        ("southbound", 185_584_000_000.0, "This year"),
        ("southbound", 125_592_000_000.0, "in January alone"),
    ]


def test_flows_respectively_gives_one_subject_per_amount(nlp):
    text = (
        "Over just a month, the top companies drawing southern capital include Tencent, Alibaba and Xiaomi, "
        "with capital increases of HKD 112.74 billion, HKD 48.28 billion and HKD 39.73 billion, respectively."
    )
    flows = _flows(nlp, text)
    assert [(f["subject"], f["amount"]) for f in flows] == [
        ("Tencent Holdings", 112_740_000_000.0),
        ("Alibaba Group", 48_280_000_000.0),
        ("Xiaomi Group", 39_730_000_000.0),
    ]


def test_flows_conversion_in_brackets_is_not_a_second_flow(nlp):
    text = "Foreign investors were net buyers of 412 billion won ($301 million) of Korean shares."
    assert [f["amount"] for f in _flows(nlp, text)] == [412_000_000_000.0]


@pytest.mark.parametrize(
    "text",
    [
        "Hedge funds have driven an increase in total market capitalization exceeding USD 1.3 trillion.",
        "Midea Group said it would buy a 20pc stake in a robotics maker for 2.1 billion yuan.",
        "Turnover on the two exchanges topped 1.5 trillion yuan for the first time in a month.",
        "Net borrowings remained the major part of total inflow, accounting for 6.16 billion dlrs.",
        # a forecast flow did not happen
        "According to Huatai Securities, southbound inflows could top HK$1.4 trillion this year.",
        "The company raised HK$5 billion in its IPO, and investors bought the shares eagerly.",
        "The bank extended a loan of US$2 billion to the developer.",
        "Shareholders will vote on a dividend of US$0.10 per share.",
        "The number of shares sold short rose to 15.176 million shares.",
        "Hong Kong assets saw outflows as traders rotated portfolios.",
        "The deal is valued at US$4.5 billion.",
        "Meituan slid 2.2 per cent to HK$129.30.",
        "The company sold 500 million dlrs of bonds to fund its expansion.",
        "Tencent issued US$2 billion of bonds on Monday.",
    ],
)
def test_flows_not_money_flows(nlp, text):
    assert _flows(nlp, text) == []


def test_flows_investors_buying_bonds_is_a_flow(nlp):
    doc = nlp("Foreigners bought a net four billion marks of German bonds in February.")
    flows = [
        (h.fields["direction"], h.fields["amount"], h.fields["currency"])
        for h in get_hits(doc)
        if h.type == "money_flow"
    ]
    assert flows == [("net_buy", 4e9, "DEM")]


def test_flows_two_channels_in_one_sentence_each_amount_its_own(nlp):
    text = (
        "Foreign investors offloaded a net 1.9 trillion dong of Vietnamese shares this week, "
        "while the VanEck Vietnam ETF drew about US$35 million."
    )
    assert [(f["channel"], f["currency"]) for f in _flows(nlp, text)] == [("foreign", "VND"), ("etf", "USD")]


@pytest.mark.parametrize(
    "text, amounts",
    [
        ("Kweichow Moutai drew the largest net purchases, at 1.21 billion yuan.", [1_210_000_000.0]),
        (
            "Over the week, Tencent (HK$6.1 billion) and Alibaba (HK$4.4 billion) drew the heaviest "
            "southbound net buying.",
            [6_100_000_000.0, 4_400_000_000.0],
        ),
    ],
)
def test_flows_net_cue_in_the_clause_beats_its_plain_verb(nlp, text, amounts):
    flows = _flows(nlp, text)
    assert [f["amount"] for f in flows] == amounts
    assert {f["direction"] for f in flows} == {"net_buy"}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Matsushita finished 1.5 pct higher at 2,390 yen on buying by foreign investors.", []),
        (
            "Astra International rose 2.2 pct to 9,275 rupiah, but foreign funds were net sellers of about "
            "12 billion rupiah, brokers estimated.",
            [("net_sell", 12e9, "IDR")],
        ),
        ("Southbound net buying rose to HK$2.3 billion.", [("net_buy", 2.3e9, "HKD")]),
    ],
)
def test_flows_a_share_price_after_to_or_at_is_no_flow(nlp, text, expected):
    doc = nlp(text)
    flows = [h.fields for h in get_hits(doc) if h.type == "money_flow"]
    assert [(f["direction"], f["amount"], f["currency"]) for f in flows] == expected


def test_flows_a_paragraph_naming_one_dollar_market_means_its_dollar(nlp):
    text = (
        "SYDNEY - Brokers said overseas investors were net buyers of about 60 mln dlrs of Australian shares.\n\n"
        "WELLINGTON - Dealers said overseas funds sold a net 25 mln NZ dlrs of New Zealand shares.\n\n"
        "NEW YORK - Foreign investors sold a net 40 mln dlrs of stocks."
    )
    assert [(f["amount"], f["currency"]) for f in _flows(nlp, text)] == [
        (60e6, "AUD"),
        (25e6, "NZD"),
        (40e6, "USD"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # investors a channel does not name are channel "other", even after a channel's clause
        (
            "Foreign investors sold a net 1.18 trillion won ($812 million) of KOSPI shares, while individuals "
            "soaked up a net 964.2 billion won.",
            [("foreign", "net_sell", 1.18e12), ("other", "net_buy", 964.2e9)],
        ),
        (
            "FIIs sold equities worth a net ₹4,862.37 crore on Thursday, while DIIs bought shares worth "
            "₹5,120.40 crore.",
            [("foreign", "net_sell", 48_623_700_000.0), ("other", "inflow", 51_204_000_000.0)],
        ),
        # a margin balance is a stock of loans, not a flow
        (
            "Margin traders made net purchases of 6.9 billion yuan on Tuesday, lifting the outstanding "
            "margin-financing balance on the two bourses to 2.41 trillion yuan.",
            [("other", "net_buy", 6.9e9)],
        ),
    ],
)
def test_flows_the_doer_of_each_clause_names_its_channel(nlp, text, expected):
    assert [(f["channel"], f["direction"], f["amount"]) for f in _flows(nlp, text)] == expected


def test_flows_net_subscriptions_are_an_inflow_and_redemptions_an_outflow(nlp):
    text = (
        "ETFs tracking the CSI 300 recorded net subscriptions of 5.62 billion yuan on Wednesday, while ETFs "
        "tracking the ChiNext Index saw net redemptions of about 730 million yuan."
    )
    assert [(f["direction"], f["amount"]) for f in _flows(nlp, text)] == [
        ("inflow", 5.62e9),
        ("outflow", 730e6),
    ]


def test_flows_funds_that_shed_money_are_an_outflow(nlp):
    text = (
        "European equity funds took in $3.1 billion in the week, a ninth straight week of inflows, "
        "while US equity funds shed $4.6 billion over the same week."
    )
    assert [(f["direction"], f["amount"]) for f in _flows(nlp, text)] == [
        ("inflow", 3_100_000_000.0),
        ("outflow", 4_600_000_000.0),
    ]


def test_flows_wire_hong_kong_dollars_written_with_points(nlp):
    text = "Dealers said overseas investors were net sellers of about 280 mln H.K. dlrs of Hong Kong shares."
    assert [(f["channel"], f["direction"], f["amount"], f["currency"]) for f in _flows(nlp, text)] == [
        ("foreign", "net_sell", 280_000_000.0, "HKD")
    ]


def test_flows_net_after_the_amount_and_a_domestic_doer(nlp):
    # the foreign selling belongs to the joined clause, not to the buyers
    text = (
        "Domestic institutional investors bought 5,103.27 crore rupees net and have absorbed all of the "
        "foreign selling this month."
    )
    assert [(f["channel"], f["direction"]) for f in _flows(nlp, text)] == [("other", "net_buy")]


def test_flows_a_running_total_takes_the_cue_hung_on_its_verb(nlp):
    text = (
        "Foreign investors sold a net 1.84 trillion rupiah of Indonesian shares on the day, bringing their "
        "net outflow since the start of August to 9.6 trillion rupiah."
    )
    assert [f["direction"] for f in _flows(nlp, text)] == ["net_sell", "outflow"]


def test_flows_etfs_that_have_drawn_money_took_an_inflow(nlp):
    text = "ETFs tracking the CSI 300 as a group have drawn more than 26 billion yuan over the past three sessions."
    assert [(f["channel"], f["direction"], f["amount"]) for f in _flows(nlp, text)] == [
        ("etf", "inflow", 26_000_000_000.0)
    ]


def test_flows_wire_new_zealand_dollars_written_with_points(nlp):
    text = "Overseas investors were net sellers of about 20 mln N.Z. dlrs of local shares."
    assert [(f["currency"], f["amount"]) for f in _flows(nlp, text)] == [("NZD", 20_000_000.0)]


def test_flows_what_the_money_was_for_does_not_unmake_the_flow(nlp):
    flows = _flows(nlp, "Pension funds sold a net 22 billion yen of Japanese shares to book profits.")
    assert [(f["channel"], f["direction"], f["amount"]) for f in flows] == [("other", "net_sell", 22e9)]


def test_flows_trusts_after_a_foreign_clause_are_other_investors(nlp):
    text = "Foreigners bought a net 31 billion yen, while investment trusts sold a net 9 billion yen."
    assert [(f["channel"], f["direction"]) for f in _flows(nlp, text)] == [
        ("foreign", "net_buy"),
        ("other", "net_sell"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Retail investors put HK$800 million into the Tracker Fund last week.", [("inflow", 800e6)]),
        ("Insurers have put more than Rs 4,100 crore into the market this month.", [("inflow", 41e9)]),
        # "put" moves no money without an "into" object
        ("Investors put HK$800 million of bets on the index falling.", []),
    ],
)
def test_flows_money_put_into_a_fund_or_market_is_an_inflow(nlp, text, expected):
    assert [(f["direction"], f["amount"]) for f in _flows(nlp, text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a fund the gazetteer knows is an ETF channel however it is written
        ("SPDR Gold Shares (GLD) absorbed $410 million on Tuesday.", [("etf", "inflow", 410e6)]),
        ("Domestic institutions have ploughed Rs 3,200 crore into the market this month.", [("other", "inflow", 32e9)]),
    ],
)
def test_flows_named_funds_and_ploughed_money(nlp, text, expected):
    assert [(f["channel"], f["direction"], f["amount"]) for f in _flows(nlp, text)] == expected
