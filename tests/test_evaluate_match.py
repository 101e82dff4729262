import pytest

from pipeline.evaluate.match import (
    MatchConfig,
    field_agreement,
    institution_key,
    key_match,
    match_records,
    names_match,
    normalise_name,
    predicted_tickers,
    same_institution,
    text_overlap,
    within_abs,
    within_rel,
)


@pytest.fixture(scope="module")
def config():
    return MatchConfig.load()


def pm(subject="Tencent Holdings", ticker="0700.HK", direction="down", pct=3.0, **extra):
    return {
        "type": "price_move",
        "subject": subject,
        "ticker": ticker,
        "direction": direction,
        "pct": pct,
        "pct_high": None,
        "approx": "exact",
        "horizon": None,
        "period": None,
        "price": None,
        "currency": None,
        **extra,
    }


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The Hang Seng Index", "hang seng index"),
        ("Hang-Seng  TECH", "hang seng tech"),
        ("Goldman Sachs's", "goldman sachs"),
        ("MINIMAX-WP", "minimax wp"),
        ("AT&T", "at&t"),
        ("Société Générale", "societe generale"),
        ("U.S. dollar index", "us dollar index"),
        ("", ""),
        (None, ""),
    ],
)
def test_match_normalise_name(text, expected):
    assert normalise_name(text) == expected


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        ("Hang Seng Index", "the Hang Seng Index", True),
        ("Hang Seng TECH Index", "Hang Seng TECH", True),
        ("MINIMAX-WP", "MiniMax", True),
        ("gold miners", "gold", True),
        ("Tencent", "Tencent Music", True),
        ("Hang Seng Index", "Hang Seng China Enterprises Index", False),
        ("Tencent", "Tencentx", False),
        ("", "Tencent", False),
        (None, None, False),
    ],
)
def test_match_names_match(gold, pred, expected):
    assert names_match(gold, pred) is expected


@pytest.mark.parametrize(
    "a,b,same",
    [
        ("CICC", "China International Capital Corporation", True),
        ("CICC", "China International Capital Corp Ltd", True),
        ("CSC Financial", "China Securities", True),
        ("Goldman Sachs", "Goldman Sachs Group Inc", True),
        ("Goldman Sachs", "goldman", True),
        ("JPMorgan", "J.P. Morgan", True),
        ("BofA", "Bank of America Securities", True),
        ("UBS", "UBS Group AG", True),
        ("Morgan Stanley", "Mitsubishi UFJ Morgan Stanley Securities", False),
        ("Piper Sandler", "Piper Sandler Companies", True),
        ("Goldman Sachs", "Goldman Sachs Asset Management", True),
        ("Nomura", "Nomura Holdings Inc", True),
        ("CICC", "CICC Wealth", True),
        ("UBS", "BUBS", False),
        ("", "UBS", False),
        ("UBS", "Goldman Sachs", False),
        ("unnamed", "unnamed", True),
        # two names of one row of the pipeline's institution table
        ("Sanford C. Bernstein", "Bernstein", True),
        ("Saxo Markets", "Saxo Bank", True),
        ("Sanford C. Bernstein", "Saxo Bank", False),
    ],
)
def test_match_same_institution(config, a, b, same):
    assert same_institution(a, b, config) is same
    assert same_institution(b, a, config) is same


@pytest.mark.parametrize(
    "name,key",
    [
        ("China International Capital Corporation", "cicc"),
        ("Goldman Sachs Group, Inc.", "goldman sachs"),
        ("UBS", "ubs"),
    ],
)
def test_match_institution_key(config, name, key):
    assert institution_key(name, config) == key


@pytest.mark.parametrize(
    "gold,pred,tolerance,expected",
    [
        (2.2, 2.25, 0.051, True),
        (2.2, 2.26, 0.051, False),
        (0.0, 0.0, 0.051, True),
        (2.2, None, 0.051, False),
        (None, None, 0.051, False),
    ],
)
def test_match_within_abs(gold, pred, tolerance, expected):
    assert within_abs(gold, pred, tolerance) is expected


@pytest.mark.parametrize(
    "gold,pred,expected",
    [(900e6, 905e6, True), (900e6, 910e6, False), (0.0, 0.0, True), (900e6, None, False)],
)
def test_match_within_rel(gold, pred, expected):
    assert within_rel(gold, pred, 0.01) is expected


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        (pm(), pm(pct=3.05), True),
        (pm(), pm(pct=3.06), False),
        (pm(), pm(direction="up"), False),
        (pm(), pm(ticker="9988.HK"), False),
        (pm(), pm(subject="Tencent", ticker=None), True),
        (pm(subject="MINIMAX-WP", ticker=None), pm(subject="MiniMax", ticker=None), True),
        (pm(subject="gold miners", ticker=None), pm(subject="property stocks", ticker=None), False),
        (pm(), pm(pct=None), False),
        (pm(direction="flat", pct=0.0), pm(direction="flat", pct=0.0), True),
        (pm(pct=4.0, pct_high=6.0), pm(pct=4.0, pct_high=6.0), True),
        (pm(pct=4.0, pct_high=6.0), pm(pct=4.0), False),
        (pm(pct=4.0), pm(pct=4.0, pct_high=6.0), True),
        # approx and horizon are compared as fields, not keys
        (pm(approx="under", horizon="close"), pm(approx="exact", horizon=None), True),
    ],
)
def test_match_key_price_move(config, gold, pred, expected):
    assert key_match("price_move", gold, pred, config) is expected


def il(index="Hang Seng Index", ticker="^HSI", level=24383.32, **extra):
    return {
        "type": "index_level",
        "index": index,
        "ticker": ticker,
        "level": level,
        "pct": None,
        "direction": None,
        **extra,
    }


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        (il(), il(level=24383.33), True),
        (il(), il(level=24383.34), True),  # within 0.01%
        (il(), il(level=24386.0), False),
        (il(level=3346.72), il(level=3346.73), True),
        (il(level=3346.72), il(level=3347.2), False),
        (il(), il(ticker="^HSCE"), False),
        (il(), il(ticker=None, index="Hang Seng"), True),
        (il(ticker=None, index="Milan Stock Index"), il(ticker=None, index="Milan index"), False),
    ],
)
def test_match_key_index_level(config, gold, pred, expected):
    assert key_match("index_level", gold, pred, config) is expected


def mf(direction="net_buy", amount=900e6, currency="HKD", **extra):
    return {
        "type": "money_flow",
        "channel": "southbound",
        "subject": None,
        "direction": direction,
        "amount": amount,
        "currency": currency,
        "approx": "over",
        "period": None,
        **extra,
    }


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        (mf(), mf(amount=905e6), True),
        (mf(), mf(amount=1e9), False),
        (mf(), mf(direction="inflow"), False),
        (mf(), mf(currency="USD"), False),
        (mf(), mf(currency="hkd"), True),
        (mf(), mf(channel="foreign"), True),  # channel is a field, not a key
    ],
)
def test_match_key_money_flow(config, gold, pred, expected):
    assert key_match("money_flow", gold, pred, config) is expected


def av(institution="CICC", stance="bullish", **extra):
    return {
        "type": "analyst_view",
        "institution": institution,
        "analyst": None,
        "stance": stance,
        "target": None,
        "claim": "a mid-term bottom may be forming",
        **extra,
    }


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        (av(), av(institution="China International Capital Corporation"), True),
        (av(), av(stance="mixed"), False),
        (av(), av(institution="UBS"), False),
        (av(institution="Goldman Sachs"), av(institution="Goldman Sachs Group", analyst="Jane Doe"), True),
    ],
)
def test_match_key_analyst_view(config, gold, pred, expected):
    assert key_match("analyst_view", gold, pred, config) is expected


def test_match_key_unknown_type_raises(config):
    with pytest.raises(ValueError, match="no matching rule"):
        key_match("mention", {}, {}, config)


@pytest.mark.parametrize(
    "record_type,gold,pred,expected",
    [
        (
            "price_move",
            pm(approx="under", horizon="close"),
            pm(approx="exact", horizon="close"),
            {"approx": False, "horizon": True, "price": None, "period_present": None, "pct_high": None},
        ),
        (
            "price_move",
            pm(period="since mid-January", horizon="period"),
            pm(period="since January"),
            {"period_present": True, "horizon": False},
        ),
        (
            "price_move",
            pm(price=129.3, currency="HKD"),
            pm(price=129.3, currency="HKD"),
            {"price": True, "currency": True},
        ),
        ("money_flow", mf(subject="Tencent Holdings"), mf(subject=None), {"subject": False, "channel": True}),
        (
            "analyst_view",
            av(target="Hong Kong tech stocks"),
            av(target="Hong Kong tech stocks", claim="bottom"),
            {"target": True, "claim": True, "analyst": None},
        ),
        ("index_level", il(pct=0.4, direction="up"), il(), {"pct": False, "direction": False, "level": True}),
    ],
)
def test_match_field_agreement(config, record_type, gold, pred, expected):
    agreement = field_agreement(record_type, gold, pred, config)
    assert {k: agreement[k] for k in expected} == expected


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        ("a mid-term bottom may be forming", "CICC suggests a mid-term bottom may be forming", 1.0),
        ("upside", "", 0.0),
        ("x y", "y z", 0.5),
    ],
)
def test_match_text_overlap(gold, pred, expected):
    assert text_overlap(gold, pred) == expected


@pytest.mark.parametrize(
    "gold,pred,pairs,missed,spurious",
    [
        ([], [], (), (), ()),
        ([pm()], [], (), (0,), ()),
        ([], [pm()], (), (), (0,)),
        # a duplicate prediction is one TP and one FP
        ([pm()], [pm(), pm()], ((0, 0),), (), (1,)),
        # the prediction agreeing on more fields wins the gold record
        (
            [pm(approx="under", horizon="close")],
            [pm(), pm(approx="under", horizon="close")],
            ((0, 1),),
            (),
            (0,),
        ),
        # greedy best-first does not let the first gold record steal the second's only match
        (
            [pm(pct=3.0), pm(pct=3.05, approx="under")],
            [pm(pct=3.05, approx="under"), pm(pct=3.0)],
            ((0, 1), (1, 0)),
            (),
            (),
        ),
        (
            [pm(subject="A", ticker=None), pm(subject="B", ticker=None)],
            [pm(subject="B", ticker=None)],
            ((1, 0),),
            (0,),
            (),
        ),
    ],
)
def test_match_records_one_to_one(config, gold, pred, pairs, missed, spurious):
    result = match_records("price_move", gold, pred, config)
    assert (result.pairs, result.missed, result.spurious) == (pairs, missed, spurious)


@pytest.mark.parametrize(
    "records,expected",
    [
        ([{"type": "mention", "ticker": "0700.HK", "entity_kind": "company"}], {"0700.HK"}),
        ([{"type": "mention", "ticker": "GS", "entity_kind": "institution"}], set()),
        (
            [
                {"type": "mention", "ticker": "GS", "entity_kind": "institution"},
                pm(ticker="GS", subject="Goldman"),
            ],
            {"GS"},
        ),
        ([{"type": "mention", "ticker": None, "entity_kind": "sector"}, il()], {"^HSI"}),
        ([mf()], set()),
    ],
)
def test_match_predicted_tickers(config, records, expected):
    assert predicted_tickers(records, config) == expected


def test_match_config_rejects_unknown_tolerance(tmp_path):
    path = tmp_path / "evaluation.yaml"
    path.write_text("tolerances:\n  pct: 0.1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown tolerances"):
        MatchConfig.load(path)


@pytest.mark.parametrize(
    "gold,pred,expected",
    [
        ("STOXX 600", "Stoxx Europe 600", True),  # aliases of one gazetteer entity
        ("FT 30 Index", "FT 30-share index", True),
        ("JSE Overall Index", "JSE All Share Index", True),
        ("Swiss Bank Corporation Index", "Swiss Bank Corp index", True),  # abbreviation folded
        ("Oversea-Chinese Banking Corporation", "Oversea-Chinese Banking Corp", True),
        ("Manila Commercial and Industrial Index", "commercial-industrial index", True),  # "and" dropped
        ("FTSE Bursa Malaysia KLCI", "KLSE composite index", True),
        ("Stoxx Europe 600", "FTSE 100", False),
        ("MSCI Asia Pacific ex-Japan Index", "MSCI Asia Pacific Index", False),
    ],
)
def test_match_same_subject_by_gazetteer_alias_or_abbreviation(config, gold, pred, expected):
    gold_level = {"type": "index_level", "index": gold, "ticker": None, "level": 100.0}
    pred_level = {"type": "index_level", "index": pred, "ticker": None, "level": 100.0}
    assert key_match("index_level", gold_level, pred_level, config) is expected


def test_match_config_without_subject_names_file_compares_names_only(tmp_path):
    path = tmp_path / "evaluation.yaml"
    path.write_text("subject_stopwords: [the]\n", encoding="utf-8")
    config = MatchConfig.load(path)
    gold = {"type": "index_level", "index": "STOXX 600", "ticker": None, "level": 1.0}
    pred = {"type": "index_level", "index": "Stoxx Europe 600", "ticker": None, "level": 1.0}
    assert key_match("index_level", gold, pred, config) is False


def test_match_config_reads_institution_names_from_an_alias_table(tmp_path):
    (tmp_path / "table.tsv").write_text("Acme Research\tAcme Research|Acme|Wile E. Acme\n", encoding="utf-8")
    path = tmp_path / "evaluation.yaml"
    path.write_text("institution_names_from: table.tsv\n", encoding="utf-8")
    config = MatchConfig.load(path)
    assert same_institution("Wile E. Acme", "Acme Research", config)
    assert not same_institution("Wile E. Acme", "Road Runner", config)
