import pytest

from pipeline.hits import get_hits


def _records(nlp, text, kind="price_move"):
    doc = nlp(text)
    return [h.fields for h in get_hits(doc) if h.type == kind]


def _moves(nlp, text):
    return [(f["subject"], f["direction"], f["pct"], f["pct_high"], f["approx"]) for f in _records(nlp, text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tencent rose 3.51%.", [("Tencent Holdings", "up", 3.51, None, "exact")]),
        ("Tencent rose 3.51 per cent.", [("Tencent Holdings", "up", 3.51, None, "exact")]),
        ("Tencent rose 3.51 percent.", [("Tencent Holdings", "up", 3.51, None, "exact")]),
        ("Tencent rose 3.5pc.", [("Tencent Holdings", "up", 3.5, None, "exact")]),
        ("Tencent rose 3.5 pct.", [("Tencent Holdings", "up", 3.5, None, "exact")]),
        ("Tencent slipped nearly 3%.", [("Tencent Holdings", "down", 3.0, None, "under")]),
        ("Tencent slipped almost 3%.", [("Tencent Holdings", "down", 3.0, None, "under")]),
        ("Tencent slipped close to 3%.", [("Tencent Holdings", "down", 3.0, None, "under")]),
        ("Kuaishou fell more than 4%.", [("Kuaishou", "down", 4.0, None, "over")]),
        ("Baidu slipped in excess of 3%.", [("Baidu", "down", 3.0, None, "over")]),
        ("Lingbao Gold climbed roughly 5%.", [("Lingbao Gold", "up", 5.0, None, "about")]),
        ("Tencent plunged as much as 6%.", [("Tencent Holdings", "down", 6.0, None, "up_to")]),
        ("BP gained half a per cent.", [("BP", "up", 0.5, None, "exact")]),
        ("Tencent rose between 4 and 6 per cent.", [("Tencent Holdings", "up", 4.0, 6.0, "exact")]),
        ("Tencent rose about 4\u20136%.", [("Tencent Holdings", "up", 4.0, 6.0, "about")]),
    ],
)
def test_moves_number_spellings_and_qualifiers(nlp, text, expected):
    assert _moves(nlp, text) == expected


@pytest.mark.parametrize(
    "text, direction",
    [
        ("Meituan gained 2%.", "up"),
        ("Meituan jumped 2%.", "up"),
        ("Meituan surged 2%.", "up"),
        ("Meituan rallied 2%.", "up"),
        ("Meituan advanced 2%.", "up"),
        ("Meituan added 2%.", "up"),
        ("Meituan climbed 2%.", "up"),
        ("Meituan spiked 2%.", "up"),
        ("Meituan rebounded 2%.", "up"),
        ("Meituan soared 2%.", "up"),
        ("Meituan firmed 2%.", "up"),
        ("Meituan fell 2%.", "down"),
        ("Meituan dropped 2%.", "down"),
        ("Meituan plunged 2%.", "down"),
        ("Meituan slid 2%.", "down"),
        ("Meituan declined 2%.", "down"),
        ("Meituan retreated 2%.", "down"),
        ("Meituan lost 2%.", "down"),
        ("Meituan buckled 2%.", "down"),
        ("Meituan tumbled 2%.", "down"),
        ("Meituan sank 2%.", "down"),
        ("Meituan dipped 2%.", "down"),
        ("Meituan eased 2%.", "down"),
        ("Meituan shed 2%.", "down"),
        ("Meituan closed up 2%.", "up"),
        ("Meituan closed down 2%.", "down"),
        ("Meituan was down 2%.", "down"),
        ("Meituan ended 2% higher.", "up"),
        ("Meituan edged up 2%.", "up"),
        ("Meituan suffered a 2% drop.", "down"),
        # a particle that reads the other way: "gave up" is a loss
        ("Meituan gave up 2%.", "down"),
        ("Meituan tacked on 2%.", "up"),
        ("Alibaba down 0.25% and Tencent up 0.54%.", "down"),
    ],
)
def test_moves_direction_from_verb_noun_or_adverb(nlp, text, direction):
    moves = _moves(nlp, text)
    assert moves and moves[0][1] == direction and moves[0][2] == 2.0 or moves[0][2] == 0.25


@pytest.mark.parametrize(
    "text",
    ["Alibaba Group ended unchanged.", "The Hang Seng TECH Index closed flat at 5,402.17."],
)
def test_moves_flat_has_zero_pct(nlp, text):
    [move] = _records(nlp, text)
    assert (move["direction"], move["pct"], move["approx"]) == ("flat", 0.0, "exact")


@pytest.mark.parametrize(
    "text, subjects",
    [
        ("Alibaba, Meituan and JD.com fell by more than 2 per cent.", ["Alibaba Group", "Meituan", "JD.com"]),
        (
            "Zijin Gold International and Chifeng Gold gained around 7%.",
            ["Zijin Gold International", "Chifeng Gold"],
        ),
        (
            "Optical-communications names, including Yangtze Optical Fibre & Cable and Cambridge Technology, "
            "fell by roughly 5-6%.",
            ["optical-communications names", "Yangtze Optical Fibre & Cable", "Cambridge Technology"],
        ),
        (
            "Major internet platforms slipped, with Alibaba down 0.25% and Tencent down 0.54%.",
            ["Alibaba Group", "Tencent Holdings"],
        ),
    ],
)
def test_moves_coordination_gives_one_record_per_subject(nlp, text, subjects):
    assert [m[0] for m in _moves(nlp, text)] == subjects


@pytest.mark.parametrize(
    "text, expected",
    [
        # the parser makes both names the subjects of "climbing" and hangs "up 5.6%" on the first
        (
            "Chinese property developers rallied, with Longfor Group up 5.6% and China Resources Land "
            "climbing 4.1%.",
            [("Longfor Group", 5.6), ("China Resources Land", 4.1)],
        ),
        (
            "Gold miners extended gains, with Zijin Mining up 4% and Shandong Gold rising 3.5%.",
            [("Zijin Mining", 4.0), ("Shandong Gold Mining", 3.5)],
        ),
        # a list of figures still pairs with the list of names
        (
            "Chinese oil producers tracked crude lower, with CNOOC and PetroChina down 2.6% and 1.9% "
            "respectively.",
            [("CNOOC", 2.6), ("PetroChina", 1.9)],
        ),
    ],
)
def test_moves_a_name_with_its_own_move_keeps_only_that_move(nlp, text, expected):
    assert sorted((m[0], m[2]) for m in _moves(nlp, text)) == sorted(expected)


def test_moves_second_clause_subject_read_as_a_conjunct_of_a_price(nlp):
    # the parser joins "Hua Hong Semiconductor" to "HK$71.40", leaving "lost" without a subject
    moves = _moves(nlp, "SMIC slumped 5.3% to HK$71.40 and Hua Hong Semiconductor lost 3.8%.")
    assert sorted((m[0], m[2]) for m in moves) == [("Hua Hong Semiconductor", 3.8), ("SMIC", 5.3)]


def test_moves_second_clause_level_belongs_to_its_own_index(nlp):
    text = "Germany's DAX closed 1.2% higher at 23,614.08 and France's CAC 40 gained 1.4% to 8,046.91."
    levels = {(r["index"], r["level"]) for r in _records(nlp, text, "index_level")}
    assert levels == {("DAX", 23614.08), ("CAC 40", 8046.91)}


def test_moves_kospi_200_is_an_index_not_a_level(nlp):
    text = "Hang Seng Index futures rose 0.6% and Kospi 200 futures added 0.8%."
    assert _records(nlp, text, "index_level") == []
    assert [m[0] for m in _moves(nlp, text)] == ["Hang Seng Index futures", "Kospi 200 futures"]


@pytest.mark.parametrize(
    "text, subject, ticker",
    [
        ("Japanese shares fell 1.2% on Thursday.", "Nikkei 225", "^N225"),
        ("South Korean stocks rose 0.8%.", "Kospi", "^KS11"),
        ("Taiwan stocks closed 0.4 percent higher.", "Taiex", "^TWII"),
        ("Spot gold rose 1.2%.", "spot gold", None),
        ("Three-month copper on the London Metal Exchange slid 1.6% to $9,840 a ton.", "copper", None),
        ("Tullow Oil rose 3%.", "Tullow Oil", None),  # a name, not the commodity
        ("The Mexican peso weakened 0.6% against the dollar.", "Mexican peso", None),
        # a move noun after "with" moves the subject of its verb
        ("Tencent bucked the trend with a 3.1% gain.", "Tencent Holdings", "0700.HK"),
        ("The Kospi ended the week with a 1.5% loss.", "Kospi", "^KS11"),
        # futures on an index move as the contract, never as the index
        ("Nikkei futures were up 0.7% in Chicago.", "Nikkei 225 futures", None),
        ("S&P 500 futures rose 0.4%.", "S&P 500 futures", None),
        # the parser reads "as" as a preposition: the noun after it is the subject of the verb
        ("Banks lagged as the Hang Seng Index rose 1.2%.", "Hang Seng Index", "^HSI"),
        ("Gold miners gave back some gains as spot gold eased 0.4 per cent.", "spot gold", None),
        ("The yen strengthened 0.6 percent against the dollar.", "Japanese yen", None),
        ("Gold miners rebounded 5%.", "gold miners", None),
        ("Property stocks slid 2%.", "property stocks", None),
        ("Shares of Tencent fell 2%.", "Tencent Holdings", "0700.HK"),
        ("Tencent's shares fell 2%.", "Tencent Holdings", "0700.HK"),
        ("The 14.9 pct plunge in the Tokyo share index today hurt banks.", "Nikkei 225", "^N225"),
        ("Tokyo's stockmarket index fell 3%.", "Nikkei 225", "^N225"),
        ("London shares fell 2.1%.", "FTSE 100", None),
        ("German stocks rose 0.9%.", "DAX", None),
        ("Tokyo shares were off 2%.", "Nikkei 225", "^N225"),
        (
            "London shares followed the 508 point (22.5 pct) fall on Wall Street yesterday.",
            "S&P 500",
            "^GSPC",
        ),
    ],
)
def test_moves_subjects_resolve_markets_commodities_groups(nlp, text, subject, ticker):
    [move] = _records(nlp, text)
    assert (move["subject"], move["ticker"]) == (subject, ticker)


def test_moves_futures_of_a_commodity_move_whatever_else_the_article_names(nlp):
    # a linked company elsewhere in the text does not make "futures" a contract on that company
    text = (
        "Newmont rose 3.2%. U.S. gold futures for December delivery settled 1.2% higher at $3,771.40. "
        "Brent crude futures fell 0.8% to $71.20 a barrel."
    )
    moves = [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)]
    assert moves == [
        ("Newmont", "up", 3.2),
        ("u.s. gold futures", "up", 1.2),
        ("brent crude futures", "down", 0.8),
    ]


@pytest.mark.parametrize(
    "text, subject",
    [
        ("The Hang Seng Index opened lower. The index later fell 1.5%.", "Hang Seng Index"),
        ("The Hang Seng Index opened lower. The gauge later fell 1.5%.", "Hang Seng Index"),
        ("The Nikkei 225 was quiet. The benchmark fell 1.5%.", "Nikkei 225"),
        ("Tencent reported results. The stock fell 1.5%.", "Tencent Holdings"),
        ("Tencent reported results. Its shares fell 1.5%.", "Tencent Holdings"),
        ("Tencent reported results. The company's shares fell 1.5%.", "Tencent Holdings"),
    ],
)
def test_moves_coreference_to_previous_subject(nlp, text, subject):
    [move] = _records(nlp, text)
    assert move["subject"] == subject


@pytest.mark.parametrize(
    "text, horizon, period",
    [
        ("Tencent closed up 2% on Tuesday.", "close", None),
        ("Tencent rose 2% at the close.", "close", None),
        ("Tencent rose 2% intraday.", "intraday", None),
        ("Tencent rose 2% in afternoon trading.", "intraday", None),
        ("Tencent rose 2% on the day.", "session", None),
        ("Tencent rose 2% for the week.", "period", "for the week"),
        ("Since mid-January, Tencent has risen 30%.", "period", "Since mid-January"),
        ("Tencent has gained 12% over the past month.", "period", "over the past month"),
        ("Tencent rose 2%.", None, None),
    ],
)
def test_moves_horizon_and_period(nlp, text, horizon, period):
    [move] = _records(nlp, text)
    assert (move["horizon"], move["period"]) == (horizon, period)


def test_moves_own_cue_beats_sentence_cue(nlp):
    text = "Tencent Holdings plunged as much as 6% intraday before settling down nearly 3% at the close."
    moves = _records(nlp, text)
    assert [(m["pct"], m["approx"], m["horizon"]) for m in moves] == [
        (6.0, "up_to", "intraday"),
        (3.0, "under", "close"),
    ]


@pytest.mark.parametrize(
    "text, price, currency",
    [
        ("Meituan slid 2.2 per cent to HK$129.30.", 129.3, "HKD"),
        ("Kweichow Moutai fell 1.3pc to 1,452.00 yuan.", 1452.0, "CNY"),
        ("Spot gold rose 0.6 per cent to US$3,352 an ounce.", 3352.0, "USD"),
        ("Tencent rose 2%.", None, None),
    ],
)
def test_moves_moved_to_price(nlp, text, price, currency):
    [move] = _records(nlp, text)
    assert (move["price"], move["currency"]) == (price, currency)


@pytest.mark.parametrize(
    "text",
    [
        "China's economy grew 5.2 per cent in the first quarter.",
        "Consumer prices rose 0.3 per cent in May from a year earlier.",
        "Factory-gate prices fell 2.7pc in May.",
        "The central bank kept its policy rate at 0.5 percent.",
        "Hong Kong's one-month interbank rate fell 12 basis points to 1.35 per cent.",
        "The 10-year Treasury yield fell 4 basis points to 4.38%.",
        "Midea Group said it would buy a 20pc stake in a robotics maker.",
        "Tencent's net profit rose 30%.",
        "The company's data-center revenue rose 73% in the latest quarter.",
        "BYD said its May deliveries rose 22 per cent from a year earlier.",
        "Traders priced a 65% chance of a rate cut in September.",
        "The IPO was oversubscribed more than 300 times.",
        "Nvidia commands roughly 80% of the market for AI accelerators.",
        "HSBC will pay a dividend of US$0.10 per share, up 5%.",
        "Unemployment rose to 4.1%.",
        "Support for the party rose to 34.3 pct.",
        "The market capitalisation of Tencent rose 10%.",
        "Turnover rose 20% to 1.5 trillion yuan.",
        "Tencent took a stake of 5% in the start-up.",
        "The bank cut its rate to a level of 3.1%.",
        "One-month Hibor fell 35 basis points to 1.42%.",
        # a figure after a clause word the parser reads as a preposition is still a figure
        "Bond yields climbed as inflation rose 3% in May.",
        # a place alone is its market only where the sentence speaks of markets
        "Hong Kong's economy grew 3.1% in the second quarter.",
    ],
)
def test_moves_economic_figures_are_not_moves(nlp, text):
    assert _records(nlp, text) == []


@pytest.mark.parametrize(
    "text, index, level, pct, direction",
    [
        (
            "The Shanghai Composite Index rose by 0.43%, closing at 3346.72.",
            "Shanghai Composite",
            3346.72,
            0.43,
            "up",
        ),
        (
            "The Hang Seng Index rose 1.2 per cent to 24,383.32 at the close.",
            "Hang Seng Index",
            24383.32,
            1.2,
            "up",
        ),
        (
            "The Hang Seng Index surged by 3.51%, ending the day at 22,579.05.",
            "Hang Seng Index",
            22579.05,
            3.51,
            "up",
        ),
        (
            "The Dow Jones industrial average rose 12.5 points to 2,405.54.",
            "Dow Jones Industrial Average",
            2405.54,
            None,
            "up",
        ),
        ("The Nikkei 225 closed down 0.8 percent at 38,211.56.", "Nikkei 225", 38211.56, 0.8, "down"),
        ("S&P 500: 6,204.95 (+0.7%)", "S&P 500", 6204.95, 0.7, "up"),
        ("The Kospi ended at 2,845.12, a gain of 1.6%.", "Kospi", 2845.12, 1.6, "up"),
        ("The Taiex settled at 22,100.5, a drop of 0.9%.", "Taiex", 22100.5, 0.9, "down"),
        ("The Nikkei finished at 38,120.5, 0.5% lower.", "Nikkei 225", 38120.5, 0.5, "down"),
        ("The Nikkei hit a record high of 38,957.44 on Thursday.", "Nikkei 225", 38957.44, None, None),
        (
            "The Toronto Stock Exchange 300 index fell 20.6 points to 3,350.2.",
            "Toronto Stock Exchange 300 Composite Index",
            3350.2,
            None,
            "down",
        ),
        # an infinitive hung on a noun by the parser takes its clause's subject
        (
            "The FTSE 100 index had lost a further 233.2 points only 50 minutes after the official "
            "0800 GMT opening to stand at 1,819.1.",
            "FTSE 100",
            1819.1,
            None,
            None,
        ),
        # a sub-index named after its parent index is not the parent
        (
            "The All Ordinaries gold index was 2.3 points higher at 3,081.0.",
            "All Ordinaries gold index",
            3081.0,
            None,
            "up",
        ),
        # an index named after a company is not the company
        ("The Credit Suisse index fell 22.1 points to 512.4.", "Credit Suisse index", 512.4, None, "down"),
        (
            "The Financial Times/Stock Exchange index earlier touched a low of 1,993.7.",
            "FTSE 100",
            1993.7,
            None,
            None,
        ),
        # words that only describe the index do not make a sub-index of it
        ("The Nikkei share average dropped 2.1% to 38,120.", "Nikkei 225", 38120.0, 2.1, "down"),
        ("The Hang Seng stock index fell 1.1% to 18,120.", "Hang Seng Index", 18120.0, 1.1, "down"),
        # the parser hangs "high" on "intraday"
        ("The Nikkei 225 hit an intraday high of 38,957.44.", "Nikkei 225", 38957.44, None, None),
        # "to X" hung on the percentage of "X points, or Y pct"
        (
            "The Hang Seng index fell 10.5 points, or 0.5 pct, to 2,300.4.",
            "Hang Seng Index",
            2300.4,
            0.5,
            "down",
        ),
        # the number of an index's name is no level
        ("The Nifty 50 was 0.3% lower at 24,980.45 in late trade.", "Nifty 50", 24980.45, 0.3, "down"),
        ("The property sub-index fell 2.3 percent to 25,100.3.", "property sub-index", 25100.3, 2.3, "down"),
        ("The NYSE Index fell 2.61 to 168.35.", "NYSE Composite", 168.35, None, "down"),
        ("The Tokyo index fell 620.18 to 25,746.56 on Monday.", "Nikkei 225", 25746.56, None, "down"),
        ("The Nikkei rose as high as 22,100.5 in the morning.", "Nikkei 225", 22100.5, None, "up"),
        ("The start-up ChiNext board tumbled 2.4% to 2,011.38.", "ChiNext Index", 2011.38, 2.4, "down"),
        (
            "The Hang Seng Index touched an intraday low of 24,390.77.",
            "Hang Seng Index",
            24390.77,
            None,
            None,
        ),
        # "high" read as an adjective of "intraday"
        (
            "The Hang Seng Index finished at its intraday high of 25,660.2.",
            "Hang Seng Index",
            25660.2,
            None,
            None,
        ),
        # a level set off by commas after the index name ("at" hung on the comma)
        (
            "The Commerzbank index, at 1,845.6, was 12.3 points down.",
            "Commerzbank index",
            1845.6,
            None,
            "down",
        ),
        # a market's "benchmark" without the word index
        ("Hong Kong's benchmark ended 0.3% higher at 25,401.10.", "Hang Seng Index", 25401.1, 0.3, "up"),
        (
            "The Bombay Stock Exchange's sensitive index rose 12.3 points to 543.2.",
            "BSE Sensex",
            543.2,
            None,
            "up",
        ),
        # the parser hangs "to X" on the "close" of a time phrase
        (
            "The Manila Composite Index plunged 105.49 points or 11.79 pct by the midday close to 789.54.",
            "Manila Composite Index",
            789.54,
            11.79,
            "down",
        ),
        (
            "The All Ordinaries had risen 12.5 points above yesterday's close to a record 1,771.6.",
            "All Ordinaries",
            1771.6,
            None,
            "up",
        ),
    ],
)
def test_moves_index_levels(nlp, text, index, level, pct, direction):
    [record] = _records(nlp, text, "index_level")
    assert (record["index"], record["level"], record["pct"], record["direction"]) == (
        index,
        level,
        pct,
        direction,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Tencent closed at HK$420.",
        "Japan's consumer price index was unchanged at 99.7 in February.",
        "At 1141 GMT the market was quiet.",
        "The April Hang Seng Index Futures rose one point to 2,686.",
        "Strategists raised their year-end Hang Seng target to 27,000.",
        "The Hang Seng Index could fall as low as 15,000.5, strategists warned.",
        "The Hang Seng Index rose 1%. Strategists raised their year-end Hang Seng target to 27,000.",
        # forecasts: a level after a forecast verb, a modal with a particle before "to"
        '"We see the Nikkei at 44,000 by the end of December," the strategist said.',
        "Citi warns the HSI could slip back to 24,000 if tariff talks stall.",
        "Goldman Sachs now sees the MSCI China index reaching 95 over the next 12 months.",
        # a level the index left is not where it stands
        "Trade was dull after the Nikkei fell rapidly from the record close at 25,929.42 on June 17.",
    ],
)
def test_moves_no_index_level_for_prices_and_statistics(nlp, text):
    assert _records(nlp, text, "index_level") == []


def test_moves_level_after_an_index_name_belongs_to_that_name(nlp):
    text = "HSI closed at 25,103 (+1.2%), HSCEI at 9,081 (+1.4%), HSTECH at 5,642 (+2.3%)."
    levels = [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")]
    assert sorted(levels) == [
        ("Hang Seng China Enterprises Index", 9081.0),
        ("Hang Seng Index", 25103.0),
        ("Hang Seng TECH Index", 5642.0),
    ]


def test_moves_number_in_an_index_name_is_no_level(nlp):
    text = "The NSE Nifty 50 rose 181.4 points, or 0.73 per cent, to settle at 25,063.90."
    assert [f["level"] for f in _records(nlp, text, "index_level")] == [25063.9]


@pytest.mark.parametrize(
    "text, expected",
    [
        # no tech index named before: the home market's tech index, never the blue chips
        (
            "Hong Kong stocks fell. The Hang Seng Index lost 1.4 per cent to 24,810.75.\n"
            "The tech index plunged 2.8 per cent to 5,402.16.",
            ("Hang Seng TECH Index", 5402.16),
        ),
        # a tech index named before is the antecedent
        (
            "The Hang Seng TECH Index rose 1%. The Hang Seng Index fell 0.5% to 24,000.1.\n"
            "The tech index later closed at 5,410.2.",
            ("Hang Seng TECH Index", 5410.2),
        ),
    ],
)
def test_moves_the_tech_index_is_a_tech_index(nlp, text, expected):
    levels = [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")]
    assert expected in levels
    assert ("Hang Seng Index", expected[1]) not in levels


def test_moves_headline_bullet_and_body_are_one_record(extractor):
    from pipeline.readers import RawArticle

    text = (
        "HKTech Index Drops 2%\n"
        "- Hang Seng Tech Index: Fell by more than 2% during the latest session.\n"
        "The Hang Seng Technology Index dropped more than 2% in afternoon trading."
    )
    [processed] = extractor.process([RawArticle(text, "t")])
    moves = [r for r in processed.records if r.type == "price_move"]
    assert len(moves) == 1
    assert (moves[0].subject, moves[0].pct, moves[0].approx, moves[0].horizon) == (
        "Hang Seng TECH Index",
        2.0,
        "exact",
        None,
    )
    assert processed.article.text[moves[0].start : moves[0].end] == moves[0].text


@pytest.mark.parametrize(
    "text,levels",
    [
        (
            "The all industrials index gained 20.8 points to 2,639.3 and the all resources 6.2 to 1,110.2.",
            [("All Industrials Index", 2639.3), ("All Resources Index", 1110.2)],
        ),
        (
            "The Dow Jones industrial average rose 10.5 points to 2,300.1 and the transportation average "
            "3.2 to 900.5.",
            [("Dow Jones Industrial Average", 2300.1), ("transportation average", 900.5)],
        ),
        (
            "The gold index rose 23.4 to 1,234.5, the metals index 4.3 to 789.0 and the industrial index "
            "1.2 to 1,567.8.",
            [("gold index", 1234.5), ("metals index", 789.0), ("industrial index", 1567.8)],
        ),
    ],
)
def test_moves_levels_of_a_clause_with_its_verb_left_out(nlp, text, levels):
    assert [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")] == levels


@pytest.mark.parametrize(
    "text",
    [
        "The FTSE 100 index was up 25.3 points at 2,300.4 and the FT 30 share index was up 18.2 at 1,700.1.",
        "Share prices closed firmer with the FTSE 100 index up 25.3 points at 2,300.4 and the FT 30 share "
        "index up 18.2 at 1,700.1.",
    ],
)
def test_moves_second_index_taken_as_a_conjunct_keeps_its_level(nlp, text):
    levels = [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")]
    assert levels == [("FTSE 100", 2300.4), ("FT 30 Index", 1700.1)]


@pytest.mark.parametrize(
    "text,moves",
    [
        (
            "The Hang Seng Index rose 1.2%, the Hang Seng Tech Index 2.1% and the Shanghai Composite 0.4%.",
            [("^HSI", "up", 1.2), ("^HSTECH", "up", 2.1), ("000001.SS", "up", 0.4)],
        ),
        (
            "Tencent fell 3% to HK$420 and Alibaba 2% to HK$85.",
            [("0700.HK", "down", 3.0), ("9988.HK", "down", 2.0)],
        ),
        # no name right before the percentage: no move of its own
        ("The Hang Seng Index rose 1.2%, its best day in 0.5% of sessions.", [("^HSI", "up", 1.2)]),
    ],
)
def test_moves_list_items_with_the_verb_left_out(nlp, text, moves):
    assert [(f["ticker"], f["direction"], f["pct"]) for f in _records(nlp, text)] == moves


@pytest.mark.parametrize(
    "text, move",
    [
        ("The Kospi ended at 2,845.12, a gain of 1.6%.", ("Kospi", "up", 1.6, None, "exact")),
        ("The Taiex settled at 22,100.5, a drop of 0.9%.", ("Taiex", "down", 0.9, None, "exact")),
    ],
)
def test_moves_size_given_as_a_move_noun_after_the_level(nlp, text, move):
    assert _moves(nlp, text) == [move]


def test_moves_conjunct_with_its_own_move_is_not_a_second_subject(nlp):
    moves = [(m[0], m[2]) for m in _moves(nlp, "Gains were led by Tencent (up 4%) and Alibaba (up 3%).")]
    assert moves == [("Tencent Holdings", 4.0), ("Alibaba Group", 3.0)]


def test_moves_instrument_codes_name_what_moved(nlp):
    text = "China stocks <.SSEC> <.CSI300> shed 0.6% each, while Hong Kong shares <.HSI> fell 2.5%."
    moves = [(f["subject"], f["ticker"], f["pct"]) for f in _records(nlp, text)]
    assert moves == [
        ("Shanghai Composite", "000001.SS", 0.6),
        ("CSI 300 Index", "000300.SS", 0.6),
        ("Hang Seng Index", "^HSI", 2.5),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a market city alone is its market; a word of a linked name is no economic figure
        (
            "Tokyo fell 2.1%, Hong Kong rose 1.2% and Shanghai added 0.5%.",
            [("Nikkei 225", 2.1), ("Hang Seng Index", 1.2), ("Shanghai Composite", 0.5)],
        ),
        ("China Overseas Land & Investment shed 3.5 per cent.", [("China Overseas Land & Investment", 3.5)]),
        ("The Taiwan dollar has risen by about 23 pct since September.", [("Taiwan dollar", 23.0)]),
        (
            "The Hang Seng China Enterprises Index settled at 8702.35 points, a rise of 1.5 per cent.",
            [("Hang Seng China Enterprises Index", 1.5)],
        ),
    ],
)
def test_moves_market_cities_linked_names_and_currencies(nlp, text, expected):
    assert [(m[0], m[2]) for m in _moves(nlp, text)] == expected


def test_moves_headline_owner_word_yields_to_the_linked_index(nlp):
    text = "HK Stocks Close: Hang Seng Tech Index Soars 3.12% as AI Stocks Explode"
    assert [(m[0], m[2]) for m in _moves(nlp, text)] == [("Hang Seng TECH Index", 3.12)]


def test_moves_instrument_codes_pair_with_respective_moves(nlp):
    text = (
        "Stocks in Malaysia <.KLSE> and Indonesia <.JKSE> gained 2.7% and 3.4%, respectively, for the week."
    )
    moves = [(f["subject"], f["pct"]) for f in _records(nlp, text)]
    assert moves == [("FTSE Bursa Malaysia KLCI", 2.7), ("Jakarta Composite Index", 3.4)]


def test_moves_place_alone_is_no_index_outside_market_talk(nlp):
    text = "Hong Kong grew 3.1% in the second quarter from a year earlier, the government said."
    assert all(f["ticker"] != "^HSI" for f in _records(nlp, text))


def test_moves_signed_list_with_listing_codes_keeps_each_name(nlp):
    text = "Top gainers: Tencent (700 HK) +3.4% to HK$512.0, Meituan (3690 HK) +5.1%."
    moves = [(f["ticker"], f["direction"], f["pct"]) for f in _records(nlp, text)]
    assert moves == [("0700.HK", "up", 3.4), ("3690.HK", "up", 5.1)]


def test_moves_signed_percentage_after_a_level_never_has_a_number_as_subject(nlp):
    text = "SHCOMP closed at 3,412.6 (-0.3%)."
    assert [f["subject"] for f in _records(nlp, text)] in ([], ["Shanghai Composite"])


@pytest.mark.parametrize(
    "text, expected",
    [
        # both ends of a range are levels
        (
            "The Sensex swung between a low of 81,204.10 and a high of 82,110.56 before settling at 81,900.20.",
            [("BSE Sensex", 81204.1), ("BSE Sensex", 82110.56), ("BSE Sensex", 81900.2)],
        ),
        # a level in points after a reach verb; a market place before an index word names its index
        (
            "The Shanghai gauge touched 3,425.60 points in early trade.",
            [("Shanghai Composite", 3425.6)],
        ),
        ("The Seoul composite index fell 0.5% to 2,650.3.", [("Kospi", 2650.3)]),
    ],
)
def test_moves_range_ends_reach_points_and_placed_indices(nlp, text, expected):
    assert [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")] == expected


@pytest.mark.parametrize(
    "text, index, level, direction, pct",
    [
        ("SSE Composite 3,402.18 ▼ 4.71 (-0.14%)", "Shanghai Composite", 3402.18, "down", 0.14),
        ("Nikkei 225: 39,880.10, -0.6%", "Nikkei 225", 39880.1, "down", 0.6),
        ("Nasdaq Composite 17,590.33 -0.18%", "Nasdaq Composite", 17590.33, "down", 0.18),
    ],
)
def test_moves_data_lines_give_move_and_level(nlp, text, index, level, direction, pct):
    assert [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)] == [
        (index, direction, pct)
    ]
    assert [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")] == [(index, level)]


@pytest.mark.parametrize(
    "text, index",
    [
        ("Saudi Arabia's benchmark index gained 0.8% to 11,954.2 points.", "Tadawul All Share Index"),
        ("Mexico's IPC index fell 0.7% to 52,318.40.", "Mexican Stock Exchange Index"),
        ("Brazil's Bovespa slid 1.3% to 128,400.", "Bovespa"),
        ("Mexico's IPC closed at 52,318.40, down 0.7%.", "Mexican Stock Exchange Index"),
        ("Karachi's KSE-100 rose 1.1% to 118,250.30.", "KSE-100 Index"),
        ("Warsaw's WIG20 fell 0.6% to 2,412.77.", "WIG20"),
        ("The FTSE 250 gained 0.4% to 21,105.6.", "FTSE 250"),
        ("The TA-35 index ended 0.9% higher at 2,480.12.", "TA-35 Index"),
        ("The CSI 500 slipped 1.2% to 5,630.44.", "CSI 500 Index"),
    ],
)
def test_moves_emerging_market_indices(nlp, text, index):
    assert [f["index"] for f in _records(nlp, text, "index_level")] == [index]


@pytest.mark.parametrize(
    "text",
    [
        "The Hang Seng Index closed 98.2 points, or 0.4 per cent, higher at 24,512.36.",
        "The Hang Seng Index finished Friday 0.4% higher at 24,512.36.",
    ],
)
def test_moves_direction_word_hung_on_the_size_still_moves_the_subject(nlp, text):
    assert [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)] == [
        ("Hang Seng Index", "up", 0.4)
    ]
    assert [(f["level"], f["pct"]) for f in _records(nlp, text, "index_level")] == [(24512.36, 0.4)]


def test_moves_level_takes_the_move_of_its_own_verb(nlp):
    text = "The Hang Seng Index, which rose 2% last week, slipped 0.3% to 24,437."
    [level] = _records(nlp, text, "index_level")
    assert (level["level"], level["direction"], level["pct"]) == (24437.0, "down", 0.3)


@pytest.mark.parametrize(
    "text, expected",
    [
        # "its" in a participle clause is the main clause's subject, not the last company named
        (
            "UnitedHealth Group rose 3% on Monday.\n"
            "The Philadelphia Semiconductor Index jumped 2.7% to a record, extending its gain since January to 38%.",
            ("Philadelphia Semiconductor Index", "up", 38.0),
        ),
        (
            "Lion Rock Group fell 2%.\n"
            "The Hang Seng Index finished 0.4% higher, trimming its loss over the past five sessions to 1.1%.",
            ("Hang Seng Index", "down", 1.1),
        ),
    ],
)
def test_moves_its_in_a_participle_clause_is_the_main_subject(nlp, text, expected):
    assert expected in [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)]


def test_moves_direction_word_far_from_the_verb_is_its_own(nlp):
    text = "Singapore's Straits Times Index was flat at 3,598.12, with DBS Group down 0.8%."
    assert ("DBS Group", "down", 0.8) in [
        (f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SHCOMP closed at 3,412.6 (-0.3%).", [("Shanghai Composite", "down", 0.3)]),
        # in a list the name right before "at" moved, not the verb's subject
        (
            "HSI closed at 25,103 (+1.2%), HSTECH at 5,642 (+2.3%).",
            [("Hang Seng Index", "up", 1.2), ("Hang Seng TECH Index", "up", 2.3)],
        ),
    ],
)
def test_moves_signed_percentage_in_brackets_after_a_level(nlp, text, expected):
    assert [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)] == expected


def test_moves_signed_percentages_in_a_note_line_each_move_their_own_name(nlp):
    # the parser starts a sentence at "+2.7%" and coordinates Meituan with Alibaba
    text = (
        "• Internet: Tencent (700 HK) +3.4% to HK$512.0; Meituan (3690 HK) +5.1%; "
        "Alibaba (9988 HK) +2.7% ahead of results next Thursday."
    )
    moves = [(f["subject"], f["pct"]) for f in _records(nlp, text)]
    assert moves == [("Tencent Holdings", 3.4), ("Meituan", 5.1), ("Alibaba Group", 2.7)]


@pytest.mark.parametrize(
    "text,levels",
    [
        (
            "In Mumbai, the NSE Nifty 50 ended down 0.62 percent at 24,310.15 and the BSE Sensex shed "
            "498.32 points to close at 80,102.77.",
            [("Nifty 50", 24310.15), ("BSE Sensex", 80102.77)],
        ),
        (
            "The Sensex rose 1.2% to 65,432.1, while the Nifty ended at 19,456.7.",
            [("BSE Sensex", 65432.1), ("Nifty 50", 19456.7)],
        ),
        (
            "Jakarta's main index was down 1.1 percent at 6,488.20 at the lunch break.",
            [("Jakarta Composite Index", 6488.2)],
        ),
        ("New Zealand's S&P/NZX 50 finished 0.3 percent higher at 12,104.66.", [("NZX 50", 12104.66)]),
        (
            "MSCI's broadest index of Asia-Pacific shares outside Japan fell 0.6% to 520.3.",
            [("MSCI Asia Pacific ex-Japan Index", 520.3)],
        ),
        ("The MSCI Asia ex-Japan index slipped 0.6% to 520.3.", [("MSCI Asia ex-Japan Index", 520.3)]),
    ],
)
def test_moves_levels_of_second_clauses_and_home_market_benchmarks(nlp, text, levels):
    assert [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")] == levels


def test_moves_a_valuation_multiple_after_an_index_is_no_level(nlp):
    text = "Kim said the Kospi at 0.85 times book value was near a historical floor."
    assert _records(nlp, text, "index_level") == []


def test_moves_a_level_keeps_no_move_of_a_relative_clause(nlp):
    text = "The Hang Seng index, which fell 1.2 pct yesterday, rebounded 23.45 points to 2,567.89."
    [level] = _records(nlp, text, "index_level")
    assert (level["level"], level["pct"], level["direction"]) == (2567.89, None, "up")


@pytest.mark.parametrize(
    "text,moves",
    [
        (
            "The CAC General index gained 0.8 pct to 431.6 at the close, with Michelin 2.1 pct higher.",
            [("CAC General index", "up", 0.8), ("Michelin", "up", 2.1)],
        ),
        (
            "The Hang Seng index rose 1.2%, with Tencent 3.1% higher and Alibaba 2.2% lower.",
            [("Hang Seng Index", "up", 1.2), ("Tencent Holdings", "up", 3.1), ("Alibaba Group", "down", 2.2)],
        ),
        ("Stocks rose, with the Nikkei 1.1% higher.", [("Nikkei 225", "up", 1.1)]),
    ],
)
def test_moves_a_name_before_its_figure_moves_in_a_with_clause(nlp, text, moves):
    found = [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)]
    assert found == moves


def test_moves_an_index_provider_is_not_the_index_that_moved(nlp):
    [move] = _records(nlp, "MSCI's index of emerging-market currencies edged 0.1 percent lower.")
    assert (move["subject"], move["ticker"]) == ("MSCI's index of emerging-market currencies", None)


@pytest.mark.parametrize(
    "text,levels",
    [
        ("The Dow Jones Industrial Average gained 310.52 points to 44,902.17.", [44902.17]),
        ("The Nikkei average ended 212.64 points, or 0.6 pct, down at 35,318.06.", [35318.06]),
        (
            "The S&P 500 rose 0.51% to end at 6,288.40. It hit a record 6,301.12 in afternoon trading.",
            [6288.4, 6301.12],
        ),
    ],
)
def test_moves_levels_the_parse_loses_are_read_after_the_change(nlp, text, levels):
    assert [f["level"] for f in _records(nlp, text, "index_level")] == levels


def test_moves_a_round_up_paragraph_names_the_market_of_its_generic_index(nlp):
    text = (
        "ASIAN BOURSES CLOSE MIXED\n\n"
        "SEOUL - The composite stock price index closed 14.36 points, or 1.5 pct, higher at 962.71.\n\n"
        "TAIPEI - The weighted price index ended up 87.12 points at 6,512.40.\n\n"
        "JAKARTA - The composite index edged up 1.26 points to 478.93."
    )
    levels = [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")]
    assert levels == [("Kospi", 962.71), ("Taiex", 6512.4), ("Jakarta Composite Index", 478.93)]


@pytest.mark.parametrize(
    "text",
    [
        "The consumer price index rose 0.3% in March.",
        "Tokyo stocks fell. The price index rose 0.4 pct in March.",
        "Japan's wholesale price index fell 0.2 pct in February.",
    ],
)
def test_moves_an_economic_price_index_stays_no_price_move(nlp, text):
    assert _records(nlp, text) == []


@pytest.mark.parametrize(
    "text,subject",
    [
        ("U.S. crude climbed 1.9% to $68.40 a barrel.", "West Texas Intermediate crude"),
        ("WTI rose 1.2% to $70.10.", "West Texas Intermediate crude"),
        ("U.S. West Texas Intermediate crude slid 1.1%.", "West Texas Intermediate crude"),
        ("Brent rose 0.5% to $74.20 a barrel.", "Brent crude"),
    ],
)
def test_moves_a_commodity_written_several_ways_has_one_name(nlp, text, subject):
    assert [f["subject"] for f in _records(nlp, text)] == [subject]


def test_moves_swiss_bearer_shares_are_the_company(nlp):
    moves = [
        (f["subject"], f["direction"], f["pct"]) for f in _records(nlp, "Ciba-Geigy bearers gained 1.7 pct.")
    ]
    assert moves == [("Ciba-Geigy", "up", 1.7)]


def test_moves_a_fraction_price_is_never_an_index_level(nlp):
    text = (
        "The Dow Jones industrial average was up 0.5 pct at 3,851.27 at midday, with Caterpillar up 2.3 "
        "pct at 56-1/4 and IBM off 5/8 at 52-1/8."
    )
    assert [f["level"] for f in _records(nlp, text, "index_level")] == [3851.27]


def test_moves_an_instrument_code_holds_no_sentence_break(nlp):
    text = "Siemens <SIEGn.DE> gained 2.2% after a broker upgrade."
    doc = nlp(text)
    assert len(list(doc.sents)) == 1
    assert [(f["subject"], f["pct"]) for f in _records(nlp, text)] == [("Siemens", 2.2)]


@pytest.mark.parametrize(
    "text,moves",
    [
        # a security's code makes the words before it a name, at the start of a sentence too
        ("Kering <PRTP.PA> jumped 5.9% after the luxury group posted strong sales.", [("Kering", "up", 5.9)]),
        (
            "The CAC 40 rose 0.8%, with LVMH up 5.1% and Hermes <HRMS.PA> adding 3.7%.",
            [("CAC 40", "up", 0.8), ("LVMH", "up", 5.1), ("Hermes", "up", 3.7)],
        ),
        # the code breaks the parse; the object of "dragging" is what moved
        (
            "Chipmakers weighed, dragging the STOXX 600 technology index <.SX8P> down 2.4%.",
            [("Stoxx Europe 600 Technology", "down", 2.4)],
        ),
    ],
)
def test_moves_names_and_objects_before_instrument_codes(nlp, text, moves):
    assert [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)] == moves


@pytest.mark.parametrize(
    "text,subjects",
    [
        ("Pohang Iron and Steel rose 3.2 pct to 45,000 won.", ["Pohang Iron and Steel"]),
        ("Texas Oil and Gas fell 2.1 pct.", ["Texas Oil and Gas"]),
        # two names NER runs together stay two
        (
            "Gold miners Northern Star Resources and Evolution Mining jumped 4.4% and 5.1%, respectively.",
            ["Northern Star Resources", "Evolution Mining"],
        ),
    ],
)
def test_moves_and_inside_one_company_name_does_not_split_it(nlp, text, subjects):
    assert [f["subject"] for f in _records(nlp, text)] == subjects


def test_moves_sub_indices_the_parser_splits_or_takes_for_verbs(nlp):
    text = (
        "The finance sub-index rose 1.2 pct to 1,612.40 and the utilities sub-index 2.1 pct to 2,237.15, "
        "while the properties sub-index added 31.06 points to 2,018.77."
    )
    moves = [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)]
    assert moves == [("finance sub-index", "up", 1.2), ("utilities sub-index", "up", 2.1)]
    levels = [(f["index"], f["level"], f["direction"]) for f in _records(nlp, text, "index_level")]
    assert levels == [
        ("finance sub-index", 1612.4, "up"),
        ("utilities sub-index", 2237.15, "up"),
        ("properties sub-index", 2018.77, "up"),
    ]


def test_moves_a_dateline_paragraph_does_not_report_the_last_paragraphs_index(nlp):
    text = (
        "MILAN - The MIB index was quoted at 1,046, down 1.4 pct.\n\n"
        "BRUSSELS - The stock exchange's general index lost 18.6 points, or 0.4 pct, to 4,521.90."
    )
    levels = [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")]
    assert levels == [("MIB index", 1046.0), ("stock exchange general index", 4521.9)]


def test_moves_money_stock_growth_is_no_move(nlp):
    text = "Bundesbank data showed central bank money stock growing at an annualised 7.8 pct in May."
    assert _records(nlp, text) == []


@pytest.mark.parametrize(
    "text,moves",
    [
        # an exchange code in brackets between the name and its move word
        (
            "DBS Group (D05) climbed 1.2% to S$54.38 and Oversea-Chinese Banking Corp (O39) added 0.8% "
            "to S$17.62, while Telkom Indonesia (TLKM) eased 0.7%.",
            [
                ("DBS Group", "up", 1.2),
                ("Oversea-Chinese Banking Corp", "up", 0.8),
                ("Telkom Indonesia", "down", 0.7),
            ],
        ),
        (
            "Vietnam's VN-Index climbed 0.9%, with Vietcombank (VCB) up 1.6% at 64,900 dong.",
            [("VN-Index", "up", 0.9), ("Vietcombank", "up", 1.6)],
        ),
        # "and Co" ends one name
        ("Deere and Co gained 2.3 pct to 33-5/8.", [("Deere & Co", "up", 2.3)]),
        # a name the lists do not know in a clause whose verb is left out
        (
            "Shipbuilders rose, with Mitsubishi Heavy Industries rising 3.9 pct to 689 yen and "
            "Ishikawajima-Harima Heavy Industries 5.3 pct to 476.",
            [("Mitsubishi Heavy Industries", "up", 3.9), ("Ishikawajima-Harima Heavy Industries", "up", 5.3)],
        ),
        ("Singapore shares rose 0.4% on Friday.", [("Straits Times Index", "up", 0.4)]),
    ],
)
def test_moves_bracketed_codes_name_endings_and_gapped_unknown_names(nlp, text, moves):
    assert [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)] == moves


def test_moves_a_bullet_stays_with_its_line(nlp):
    doc = nlp("House views:\n- Overweight: insurers\n- Underweight: developers")
    assert [s.text.strip() for s in doc.sents] == [
        "House views:",
        "- Overweight: insurers",
        "- Underweight: developers",
    ]


@pytest.mark.parametrize(
    "text,levels",
    [
        # a change written with its direction word is no level
        ("At 0815 GMT the FTSE 100 index was 4.7 off at 1984.5.", [("FTSE 100", 1984.5)]),
        # an "of" phrase names the market of a generic index
        (
            "Qatar's index rose 0.3% to 10,512.4. Outside the Gulf, the index of leading Egyptian shares "
            "rose 1.9% to a record 34,215.6.",
            [("Qatar Exchange Index", 10512.4), ("EGX30", 34215.6)],
        ),
        (
            "MSCI's index of emerging-market shares gained 0.9% to 1,184.62.",
            [("MSCI Emerging Markets Index", 1184.62)],
        ),
        (
            "In Johannesburg, the blue-chip Top-40 index closed down 0.6% at 89,412.07.",
            [("FTSE/JSE Top 40 Index", 89412.07)],
        ),
    ],
)
def test_moves_changes_with_direction_words_and_named_markets_of_levels(nlp, text, levels):
    assert [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")] == levels


@pytest.mark.parametrize(
    "text,levels",
    [
        # a level the index moved away from is a level too, with no move of its own
        (
            "The Bombay Stock Exchange's 30-share sensitive index was quoted at 3,912.44 in late trade, "
            "up 0.7 pct from Tuesday's close of 3,885.19.",
            [(3912.44, 0.7, "up"), (3885.19, None, None)],
        ),
        (
            "The Swiss Bank Corp index finished 1.9 points lower at 712.4, off a midsession 716.8.",
            [(712.4, None, "down"), (716.8, None, None)],
        ),
    ],
)
def test_moves_a_level_the_index_left_is_a_level(nlp, text, levels):
    assert [(f["level"], f["pct"], f["direction"]) for f in _records(nlp, text, "index_level")] == levels


@pytest.mark.parametrize(
    "text,moves",
    [
        # a relative clause between a name and its move word
        (
            "Tokyo Electron (8035) surged 6.4% to 35,870 yen and Advantest (6857), which tests AI processors "
            "for Nvidia, jumped 8.1% to 22,450 yen.",
            [("Tokyo Electron", "up", 6.4), ("Advantest", "up", 8.1)],
        ),
        # a figure word inside an index's proper name is a word of the name
        (
            "The TSE Growth Market 250 Index slipped 0.86% to 709.18.",
            [("TSE Growth Market 250 Index", "down", 0.86)],
        ),
        ("The Consumer Price Index rose 0.3 pct in March.", []),
    ],
)
def test_moves_relative_clauses_and_figure_words_in_index_names(nlp, text, moves):
    assert [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)] == moves


@pytest.mark.parametrize(
    "text, expected",
    [
        # a nationality or a possessive place before an index word names that market's index
        (
            "The Qatari benchmark was up 0.4% at 10,612.50 in late trade.",
            [("Qatar Exchange Index", "up", 0.4)],
        ),
        ("Abu Dhabi's index eased 0.2% to 10,038.17.", [("FTSE ADX General Index", "down", 0.2)]),
        # wire names of regional indices
        (
            "MSCI's index of Latin American stocks ended 0.9% higher at 2,581.06.",
            [("MSCI Latin America Index", "up", 0.9)],
        ),
        (
            "MSCI's emerging-markets equity index was 0.3% higher at 1,412.08.",
            [("MSCI Emerging Markets Index", "up", 0.3)],
        ),
        ("Chile's S&P IPSA rose 0.7% to close at 8,942.16.", [("S&P IPSA", "up", 0.7)]),
        # "which" is the name it hangs on, not the names coordinated with it
        (
            "Manila's PSEi lost 0.6%, dragged by SM Investments, which fell 2.4% to 842 pesos, and Ayala Land, down 1.8%.",
            [
                ("PSEi", "down", 0.6),
                ("SM Investments", "down", 2.4),
                ("Ayala Land", "down", 1.8),
            ],
        ),
        # a clause hung on the companies of "index of smaller companies" moves the index
        (
            "The Russell 2000 index of smaller companies held up better, slipping 0.4% to 2,391.08.",
            [("Russell 2000", "down", 0.4)],
        ),
        # a figure of a company is no move of its shares
        (
            "Goldman Sachs added 2.8% to $802.10 after it reported profits above estimates, with trading "
            "revenue at Goldman up 18%.",
            [("Goldman Sachs", "up", 2.8)],
        ),
        # a verbless second member with a share class ("bearers") names its company
        (
            "Swiss Reinsurance rose 2.4 pct to 17,100 francs and Zurich Insurance bearers 1.7 pct to 5,950.",
            [("Swiss Reinsurance", "up", 2.4), ("Zurich Insurance", "up", 1.7)],
        ),
        # a clause hung on a conjoined verb moves that verb's name
        (
            "Tencent Holdings gained 4.35% to HK$526.00 and Baidu Group-SW jumped 9.6%, having soared more "
            "than 12% at one point.",
            [("Tencent Holdings", "up", 4.35), ("Baidu", "up", 9.6), ("Baidu", "up", 12.0)],
        ),
        # a title-case headline: the name right before the move word, not the words before it
        (
            "Hong Kong Stocks Close: Domestic AI Model Sparks Tech Frenzy, Hang Seng Tech Index Surges 5.2%",
            [("Hang Seng TECH Index", "up", 5.2)],
        ),
        # a running total lifted to a figure; a week ended flat
        (
            "The Hang Seng Index rose 1.8% week-on-week, lifting its year-to-date advance to 31.7%.",
            [("Hang Seng Index", "up", 1.8), ("Hang Seng Index", "up", 31.7)],
        ),
        ("The CSI 300 ended the week flat at 4,501.26.", [("CSI 300 Index", "flat", 0.0)]),
        # names of benchmarks: a region's possessive, the Nikkei's "225-issue average", Tokyo's growth index
        ("Europe's benchmark has gained just 4.7% in 2024.", [("Stoxx Europe 600", "up", 4.7)]),
        (
            "The Topix rose 0.6%. The 225-issue average had fallen as much as 1.3% in the morning.",
            [("Topix", "up", 0.6), ("Nikkei 225", "down", 1.3)],
        ),
        (
            "The TSE Growth Market 250 index rose 1.21% to 668.94.",
            [("TSE Growth Market 250 Index", "up", 1.21)],
        ),
        # a wire headline in capitals: the words before the index are no company
        ("LONDON STOCKS CLOSE FIRMER, FT-SE UP 3.1 PCT ON WEEK", [("FTSE 100", "up", 3.1)]),
        # "put on" is a rise
        (
            "The China Enterprises Index put on 1.4 per cent to end at 8,806.12, while BTR put on 3.3 pct at 281p.",
            [("Hang Seng China Enterprises Index", "up", 1.4), ("BTR", "up", 3.3)],
        ),
        # a yield or a company's sales moved, not a security
        ("Banks advanced as bets pushed the 10-year government bond yield up 3.5 basis points.", []),
        (
            "Fast Retailing rose 2.4% to 54,870 yen after saying same-store sales at its Uniqlo outlets grew 9.2%.",
            [("Fast Retailing", "up", 2.4)],
        ),
        # an aside between a name and its bare direction word or participle
        (
            "The index fell 0.8%, with Saudi Aramco, whose dividend yield has climbed to 6.4% after this "
            "year's slide, down 1.5% at 23.62 riyals.",
            [("Tadawul All Share Index", "down", 0.8), ("Saudi Aramco", "down", 1.5)],
        ),
        (
            "The Nikkei 225 was down 0.6% at 50,561.03, with SoftBank Group, the market's main AI proxy, "
            "sliding 4.4% to 22,480 yen.",
            [("Nikkei 225", "down", 0.6), ("SoftBank Group", "down", 4.4)],
        ),
        # a daily price limit states the size of the move
        ("Zhongjin Gold hit the 10% daily limit.", [("Zhongjin Gold Corp., Ltd.", "up", 10.0)]),
        ("Nanya Technology jumped by the daily limit of 10% to NT$88.9.", [("Nanya Technology", "up", 10.0)]),
        ("Cambricon Technologies fell by the 20% daily limit.", [("Cambricon Technologies", "down", 20.0)]),
        # "which" after coordinated names with "respectively": one figure per name
        (
            "The Sensex lost 0.42 per cent, weighed down by Reliance Industries and Bharti Airtel, which fell "
            "1.2 per cent and 1.0 per cent respectively.",
            [
                ("BSE Sensex", "down", 0.42),
                ("Reliance Industries", "down", 1.2),
                ("Bharti Airtel", "down", 1.0),
            ],
        ),
        # European benchmarks are indices, not a company sharing the letters
        (
            "Madrid's IBEX 35 settled at 14,176.80, up 0.6%; Amsterdam's AEX finished flat at 911.52 and "
            "Zurich's SMI shed 0.7% to 11,902.15.",
            [("IBEX 35", "up", 0.6), ("Swiss Market Index", "down", 0.7), ("AEX", "flat", 0.0)],
        ),
        # a participle hung on the main verb moves the name right before it
        (
            "The index gained 1.1%, with Al Rajhi Bank (1120) advancing 2.3% and Saudi National Bank (1180) rising 1.6%.",
            [
                ("Tadawul All Share Index", "up", 1.1),
                ("Al Rajhi Bank", "up", 2.3),
                ("Saudi National Bank", "up", 1.6),
            ],
        ),
        # but not a name inside a prepositional phrase before a comma
        (
            "Occidental Petroleum Corp was the most active issue on the New York Stock Exchange, climbing 6.9 pct.",
            [("Occidental Petroleum Corp", "up", 6.9)],
        ),
        # a one-word company NER reads as a person; European names the lists lack
        ("Naspers slid 3.4% to R3,890.", [("Naspers", "down", 3.4)]),
        (
            "The STOXX 600 eased 0.2%, as a 3.4% drop in Kering weighed.",
            [("Stoxx Europe 600", "down", 0.2), ("Kering", "down", 3.4)],
        ),
        # a dividend left unchanged is no move
        ("Bayernhypo said it left its dividend unchanged at 12.50 marks.", []),
    ],
)
def test_moves_regional_names_and_clauses(nlp, text, expected):
    assert [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)] == expected


def test_moves_a_line_opening_with_a_name_and_a_dash_is_about_that_security(nlp):
    text = (
        "Nike — Shares slid 5.9% to $61.30 after the company cut its guidance.\n"
        "Target — The retailer fell 3.1% to $94.20 after JPMorgan downgraded the shares.\n"
        "FedEx — Revenue rose 3% from a year earlier.\n"
    )
    assert [(f["ticker"], f["direction"], f["pct"]) for f in _records(nlp, text)] == [
        ("NKE", "down", 5.9),
        ("TGT", "down", 3.1),
    ]


def test_moves_a_topic_word_before_an_index_word_refers_to_the_earlier_index_of_that_topic(nlp):
    text = (
        "The Philadelphia Semiconductor Index fell 4.1% to 5,120.3. "
        "Even after the rout, the chip gauge is still up 9% this year."
    )
    assert [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)] == [
        ("Philadelphia Semiconductor Index", "down", 4.1),
        ("Philadelphia Semiconductor Index", "up", 9.0),
    ]


def test_moves_a_relative_clause_opening_on_a_preposition_keeps_the_name_before_it(nlp):
    text = (
        "Prosus lost 3.1% after Tencent, in which Prosus holds a roughly 24% stake, fell 2.8% in Hong Kong."
    )
    assert [(f["subject"], f["pct"]) for f in _records(nlp, text)] == [
        ("Prosus", 3.1),
        ("Tencent Holdings", 2.8),
    ]


def test_moves_a_second_index_after_and_keeps_its_level_past_an_aside(nlp):
    text = (
        "In Frankfurt, the FAZ index gained 1.6 pct to 574.28 and the Commerzbank index, calculated at "
        "midsession, rose 23.9 points to 1,836.4."
    )
    levels = [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")]
    assert levels == [("FAZ index", 574.28), ("Commerzbank index", 1836.4)]


@pytest.mark.parametrize(
    "text, levels",
    [
        # the portal way: "reported X points", with the move after "at the close"
        (
            "The Hang Seng Index reported 24,383.32 points at the close, down 1.12%.",
            [("Hang Seng Index", 24383.32, 1.12)],
        ),
        # an opening or a low on the way is a level of the main clause's index, without its move
        (
            "The CAC 40 finished 0.2% lower at 7,731.05 after opening at 7,752.40.",
            [("CAC 40", 7731.05, 0.2), ("CAC 40", 7752.4, None)],
        ),
        (
            "The Hang Seng Index hit a high of 26,012.45 points during the morning.",
            [("Hang Seng Index", 26012.45, None)],
        ),
        (
            "The Nasdaq Composite fell 1.2% to 22,310.5 and the tech-heavy index touched a session low of 22,180.64.",
            [("Nasdaq Composite", 22310.5, 1.2), ("Nasdaq Composite", 22180.64, 1.2)],
        ),
        ("The KBW Nasdaq Bank index jumped 3.2% to 131.47.", [("KBW Bank Index", 131.47, 3.2)]),
        # a participle that drives something else to a figure is no level of the index
        (
            "The stock market average has doubled, driving price/earnings ratios to over 70.",
            [],
        ),
    ],
)
def test_moves_levels_of_portal_wordings_openings_and_lows(nlp, text, levels):
    assert [(f["index"], f["level"], f["pct"]) for f in _records(nlp, text, "index_level")] == levels


@pytest.mark.parametrize(
    "text, levels",
    [
        # a level the index hovered at is a level, without the move that came after it
        (
            "The Kospi hovered around 2,650 for most of the session before ending 0.4% lower at 2,641.25.",
            [("Kospi", 2650.0, None), ("Kospi", 2641.25, 0.4)],
        ),
        (
            "The Straits Times Index finished 0.3 pct firmer at 3,921.6 after hovering around 3,900 points at midday.",
            [("Straits Times Index", 3921.6, 0.3), ("Straits Times Index", 3900.0, None)],
        ),
        # a level in brackets right after the name, with the name's move
        ("The Taiex (22,101.3) added 0.2 percent, while the Kospi slipped.", [("Taiex", 22101.3, 0.2)]),
        # a time phrase between the move and its level
        ("The Topix rose 1.8% over the week to 2,984.11.", [("Topix", 2984.11, 1.8)]),
        # a city after the second index of a sentence
        (
            "The DAX closed 0.9% higher at 24,112.40 and the CAC 40 in Paris firmed 0.5% to 8,004.27.",
            [("DAX", 24112.4, 0.9), ("CAC 40", 8004.27, 0.5)],
        ),
    ],
)
def test_moves_levels_hovered_bracketed_and_after_time_phrases(nlp, text, levels):
    assert [(f["index"], f["level"], f["pct"]) for f in _records(nlp, text, "index_level")] == levels


def test_moves_a_forecast_of_hovering_is_no_level(nlp):
    assert _records(nlp, "Strategists expect the Nikkei to hover around 40,000 points.", "index_level") == []


def test_moves_name_before_an_auxiliary_and_a_code_moved(nlp):
    text = (
        "By noon the Dow <.DJI> was up 0.2% at 44,100.50, the S&P 500 <.SPX> had gained 0.44% to "
        "6,402.12 and the Nasdaq <.IXIC> was up 0.6%."
    )
    assert ("S&P 500", "up", 0.44) in [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)]


@pytest.mark.parametrize(
    "text, move",
    [
        # points first, then the percentage, then the direction word after both
        ("The S&P/ASX 200 closed 41.2 points, or 0.47%, higher at 8,801.30.", ("S&P/ASX 200", "up", 0.47)),
        ("The Kospi finished 12.75 points, or 0.5 percent, lower at 2,590.11.", ("Kospi", "down", 0.5)),
    ],
)
def test_moves_points_and_percentage_before_the_direction_word(nlp, text, move):
    assert [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)] == [move]


def test_moves_an_intraday_high_in_points_is_a_level(nlp):
    text = "The Hang Seng Index opened higher and hit an intraday high of 25,410.30 points before noon."
    assert [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")] == [
        ("Hang Seng Index", 25410.3)
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a firm's name whose last word reads like a figure ("Holding") is still a name
        ("Fubon Financial Holding lost 0.9 percent.", [("Fubon Financial Holding", "down", 0.9)]),
        ("Technology was the weakest sector, losing 0.8%.", [("technology", "down", 0.8)]),
        # a move noun set off after a level or a time: the clause's subject moved
        (
            "The Dow Jones industrial average closed 14.2 points higher at 2,410.5, a gain of 0.6 pct, in light volume.",
            [("Dow Jones Industrial Average", "up", 0.6)],
        ),
        ("The Kospi stood at 2,590.1 at the close, a fall of 1.1 pct.", [("Kospi", "down", 1.1)]),
        # a daily cap is a daily limit
        ("Sugon hit its 10% daily cap at 61.05 yuan.", [("Sugon", "up", 10.0)]),
        # a share of an index is no move
        ("TSMC, which makes up more than 40 percent of the index, rose 1.2 percent.", [("TSMC", "up", 1.2)]),
        # "whose shares": the antecedent's shares
        ("Traders piled into Meituan, whose shares rose 4% on the day.", [("Meituan", "up", 4.0)]),
        # a clock time's zone is no company
        ("10:05 HKT — The Hang Seng Index was up 0.7%.", [("Hang Seng Index", "up", 0.7)]),
    ],
)
def test_moves_firm_names_sectors_set_off_move_nouns_caps_shares_and_time_zones(nlp, text, expected):
    assert [(f["subject"], f["direction"], f["pct"]) for f in _records(nlp, text)] == expected


def test_moves_a_running_total_after_a_time_phrase_belongs_to_the_name_before_it(nlp):
    text = (
        "Chiba Bank added 1.1% and Resona Holdings soared 5.8% to 1,562 yen, bringing its rise since the "
        "start of November to 19%."
    )
    moves = [(f["subject"], f["pct"], f["horizon"]) for f in _records(nlp, text)]
    assert ("Resona Holdings", 5.8, None) in moves and ("Resona Holdings", 19.0, "period") in moves


def test_moves_the_blue_chip_gauge_is_the_main_index_not_the_last_one_named(nlp):
    text = (
        "The Hang Seng Index fell 0.5 per cent and the China Enterprises Index ended 0.6 per cent lower. "
        "The blue-chip gauge is still up 28.4 per cent this year."
    )
    assert ("Hang Seng Index", 28.4) in [(f["subject"], f["pct"]) for f in _records(nlp, text)]


@pytest.mark.parametrize(
    "text, levels",
    [
        # "to a <high/figure/close> of X": the level the move reached
        ("The Kospi jumped 31.2 points to a new two-year high of 2,815.40.", [("Kospi", 2815.4)]),
        (
            "The Dow recovered 61 points to a preliminary closing figure of 2,046.",
            [("Dow Jones Industrial Average", 2046.0)],
        ),
        # "is around X": where the index stands now
        ("The Dow average is around 2,380 today.", [("Dow Jones Industrial Average", 2380.0)]),
        # a forecast of a high is no level
        ("Analysts expect the index to rise to a high of 3,500 by June.", []),
    ],
)
def test_moves_levels_reached_as_a_figure_or_stood_around(nlp, text, levels):
    assert [(f["index"], f["level"]) for f in _records(nlp, text, "index_level")] == levels


@pytest.mark.parametrize(
    "text, subject",
    [
        ("Siemens was the biggest gainer on the DAX, up 4.2%.", "Siemens"),
        ("The biggest gainer on the Nikkei was Fast Retailing, up 3.4%.", "Fast Retailing"),
    ],
)
def test_moves_biggest_gainer_on_an_index_moves_the_company(nlp, text, subject):
    assert [(f["subject"], f["direction"]) for f in _records(nlp, text)] == [(subject, "up")]
