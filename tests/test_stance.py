import pytest

from pipeline.stance import clause_bounds, find_cues, load_lexicon, parse_lexicon, score_stance, tokenize


@pytest.mark.parametrize(
    "claim, stance",
    [
        ("a mid-term bottom may be forming despite current drops", "bullish"),
        # wire-copy assessments of a company
        ("the railroad should stay profitable this year", "bullish"),
        ("it is in the best position to weather the current price competition", "bullish"),
        ("the shares merit purchase at the 26 dlr level", "bullish"),
        ("shipments of the mainframes were very strong in March", "bullish"),
        # "less" before a stance word turns it round
        ("we are less optimistic on property stocks", "bearish"),
        ("we see less downside risk from here", "bullish"),
        ("copper prices should move up over the next quarters", "bullish"),
        ("the stock is overpriced at current levels", "bearish"),
        # cheaper valuations are a reason to buy, not a fall
        ("the index's forward price-to-earnings ratio has fallen to 17.5 times", "bullish"),
        ("valuations have dropped well below their five-year average", "bullish"),
        # a call to buy on weakness outweighs the fear it answers
        (
            "the market is pricing a full-blown trade war; we would use the sell-off to add to banks",
            "bullish",
        ),
        ("we would add Kingsoft Cloud on dips", "bullish"),
        # a rally said to run ahead of earnings is a warning, not a bullish cue
        ("the rally had run well ahead of earnings revisions", "bearish"),
        # a neutral call and a range forecast take no side
        ("remains neutral on Chinese equities and prefers to wait before adding risk", "neutral"),
        ("expects the index to trade between 23,800 and 25,500 for the rest of the year", "neutral"),
        ("expects the yuan to trade in a narrow range of 7.20 to 7.30 per dollar", "neutral"),
        ("this is a holding pattern, not a pivot", "neutral"),
        ("expects the Hong Kong dollar to stay in a 7.83-7.85 range for the rest of the year", "neutral"),
        ("with earnings revisions still pointing up the Kospi can push through 3,000", "bullish"),
        ("so I would be buying the blue chips on any weakness", "bullish"),
        ("gold miners have run too far, too fast", "bearish"),
        ("we're building a base here", "bullish"),
        # a cut to a lower rating, whatever the verb: one bearish rating action
        ("Bernstein downgraded it to market perform from outperform", "bearish"),
        ("Morgan Stanley downgraded the stock to equal-weight", "bearish"),
        # a range of levels takes no side; a range of words does not count
        ("the Topix is likely to move between 3,300 and 3,450, with gains in banks offsetting weakness", "neutral"),
        # rates that are "now falling" are about rates
        ("Egypt remains one of the cheapest markets, and with rates now falling we see the index higher", "bullish"),
        ("we would use further weakness in Asian chip and hardware names to add exposure", "bullish"),
        ("southbound funds would keep piling into high-dividend banks", "bullish"),
        ("initiated coverage with a buy rating, as weaker rivals retreat from land auctions", "bullish"),
        ("the market has got ahead of itself; I would expect some profit-taking", "bearish"),
        ("recommending that investors use the weakness to accumulate large caps", "bullish"),
        ("the pullback offers an opportunity to gradually increase positions", "bullish"),
        ("copper could ease back towards US$9,800 a tonne", "bearish"),
        ("the market could consolidate for a month or two, but it still sees upside for AI hardware", "mixed"),
        # a move word before "interest rates" is about the rate
        ("cut property to neutral, as margins would be squeezed by higher interest rates", "bearish"),
        ("it was too early to call a floor", "neutral"),
        # one cue for "the top of its/their historical range"
        ("valuations were at the top of their historical range", "bearish"),
        ("the index sat at the top of its historical range", "bearish"),
        (
            "kept its neutral stance, wanting clearer signs of a recovery before turning more positive",
            "neutral",
        ),
        # broker-note wording
        (
            "the pullback took the index to 9.8 times earnings, which it called an attractive entry point",
            "bullish",
        ),
        ("the slow bull pattern has not changed", "bullish"),
        ("maintain a defensive position", "bearish"),
        ("expects Brent to average $68 a barrel, below current levels", "bearish"),
        (
            "the upgrade is now largely priced into Vietnamese stocks and she has trimmed her exposure",
            "bearish",
        ),
        ("gold looks overbought and could pull back, but the long-term uptrend is intact", "mixed"),
        ("warns that the AI chip rally looks stretched", "bearish"),
        # "correction risk" is one warning, not two
        ("medium-term trend intact, but beware of short-term correction risk", "mixed"),
        ("UBS took a dimmer view of the banks", "bearish"),
        # falling rates are no falling market
        ("Egypt offers falling rates and cheap valuations", "bullish"),
        ("the market is stabilizing", "bullish"),
        # a fall that is a chance to buy is a bullish call
        ("the pullback offers a chance to buy consumer leaders", "bullish"),
        ("the correction is a buying opportunity", "bullish"),
        ("the new rules could weigh on small-cap liquidity", "bearish"),
        ("the sell-off in chip stocks looked excessive", "bullish"),
        ("Chinese internet stocks were still under-owned by global investors", "bullish"),
        # a neutral recommendation outweighs a passing risk word
        ("volatility will persist and we recommend a neutral weighting in A-shares", "neutral"),
        # a rating action decides over the reasons given for it
        (
            "raised its year-end forecast for spot gold, saying tariff uncertainty would keep demand strong",
            "bullish",
        ),
        ('downgraded NAURA Technology to "hold" from "buy", citing the risk of delays', "bearish"),
        ('the sell-off was "an emotional overreaction"', "bullish"),
        ("such sharp pullbacks are a natural part of bull markets", "bullish"),
        ("we are still in a bull market, and corrections are a normal part of a rising market", "bullish"),
        ("the meeting will be a non-event with no change in official prices", "neutral"),
        # the reason after a rating left behind still counts
        ("cut the rating to hold from buy as growth slows sharply", "bearish"),
        ("the bull market is over and stocks will fall", "bearish"),
        ("Korean chipmakers remain undervalued relative to their US peers", "bullish"),
        ("it recommends that investors overweight software names", "bullish"),
        # recommendations and picks in wire wording
        ("Halliburton is the best value", "bullish"),
        ("one of the better buys is Philip Morris", "bullish"),
        ("he sees some short-term potential in the group", "bullish"),
        ("the index to trade sideways and recommends investors stay close to benchmark weights", "neutral"),
        ("people cannot afford to wait for drilling to go up to start buying", "bullish"),
        ("there are more positives than negatives", "bullish"),
        # what "rather than" sets aside takes no side
        ("earnings growth rather than rising valuations would carry the market", "neutral"),
        ("keeping a neutral stance because the good news was already priced in", "neutral"),
        # bond views: a falling yield is a rising price
        (
            "expects the 10-year yield to fall and recommends clients add to Treasuries on any sell-off",
            "bullish",
        ),
        ("any rebound in their shares is likely to fade", "bearish"),
        ("the index trades at 23 times forward earnings, well above its five-year average", "bearish"),
        ("the market has further room to run", "bullish"),
        ("the rebound in Hong Kong tech stocks was likely to prove short-lived", "bearish"),
        ("steels had run well ahead of any plausible earnings recovery", "bearish"),
        # move words about a rate or a currency right after them are not about the market
        ("higher yields are hitting the most stretched valuations", "bearish"),
        ("raised their year-end S&P 500 targets, citing resilient earnings", "bullish"),
        ("technical indicators approaching the levels of being overbought", "bearish"),
        ("a cut target price", "bearish"),
        ("the company is not likely to increase its dividend", "bearish"),
        ("semiconductor valuations look stretched and a pullback of 10% would not be surprising", "bearish"),
        (
            "a short-term correction may occur, but there remains substantial upward potential overall",
            "mixed",
        ),
        (
            "the strong yen could cap Japanese equities in the near term but record share buybacks offered solid support",
            "mixed",
        ),
        (
            "the upward momentum will gradually pivot from AI concepts to a revised focus on earnings",
            "neutral",
        ),
        ("the direction of the market depends on the coalition resolving its differences", "neutral"),
        ("traders believe the U.S. tariff risks can be mitigated in the short term", "bullish"),
        ("perceived not as a move towards a full-scale trade war, but as a negotiating strategy", "bullish"),
        # a condition up to its comma does not count; a currency's or a rate's rise is no market move
        (
            "Until we see some effort to halt the yen's rise and settle trade disputes, "
            "the market will stay low",
            "bearish",
        ),
        ("a rise in interest rates would hurt stocks", "bearish"),
        ("a rise in U.S. interest rates would hurt stocks", "bearish"),
        # "easing" undoes worries, not gains; "don't" negates like "not"
        ("I don't see any problems with the blue chips easing higher today", "bullish"),
        ("concerns about tariffs eased", "bullish"),
        # a protective verb undoes the worry it acts on
        ("good solid buying interest will cushion any pullback", "bullish"),
        ("the central bank moved to prevent a crash", "bullish"),
        # the rating left behind does not count
        ("downgraded Li Auto to neutral from overweight", "bearish"),
        ("upgraded the stock to buy from sell", "bullish"),
        ("stocks are likely to suffer from weak earnings", "bearish"),
        # two negators cancel
        ("brokers failed to prevent a crash", "bearish"),
        ("the huge sums of money will keep a floor under share prices", "bullish"),
        ("the market underwent a correction but he did not characterize it as a crash", "mixed"),
        ("the 508 point decline represented a crisis of confidence", "bearish"),
        # a move said to be temporary or limited is undone
        ("buying if the market plunges, believing that the slide would only be temporary", "bullish"),
        ("the downside is limited from here", "bullish"),
        ("any rally will be short-lived", "bearish"),
        # a rising cost or vacancy is no bullish move
        ("sees limited upside and warned rising office vacancies could send shares lower", "bearish"),
        # a fall called healthy, a turning point, taking on risk
        ("called the pullback healthy but warned the Nasdaq could give back another 5%", "mixed"),
        ("the measures mark a turning point for the supply-demand balance of the market", "bullish"),
        ("prefers to wait for third-quarter earnings before adding risk", "neutral"),
        # a risk already priced in is no risk left; a trade with legs goes on
        ("its valuation already reflects most of the policy risk", "bullish"),
        ("The consumption trade still has legs.", "bullish"),
        ("the sell-off had further to run", "bearish"),
        ("the rally was running out of steam", "bearish"),
        ("cut its rating on China to equal-weight", "bearish"),
        ("remains overweight Japanese equities but trimmed its position in Chinese stocks", "mixed"),
        ("expect volatility to stay elevated, but see value in Japanese banks", "mixed"),
        ("the upside was capped by weak earnings momentum", "bearish"),
    ],
)
def test_stance_score_claims(claim, stance):
    assert score_stance(claim).stance == stance


@pytest.mark.parametrize(
    "claim, cue_id, negated",
    [
        ("shares are not attractive", "bull.attractive", True),
        ("despite current drops, the outlook is positive", "bull.positive", False),
        ("risks can be mitigated", "bear.risks", True),
    ],
)
def test_stance_negation(claim, cue_id, negated):
    hits = {h.cue_id: h for h in find_cues(claim)}
    assert hits[cue_id].negated is negated


@pytest.mark.parametrize("claim", ["despite current drops", "amid the sell-off"])
def test_stance_background_phrase_does_not_count(claim):
    assert score_stance(claim).stance == "neutral"


@pytest.mark.parametrize(
    "text, expected",
    [("a, b but c", [(0, 1), (2, 3), (4, 5)]), ("one two", [(0, 2)])],
)
def test_stance_clause_bounds(text, expected):
    assert clause_bounds(tokenize(text)) == expected


@pytest.mark.parametrize(
    "data, message",
    [
        ({"cues": [{"id": "x", "pattern": "up"}]}, "polarity"),
        ({"cues": [{"id": "x", "pattern": "up", "polarity": "sideways"}]}, "polarity must be"),
        ({"cues": [{"id": "x", "pattern": "up", "polarity": "bull"}] * 2}, "unique"),
        ({"mode": "magic"}, "mode"),
    ],
)
def test_stance_lexicon_validation(data, message):
    with pytest.raises(ValueError, match=message):
        parse_lexicon(data)


def test_stance_lexicon_ids_are_unique_and_loaded():
    lex = load_lexicon()
    ids = [c.id for c in lex.cues]
    assert len(ids) == len(set(ids)) and len(ids) > 50


def test_stance_model_head_roundtrip_and_clauses(tmp_path):
    import numpy as np

    from pipeline.stance_model import ModelStance, StanceHead

    class FakeEncoder:
        def encode(self, texts):
            # one axis per label: "up" -> positive, "down" -> negative
            return np.array([[1.0 if "down" in t else 0.0, 0.1, 1.0 if "up" in t else 0.0] for t in texts])

    head = StanceHead(np.eye(3, dtype=np.float32) * 10, np.zeros(3, dtype=np.float32))
    head.save(tmp_path / "head.json", {"note": "test"})
    loaded = StanceHead.load(tmp_path / "head.json")
    model = ModelStance(loaded, FakeEncoder())
    assert model("prices will go up a lot").stance == "bullish"
    assert model("prices may go down soon, but they will go up later").stance == "mixed"
    with pytest.raises(ValueError, match="train_stance"):
        StanceHead.load(tmp_path / "missing.json")


@pytest.mark.parametrize(
    "claim, stance",
    [
        ("The rally may not last", "bearish"),
        ("the rally won't last", "bearish"),
        ("the results put to rest the worries that spending had peaked", "bullish"),
        ("further upside, with global investors still underweight the market", "bullish"),
        ("we remain underweight Chinese equities", "bearish"),
    ],
)
def test_stance_lasting_rallies_relief_and_others_positions(claim, stance):
    assert score_stance(claim, load_lexicon()).stance == stance


@pytest.mark.parametrize(
    "text, expected",
    [
        # one side before "but", the other after: both, whatever the weights
        (
            "the market could see a pullback in the near term but the medium-term trend remains intact, given "
            "steady earnings upgrades",
            "mixed",
        ),
        ("lower rates would help bank lending next year but foreign funds were likely to stay away", "mixed"),
        ("the CAC general index could reach 440 but would struggle to hold that level", "mixed"),
        # wire wordings
        ("bank shares would lag the market as long as rates stay high", "bearish"),
        (
            "steels had run well ahead of any plausible earnings recovery and he was using the rally to reduce his holdings",
            "bearish",
        ),
        ("he still expected the average to reach 2,600 by the end of the year", "bullish"),
    ],
)
def test_stance_contrasts_and_wire_wordings(text, expected):
    assert score_stance(text).stance == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jefferies cuts Li Auto to hold from buy", "bearish"),
        ("reiterated its market-perform rating on Meituan", "neutral"),
        ("the index is likely to oscillate between 3,900 and 4,050 points", "neutral"),
        ("warned that the bond rally had gone too far", "bearish"),
        ("A-shares could rally in the near term, but the gains would fade by year-end", "mixed"),
        ("the earnings outlook stays weak, and the rally since April looks premature", "bearish"),
        ("the memory rally had pushed valuations to the top of their historical range", "bearish"),
    ],
)
def test_stance_rating_cuts_ranges_and_stretched_rallies(text, expected):
    assert score_stance(text).stance == expected


def test_stance_cuts_to_each_lower_rating_are_generated_bearish_cues():
    lex = load_lexicon()
    ids = {cue.id for cue in lex.cues}
    assert {"bear.cut_to_hold", "bear.lower_to_neutral", "bear.downgrad_to_market_perform"} <= ids
    assert score_stance("they cut the stock to sector perform", lex).stance == "bearish"


@pytest.mark.parametrize(
    "text, expected",
    [
        # a move between rating tiers written "to X from Y", whatever verb carries it
        ("Daiwa moved the stock to outperform from neutral", "bullish"),
        ("Nomura took it to hold from buy, citing margins", "bearish"),
        ("Mizuho changed its call to underweight from equal-weight", "bearish"),
        # a target raised "from" a lower figure is no shift of drivers
        ("CICC raised its year-end target to 4,500 from 4,200, calling it a clear shift in policy", "bullish"),
        # rallies that do not last, and buying the dip
        ("This is a relief rally on thin volume, and those rarely last", "bearish"),
        ("Long-term investors should be bargain hunting, not selling", "bullish"),
    ],
)
def test_stance_rating_tiers_targets_relief_rallies_and_bargain_hunting(text, expected):
    assert score_stance(text).stance == expected


def test_stance_moves_between_rating_tiers_are_generated_cues():
    ids = {cue.id for cue in load_lexicon().cues}
    assert {"bear.to_neutral_from_buy", "bull.to_overweight_from_underweight", "bull.to_hold_from_sell"} <= ids
    assert "bull.to_buy_from_overweight" not in ids  # the same tier is no move


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the Nikkei could top 52,000 by March", "bullish"),
        ("he still likes the megabanks for their rising margins", "bullish"),
    ],
)
def test_stance_levels_to_top_and_likings_kept(text, expected):
    assert score_stance(text).stance == expected
