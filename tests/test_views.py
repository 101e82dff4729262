import pytest

from pipeline.dedupe import dedupe_hits
from pipeline.hits import get_hits
from pipeline.institutions import short_name


def views(nlp, text):
    doc = nlp(text)
    hits = [h for h in dedupe_hits(get_hits(doc)) if h.type == "analyst_view"]
    for hit in hits:
        assert 0 <= hit.start < hit.end <= len(doc.text)
        assert hit.extractor.startswith("fin_views:")
        assert set(hit.fields) == {"institution", "analyst", "stance", "target", "claim"}
    return [(h.fields["institution"], h.fields["analyst"], h.fields["stance"]) for h in hits]


@pytest.mark.parametrize(
    "text, expected",
    [
        # subject + reporting verb
        (
            "CICC suggests a mid-term bottom may be forming despite current drops.",
            [("CICC", None, "bullish")],
        ),
        # according to X's title, Name, ...
        (
            "According to UBS's head of China Internet research, Fang Jincong, while a short-term correction may "
            "occur, there remains substantial upward potential overall.",
            [("UBS", "Fang Jincong", "mixed")],
        ),
        # three institutions, three views
        (
            "Financial giants such as Goldman Sachs, BlackRock, and UBS are all advocating for a bullish outlook "
            "on Chinese tech assets.",
            [("Goldman Sachs", None, "bullish"), ("BlackRock", None, "bullish"), ("UBS", None, "bullish")],
        ),
        # ..., said Name, title at Institution
        (
            '"The rally has further to run," said Castor Pang, head of research at Core Pacific-Yamaichi.',
            [("Core Pacific-Yamaichi", "Castor Pang", "bullish")],
        ),
        # a research report from X suggests
        (
            "A research report from CSC Financial (China Securities) suggests that the market is stabilizing.",
            [("CSC Financial", None, "bullish")],
        ),
        # an analyst from a withheld institution
        (
            "An analyst from a foreign TMT institution predicts that Hang Seng Tech shares will be overbought "
            "within weeks.",
            [("unnamed", None, "bearish")],
        ),
        # in an analysis by X's Name
        (
            "In an analysis by SPI Asset Management's Steven Innes, tariff risks can be mitigated and Chinese AI "
            "stocks should benefit from the boom.",
            [("SPI Asset Management", "Steven Innes", "bullish")],
        ),
        # Name, Chief ... Analyst at Institution, said
        (
            "Kohei Oonishi, Chief Investment Strategy Analyst at Mitsubishi UFJ Morgan Stanley Securities, said "
            "the tariff uncertainty caused overseas investors to exercise caution regarding Japanese stocks.",
            [("Mitsubishi UFJ Morgan Stanley Securities", "Kohei Oonishi", "bearish")],
        ),
        # Reuters 1987: said Name, an analyst with X
        (
            "Pacific Gas fell 2-1/8 to 22.\nThe company is not likely to increase its dividend for three years, "
            "said Mark Luftig, an analyst at Salomon Brothers Inc.",
            [("Salomon Brothers", "Mark Luftig", "bearish")],
        ),
        # Reuters 1987: X analyst Name said
        (
            '"The stock is undervalued at these levels," said Morgan Stanley analyst Walter Loeb.',
            [("Morgan Stanley", "Walter Loeb", "bullish")],
        ),
        # rating action with a firm the lists do not know
        (
            'Piper Sandler upgraded the stock to "overweight" from "neutral", saying it is grossly undervalued.',
            [("Piper Sandler", None, "bullish")],
        ),
        # coordinated unknown firms after a title
        (
            "Strategists at Halbrook Partners, Crestline Securities and Marlow & Finch all raised their year-end "
            "S&P 500 targets this month.",
            [
                ("Halbrook Partners", None, "bullish"),
                ("Crestline Securities", None, "bullish"),
                ("Marlow & Finch", None, "bullish"),
            ],
        ),
        # the firm after "a broker at", whatever the parser hangs it on
        (
            '"Shares of domestic-demand companies are a good bet," said a broker at Kestrel Securities Co Ltd.',
            [("Kestrel Securities", None, "bullish")],
        ),
        # Name, of Firm said / Name of Firm said (a firm named after people, tagged as people)
        (
            '"The market is undervalued and should rally further," Janet Ruiz, of Whitcombe Hart and Co said.',
            [("Whitcombe Hart", "Janet Ruiz", "bullish")],
        ),
        (
            '"The market is undervalued and should rally further," Tom Barlow of Pruett and Singer said.',
            [("Pruett and Singer", "Tom Barlow", "bullish")],
        ),
        # "CLAIM, brokers X said." (a firm noun before the name; the parser reads "brokers" as a verb)
        (
            "The climate for precious metals is improving with prices benefiting from renewed inflation "
            "fears, brokers Harwood Lyle and Co Ltd said.",
            [("Harwood Lyle", None, "bullish")],
        ),
        # an expectation about an index is a view; a level it is expected to reach is an upside call
        (
            "Analysts at Citi expect the Hang Seng to reach 28,000 by year-end.",
            [("Citi", None, "bullish")],
        ),
        # a person named after "from" stays the analyst
        (
            "According to comments from Jane Doe, chief strategist at Goldman Sachs, stocks will rally.",
            [("Goldman Sachs", "Jane Doe", "bullish")],
        ),
        # the rating left behind does not count
        ("JPMorgan downgraded Li Auto to neutral from overweight.", [("JPMorgan", None, "bearish")]),
        # a person set off after the firm is not a second firm
        (
            '"Until trade disputes are settled, the market will stay low," said head of equities at '
            "Kestrel Fleming Securities Co, Maria Lopez.",
            [("Kestrel Fleming Securities", "Maria Lopez", "bearish")],
        ),
        # "according to" an unknown firm, also one the NER takes for a person
        (
            "According to Ridgecrest Partners, market leadership is likely to rotate to consumer names "
            "and the rally will broaden.",
            [("Ridgecrest Partners", None, "bullish")],
        ),
        (
            "According to Tianfu Grand Capital, the pullback offers a chance to buy consumer leaders.",
            [("Tianfu Grand Capital", None, "bullish")],
        ),
        # the NER takes "of" into the name
        (
            '"Chip names will keep rallying," said Declan Yiu of Tidewater Asset Management.',
            [("Tidewater Asset Management", "Declan Yiu", "bullish")],
        ),
        # a stance stated as a state of the source
        ("UBS is bullish on Chinese equities.", [("UBS", None, "bullish")]),
        ("UBS is not bullish on Chinese equities.", [("UBS", None, "bearish")]),
        ("UBS is no longer bullish on Chinese equities.", [("UBS", None, "bearish")]),
        (
            "Analysts at Morgan Stanley were more cautious about the rally.",
            [("Morgan Stanley", None, "bearish")],
        ),
        ("Citi turned positive on Chinese internet stocks last week.", [("Citi", None, "bullish")]),
        # a source introduced by a stance, continued by a pronoun
        (
            "Wu Tingting, chief strategist at Beiyuan Securities, was more cautious. She said the new trading "
            "rules could weigh on small-cap liquidity for months.",
            [("Beiyuan Securities", "Wu Tingting", "bearish")],
        ),
        # the parser may leave the first word of a firm's name out of the subject
        (
            "Haitong International's Kelvin Ho told clients that the rebound in Hong Kong stocks has further "
            "to run.\n\nCITIC Securities remains cautious on new-consumption names such as Pop Mart and "
            "Laopu Gold, saying their valuations still assume years of rapid growth.",
            [("Haitong International", "Kelvin Ho", "bullish"), ("CITIC Securities", None, "bearish")],
        ),
        # valuation and relief wording
        (
            "Jefferies said valuations of Chinese banks remained undemanding.",
            [("Jefferies", None, "bullish")],
        ),
        (
            "Morningstar analyst Ivan Su said the stock was trading well below its fair value.",
            [("Morningstar", "Ivan Su", "bullish")],
        ),
        (
            '"The worst is behind us," said Ben Li, a fund manager at Fidelity International.',
            [("Fidelity", "Ben Li", "bullish")],
        ),
        # comparative and measured stances, a rating action in a participle clause
        ("Goldman Sachs strategists were more measured.", [("Goldman Sachs", None, "neutral")]),
        ("Daiwa Capital Markets was gloomier on developers.", [("Daiwa", None, "bearish")]),
        (
            "UBS took a dimmer view, downgrading China Merchants Bank to Neutral from Buy.",
            [("UBS", None, "bearish")],
        ),
        # two rating actions on two stocks are two views
        (
            "Yuanta Securities cut its target price on Largan Precision, citing slower camera upgrades, but "
            "upgraded Delta Electronics to buy.",
            [("Yuanta Securities", None, "bearish"), ("Yuanta Securities", None, "bullish")],
        ),
        # a view whose words look like a trade ("placed") is still a view
        (
            "Capital Economics said in a research note that the FTSE 100's heavy weighting towards energy "
            "leaves it poorly placed if commodity prices keep sliding.",
            [("Capital Economics", None, "bearish")],
        ),
    ],
)
def test_views_attribution_forms(nlp, text, expected):
    assert views(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # data citation
        "More than HKD 13 billion has flowed into Hong Kong stocks since January 24, according to statistics "
        "from CITIC Securities.",
        "Northbound investors net bought 5.8 billion yuan, according to Wind statistics, the most since March.",
        # news outlet as source
        "According to South China Morning Post (SCMP), the tariff delay eased concerns and boosted sentiment.",
        "Reuters reported that the index is poised to rally further.",
        # unattributed speakers
        "Analysts say the region's chip rally could fade if US technology shares stumble.",
        "Experts in the field assert that AI will significantly enhance profit margins for Chinese tech stocks.",
        "Some major financial institutions remain optimistic about the medium-term outlook.",
        "Market analysts note that the AI narrative is evolving.",
        # a bank cited for a flow observation
        "Goldman Sachs' latest research suggests that there has been substantial buying activity among global "
        "hedge funds targeting Chinese equities this year.",
        # a company spokesman on its own affairs
        "A Moulinex spokesman said the report had caused the stock to fall.",
        # a stance of investors or of a company about itself is no analyst view
        "Investors were cautious ahead of the data.",
        "Tencent was upbeat about its games pipeline.",
        # a public body on its own conduct is policy, not a view of the market
        "Federal Reserve Governor Helen Markwick said the central bank was in no hurry to lower borrowing "
        "costs further and would not let swings in the stock market alter its course.",
        "The CSRC also said it would step up on-site inspections of listed companies suspected of inflating "
        "revenue.",
        # an officer of a company outside finance on its own business
        "Acme Motors chairman John Carver was more upbeat about the company's outlook than a year ago.",
        # a figure is no speaker
        "Earnings at Goldman Sachs were negative in the fourth quarter.",
    ],
)
def test_views_non_views(nlp, text):
    assert views(nlp, text) == []


def test_views_editorial_box_is_not_a_view(nlp):
    text = "Stocks rose.\nEditor's Desk\nGoldman Sachs expects the rally to continue, in our view.\n"
    assert views(nlp, text) == []


def test_views_quote_over_sentences_is_one_view(nlp):
    text = (
        '"The rebound is led by earnings, not just hope. We think the index can retest 25,000 before the '
        'end of the quarter," said Vivian Lo, head of research at Kestrel Securities.'
    )
    assert views(nlp, text) == [("Kestrel Securities", "Vivian Lo", "bullish")]


def test_views_person_carries_institution_to_later_mentions(nlp):
    text = (
        "Mark Luftig, an analyst at Salomon Brothers Inc, said the stock is overvalued.\n"
        "Luftig said investors have been disappointed."
    )
    assert views(nlp, text) == [("Salomon Brothers", "Mark Luftig", "bearish")]


def test_views_short_firm_with_surname_is_the_remembered_analyst(nlp):
    text = (
        "Herbert Fritschi, director of Zurich Cantonal Bank's research department, said the sell-off "
        "was overdone.\n"
        "Stocks fell across Europe.\n"
        "Cantonal Bank's Fritschi said: \"I'm relatively optimistic about the market.\""
    )
    found = views(nlp, text)
    assert {inst for inst, _, _ in found} == {"Zurich Cantonal Bank"}
    assert all(analyst == "Herbert Fritschi" for _, analyst, _ in found)


@pytest.mark.parametrize(
    "text, firm",
    [
        (
            '"Australian shares should rally further," National Australia Bank Ltd economist Brian Hamley said.',
            "National Australia Bank",
        ),
        ('"Stocks look cheap," Lloyds Bank NZA Ltd chief economist Will Buttrose said.', "Lloyds Bank NZA"),
    ],
)
def test_views_capitalised_bank_in_a_name_before_the_title_is_the_firm(nlp, text, firm):
    assert [inst for inst, _, _ in views(nlp, text)] == [firm]


def test_views_according_to_an_unlisted_broker_on_a_sell_off(nlp):
    text = "The sell-off is overdone, according to Vincent Ng of KGI Asia."
    assert views(nlp, text) == [("KGI Asia", "Vincent Ng", "bullish")]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "- Kenji Arakawa, Japan equity strategist at Nomura: exporters look cheap again after the yen's slide.",
            [("Nomura", "Kenji Arakawa", "bullish")],
        ),
        (
            "CICC: Medium-term trend intact, but beware of short-term correction risk",
            [("CICC", None, "mixed")],
        ),
        # a colon after a name that is no financial source, or no source at all, is no view
        ("Tencent: shares rose 3% after results.", []),
        ("Nikkei 225: 39,880.10, -0.6%", []),
    ],
)
def test_views_speaker_then_colon_then_claim(nlp, text, expected):
    assert views(nlp, text) == expected


def test_views_heading_is_first_statement(nlp):
    text = (
        "China Securities Analysts Predict a Market Bottom\n"
        "A research report from CSC Financial (China Securities) suggests that the market is stabilizing."
    )
    assert views(nlp, text) == [("CSC Financial", None, "bullish")]


@pytest.mark.parametrize(
    "surface, expected",
    [
        ("Salomon Brothers Inc", "Salomon Brothers"),
        ("<ABK Spa>", "ABK"),
        ("the Sutro Group Ltd.", "Sutro Group"),
        ("Jardine Fleming (Securities) Ltd", "Jardine Fleming"),
    ],
)
def test_views_short_name(surface, expected):
    assert short_name(surface, ["inc", "spa", "ltd", "ltd."]) == expected


@pytest.mark.parametrize(
    "text",
    ["Shares rose, according to", "According to", "In an analysis by", "said Mark Luftig, an analyst at"],
)
def test_views_truncated_attribution_does_not_crash(nlp, text):
    assert views(nlp, text) == []


def test_views_later_statement_of_the_same_analyst_is_a_view_of_its_own(nlp):
    text = (
        "Jane Doe, chief strategist at Goldman Sachs, said the rally in tech stocks has further to run. "
        "Tencent rose 2%. Alibaba gained 3%. Meituan added 1%. "
        "Doe said property developers face a sharp correction."
    )
    assert views(nlp, text) == [
        ("Goldman Sachs", "Jane Doe", "bullish"),
        ("Goldman Sachs", "Jane Doe", "bearish"),
    ]


def test_views_neutral_call_with_a_risk_word_stays_neutral(nlp):
    # a volatility warning outweighed by a neutral weighting is a neutral view, not a tie of sides
    text = (
        "Shenhai Research expects volatility to persist until the scope of the US measures is clear and "
        "recommends a neutral weighting in A-shares."
    )
    assert views(nlp, text) == [("Shenhai Research", None, "neutral")]


def test_views_range_forecast_stays_neutral_whatever_follows(nlp):
    # an explicit no-direction call is not overridden by the paragraph's next sentences
    text = (
        "Haitong International expects the Hang Seng Index to trade between 23,800 and 25,500 for the rest "
        "of the year. Property shares slumped and the interbank rate climbed."
    )
    assert views(nlp, text) == [("Haitong International", None, "neutral")]


def test_views_asset_manager_keeps_its_own_name_and_overdone_selloff_is_bullish(nlp):
    text = (
        '"The selloff in European cyclicals looks overdone, so we would be buyers on weakness," said '
        "Helena Marsh, global market strategist at J.P. Morgan Asset Management."
    )
    assert [(v[0], v[2]) for v in views(nlp, text)] == [("J.P. Morgan Asset Management", "bullish")]


def test_views_an_officials_market_assessment_is_still_a_view(nlp):
    text = (
        "Japanese Finance Minister Kiichi Miyazawa said the Tokyo stock market should not be gravely "
        "affected by the downturn in New York."
    )
    assert [(v[0], v[1]) for v in views(nlp, text)] == [("Japan Finance Ministry", "Kiichi Miyazawa")]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Bear case: Bank of America's Asia strategist Rui Fonseca says the rally has run ahead of "
            "profits.",
            ("Bank of America", "bearish"),
        ),
        (
            'Hong Kong stocks rose.\n\nBear: "This rally is running on liquidity, not earnings," said '
            "Ho Ka-wing, head of Asia equity strategy at Bauhinia Research.",
            ("Bauhinia Research", "bearish"),
        ),
        ("Bull case: Morgan Stanley said the sell-off had gone too far.", ("Morgan Stanley", "bullish")),
    ],
)
def test_views_a_stance_label_opening_the_line_decides_the_stance(nlp, text, expected):
    assert [(inst, stance) for inst, _, stance in views(nlp, text)] == [expected]


def test_views_the_rating_left_behind_is_no_source(nlp):
    text = "Morgan Stanley upgraded Chinese equities to Overweight from Equal-weight on Thursday."
    assert [(inst, stance) for inst, _, stance in views(nlp, text)] == [("Morgan Stanley", "bullish")]


def test_views_a_cap_on_the_rebound_is_the_bearish_side(nlp):
    text = (
        "Nigel Ashdown, strategist at Baring Securities, said the market was oversold after the slide, "
        "but warned that higher U.S. rates would cap any rebound."
    )
    assert [stance for _, _, stance in views(nlp, text)] == ["mixed"]


def test_views_a_firm_name_opening_with_a_determiner_keeps_it(nlp):
    text = (
        '"The funds will keep switching out of equities into T-bills," said Ramon Castillo, research '
        "head at All Asia Capital."
    )
    assert [inst for inst, _, _ in views(nlp, text)] == ["All Asia Capital"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Thomas Reardon of PaineWebber Inc was unconvinced.", ("PaineWebber", "bearish")),
        (
            "Analyst Sandra Holt of Morgan Stanley was less upbeat on the broader market.",
            ("Morgan Stanley", "bearish"),
        ),
        ("Analysts at UBS took a dimmer view of Chinese banks.", ("UBS", "bearish")),
        (
            "Linda Castellano of Smith Barney said her firm removed Occidental from its buy list.",
            ("Smith Barney", "bearish"),
        ),
        (
            "County NatWest said in a note to clients that the market looked fully valued.",
            ("County NatWest", "bearish"),
        ),
    ],
)
def test_views_wire_stance_wordings(nlp, text, expected):
    assert [(inst, stance) for inst, _, stance in views(nlp, text)] == [expected]


def test_views_a_surname_read_as_a_firm_is_the_analyst_named_before(nlp):
    text = (
        '"Chevron has more leverage to that than any of the majors," said Eleanor Markham, who follows '
        "the oil industry for Prudential-Bache Securities. Markham raised her 1989 earnings estimate for "
        "the company."
    )
    assert {inst for inst, _, _ in views(nlp, text)} == {"Prudential-Bache"}


def test_views_a_relative_clause_after_the_named_firm_is_no_part_of_the_source(nlp):
    # the clause's "data" would otherwise make the whole source a data citation
    text = (
        '"This is a holding pattern, not a pivot," said Vincent Leung, chief China economist at Macquarie, '
        "who expects the yuan to trade in a narrow range until policymakers see third-quarter data."
    )
    assert views(nlp, text) == [("Macquarie", "Vincent Leung", "neutral")]


def test_views_a_firm_name_after_a_heading_line_stays_one_name(nlp):
    # the parser would start a sentence at "Economics" and lose the speaker
    text = "The bears\n\nCapital Economics expects the index to weaken further by the end of the year.\n"
    assert views(nlp, text) == [("Capital Economics", None, "bearish")]


def test_views_a_rating_participle_after_a_rating_action_is_a_view_of_its_own(nlp):
    text = (
        "HSBC Global Research cut mainland consumer stocks to underweight, arguing that price wars are still "
        "eating into margins, while keeping its overweight call on Hong Kong-listed insurers."
    )
    assert views(nlp, text) == [("HSBC", None, "bearish"), ("HSBC", None, "bullish")]


def test_views_a_rating_verb_the_parse_joins_to_another_clause_keeps_its_rater(nlp):
    # the parse joins "lowered" to "was": Nvidia is the rated stock, not a speaker
    text = (
        "Nvidia was flat at $181.90 even as Citi kept its buy rating on the chipmaker but lowered its price "
        "target to $210 from $225."
    )
    assert views(nlp, text) == [("Citi", None, "mixed")]


def test_views_bullet_lines_under_a_lead_in_are_one_view_each(nlp):
    text = (
        "HSBC's house views on China sectors, updated on Friday:\n"
        "- Overweight: internet platforms and online services\n"
        "- Overweight: Hong Kong-listed insurers, on improving new-business value\n"
        "- Underweight: mainland property developers\n"
    )
    doc = nlp(text)
    hits = [h for h in dedupe_hits(get_hits(doc)) if h.type == "analyst_view"]
    found = [(h.fields["institution"], h.fields["stance"], h.fields["target"]) for h in hits]
    assert found == [
        ("HSBC", "bullish", "internet platforms and online services"),
        ("HSBC", "bullish", "Hong Kong-listed insurers"),
        ("HSBC", "bearish", "mainland property developers"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a kept rating and a cut target of one stock are one view with both sides
        (
            "Daiwa kept Anta Sports at Buy but cut its target price to HK$112 from HK$125.",
            [("Daiwa", None, "mixed")],
        ),
        # the source of "according to" ends at the comma after its apposition
        (
            "According to Nomura's chief China economist, Helen Zhao Ruoxi, the yuan is likely to weaken "
            "as US tariffs weigh on exports.",
            [("Nomura", "Helen Zhao Ruoxi", "bearish")],
        ),
        # an explicit neutral call is not overturned by the reason that follows it
        (
            "Peter Marcus of PaineWebber is neutral on the group although he said the earnings outlook "
            "is improved.",
            [("PaineWebber", "Peter Marcus", "neutral")],
        ),
        (
            "Drexel Burnham Lambert analyst Robert Feeney removed the stock from the firm's recommended list.",
            [("Drexel Burnham Lambert", "Robert Feeney", "bearish")],
        ),
        # "added 0.8%" is a move, not a speaker
        ("DBS Group rose 1.2% and Oversea-Chinese Banking Corp added 0.8% to S$17.62.", []),
    ],
)
def test_views_ratings_sources_and_calls_in_wire_wording(nlp, text, expected):
    assert views(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # "Name of Firm" where NER reads the person as an organisation and the firm is unlisted
        (
            "Sandra Holt of Burns Fry Ltd was less upbeat on the broader market.",
            [("Burns Fry", None, "bearish")],
        ),
        # a first name the tagger takes for a noun; a view taken
        (
            "Alain Mercier of Cholet-Dupont took a cautious view.",
            [("Cholet-Dupont", "Alain Mercier", "bearish")],
        ),
        # the firm in a fronted "At X," phrase
        (
            "At Hambrecht and Quist, semiconductor analyst Robert Kaminski was more cautious.",
            [("Hambrecht and Quist", "Robert Kaminski", "bearish")],
        ),
        # the object of a title's "at" is a firm even where NER reads a person
        (
            "Carla Nunez, a senior investment strategist at Charles Schwab, told Bloomberg Television that "
            "the advance had become dangerously narrow while the average stock goes nowhere.",
            [("Charles Schwab", "Carla Nunez", "bearish")],
        ),
        # a rating verb the lemmatizer misreads ("rated" -> "rat")
        (
            "Vickers da Costa, in a note to clients, rated the market a hold.",
            [("Vickers da Costa", None, "neutral")],
        ),
        # an organisation and a colon: the verb after the colon is inside the claim
        (
            "Guosen Securities: The market is expected to fluctuate upward.",
            [("Guosen Securities", None, "bullish")],
        ),
        # comparative stances and advice
        (
            "Thomas Farrell, a drug analyst at Salomon Brothers Inc, is less enthusiastic.",
            [("Salomon Brothers", "Thomas Farrell", "bearish")],
        ),
        (
            "Goldman Sachs was less convinced, telling clients that the lira's bounce looked technical.",
            [("Goldman Sachs", None, "bearish")],
        ),
        (
            "Graham Keogh of Potter Partners said he was advising clients to take profits in the smaller "
            "gold producers.",
            [("Potter Partners", "Graham Keogh", "bearish")],
        ),
        # an executive on the company's own business is no view
        (
            "At Gold Fields of South Africa, executive director Andrew Pretorius said the group had started "
            "milling lower-grade ore and expected output to rise about 5 pct.",
            [],
        ),
    ],
)
def test_views_wire_sources_named_around_the_speaker(nlp, text, expected):
    assert views(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a kept rating and a lowered target on the same stock: one mixed view
        (
            "Morgan Stanley kept its overweight rating on SK Hynix but lowered its target price to 820,000 won "
            "from 900,000 won, citing the risk that the review delays upgrades at the company's plant.",
            [("Morgan Stanley", None, "mixed")],
        ),
        (
            "Motilal Oswal retained 'buy' on Reliance Industries but trimmed its target to Rs 1,640 from "
            "Rs 1,720, as weaker refining margins offset the value it sees in the telecom listing.",
            [("Motilal Oswal", None, "mixed")],
        ),
        # a quoted rating word
        (
            "Jefferies kept its 'buy' rating on HDFC Bank with a target of Rs 1,250.",
            [("Jefferies", None, "bullish")],
        ),
        # "and kept his rating" after a reported clause is the analyst's, not the company's
        (
            "Citi analyst Jason Park said BHP looked fairly valued at current iron ore prices and kept his "
            "neutral rating on the stock.",
            [("Citi", "Jason Park", "neutral")],
        ),
        (
            "At Berenberg, analyst Sophie Lindqvist said the sell-off in HSBC looked overdone and kept her buy "
            "rating, though she cut her price target to 1,050 pence from 1,120 pence.",
            [("Berenberg", "Sophie Lindqvist", "mixed")],
        ),
        # a name that speaks through its review; two ratings with two targets are two views
        (
            "Wood Mackenzie said in its monthly review that it had raised oil shares to overweight and cut its "
            "weighting in stores, where it expects Christmas sales to disappoint.",
            [("Wood Mackenzie", None, "bullish"), ("Wood Mackenzie", None, "bearish")],
        ),
        # a list of calls split by semicolons: one view per call
        (
            "Morgan Stanley's Asia strategy team now sits at: overweight China internet; underweight "
            "mainland developers; equal-weight Hong Kong banks.",
            [
                ("Morgan Stanley", None, "bullish"),
                ("Morgan Stanley", None, "bearish"),
                ("Morgan Stanley", None, "neutral"),
            ],
        ),
        # valuation wordings and wire idioms
        (
            "Deutsche Bank strategist Anja Vogel took a cautious view, warning that with the STOXX 600 trading "
            "at 15.8 times forward earnings there was little room for disappointment.",
            [("Deutsche Bank", "Anja Vogel", "bearish")],
        ),
        (
            '"The market is tired," said Robert Haskell of Kidder Peabody.',
            [("Kidder Peabody", "Robert Haskell", "bearish")],
        ),
        (
            "\"We're looking for a test of the lows, and if that holds I'd be a buyer,\" said Linda Ferrante, "
            "a technical analyst at Drexel Burnham Lambert.",
            [("Drexel Burnham Lambert", "Linda Ferrante", "mixed")],
        ),
        (
            "Tessa Kowalski, resources analyst at Morgans, advised clients to take profits in gold producers, "
            "arguing that rising labour and diesel costs would squeeze margins.",
            [("Morgans", "Tessa Kowalski", "bearish")],
        ),
    ],
)
def test_views_rating_calls_and_their_targets(nlp, text, expected):
    assert views(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a note struck is a view taken
        (
            "Kamco Invest struck a more cautious note, saying valuations looked full.",
            [("Kamco Invest", None, "bearish")],
        ),
        # a downgrade "at" a house names the house
        (
            "Rivian dropped 4.7% to $12.85 following a downgrade to underweight from equal weight at Barclays.",
            [("Barclays", None, "bearish")],
        ),
        # a rating word in a clause below the verb is no rating action ("keeps beating forecasts")
        (
            '"As long as AI spending keeps beating forecasts, it\'s very hard to fight this rally," said Vanessa Loh, '
            "head of Asia macro strategy at Standard Chartered in Singapore.",
            [("Standard Chartered", "Vanessa Loh", "bullish")],
        ),
        # a colon-headed call with a level to reach
        (
            "- XP Investimentos: the Bovespa can reach 155,000 points by year-end.",
            [("XP Investimentos", None, "bullish")],
        ),
        # gains wiped out are no gains; not adding is the bearish side
        (
            '"The levy is a reminder that Argentine policy can wipe out a month of gains in an afternoon. We would not '
            'add to the banks until Congress has voted," said Martin Lagos, a portfolio manager at Santander Asset '
            "Management in Buenos Aires.",
            [("Santander Asset Management", "Martin Lagos", "bearish")],
        ),
        # waiting on the sidelines takes no side
        (
            "Schroders' Priya Raman said she would prefer to stay on the sidelines in US equities until the path of "
            "Federal Reserve policy becomes clearer.",
            [("Schroders", "Priya Raman", "neutral")],
        ),
    ],
)
def test_views_notes_struck_house_downgrades_and_calls(nlp, text, expected):
    assert views(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nomura moved JD.com to neutral from buy, warning on margins.", [("Nomura", None, "bearish")]),
        (
            "CMB International started Kuaishou at buy with an HK$85 target.",
            [("CMB International", None, "bullish")],
        ),
        (
            "Citi downgraded Barrick Mining to sector perform after the stock's rally.",
            [("Citi", None, "bearish")],
        ),
    ],
)
def test_views_ratings_moved_started_and_cut_to_sector_perform(nlp, text, expected):
    assert views(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a person whose name is withheld speaks for an unnamed institution
        (
            "A Shanghai-based hedge fund manager, who declined to be named, expected the index to trade "
            "between 3,850 and 3,980 points next week.",
            [("unnamed", None, "neutral")],
        ),
        # a camp joined is a stance stated
        (
            "Winnie Tsoi, a portfolio manager at Value Partners, was firmly in the bullish camp.",
            [("Value Partners", "Winnie Tsoi", "bullish")],
        ),
        # a known firm the tagger read as a common noun still takes a view
        ("Morgans took a more cautious line on the banks.", [("Morgans", None, "bearish")]),
        # the name before "'s" and a title is the firm, not a person
        (
            "Forsyth Barr's head of equities, Tom McAllister, said New Zealand shares should keep grinding higher.",
            [("Forsyth Barr", "Tom McAllister", "bullish")],
        ),
    ],
)
def test_views_withheld_names_camps_firms_read_as_nouns_and_possessive_firms(nlp, text, expected):
    assert views(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a rating kept and a target cut in one sentence is one mixed call, however many clauses
        (
            "Nomura kept its buy rating on Geely but cut its target to HK$20 from HK$24, citing price cuts "
            "at home, which it said would squeeze margins.",
            [("Nomura", None, "mixed")],
        ),
        # "its strategists" speak for the house named before them
        (
            "UBS kept its overweight rating on Chinese equities, but its strategists wrote that the CSI 300 "
            "would probably stall near 4,300.",
            [("UBS", None, "mixed")],
        ),
    ],
)
def test_views_a_kept_rating_with_a_cut_or_a_stall_is_mixed(nlp, text, expected):
    assert views(nlp, text) == expected


def test_views_firm_names_joined_by_en_or_und_stay_whole(nlp):
    text = (
        '"Prices have run ahead of earnings and the rally looks stretched," said Pieter Vos, an analyst '
        "with CLN Oyens en van Eeghen."
    )
    assert views(nlp, text) == [("CLN Oyens en van Eeghen", "Pieter Vos", "bearish")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a rating noun "by/from" a house is the house's view, however short
        (
            "Shares of Acme Corp rose following a recommendation by Kestrel Securities, traders said.",
            [("Kestrel Securities", None, "bullish")],
        ),
        # a firm whose name is withheld, with the stance of the opinion
        (
            "Brokers said a negative opinion by another brokerage house hurt the stock on Monday.",
            [("unnamed", None, "bearish")],
        ),
    ],
)
def test_views_rating_noun_by_a_house(nlp, text, expected):
    assert views(nlp, text) == expected


def test_views_coordinated_calls_on_two_stocks_are_two_views(nlp):
    text = (
        "Kestrel Securities reiterated a negative opinion on Acme Corp and a buy on Borealis, traders said."
    )
    assert sorted(views(nlp, text)) == [
        ("Kestrel Securities", None, "bearish"),
        ("Kestrel Securities", None, "bullish"),
    ]


def test_views_wire_headline_ending_in_opinion_is_no_editorial_box(nlp):
    text = (
        "ACME CORP UP ON RAISED OPINION\n\n"
        "Kestrel Securities upgraded Acme Corp to buy on stronger orders, traders said.\n"
    )
    assert views(nlp, text) == [("Kestrel Securities", None, "bullish")]


def test_views_analyst_introduced_without_a_view_speaks_later_for_the_firm(nlp):
    text = (
        "Kestrel Securities analyst Mark Rowan was not available for comment. Traders said he raised his "
        "recommendation of Acme Corp to buy on expectations of stronger orders.\n"
    )
    assert views(nlp, text) == [("Kestrel Securities", "Mark Rowan", "bullish")]
