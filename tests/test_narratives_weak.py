import pytest

from pipeline.narratives.labels import CONTRACT_LABELS, NarrativeConfig, load_narrative_config
from pipeline.narratives.weak import ABSTAIN, NEGATIVE, POSITIVE, WeakLabeller, combine_votes


@pytest.fixture(scope="module")
def labeller() -> WeakLabeller:
    return WeakLabeller()


def test_narratives_config_keeps_contract_labels():
    config = load_narrative_config()
    assert config.label_names[: len(CONTRACT_LABELS)] == list(CONTRACT_LABELS)
    for spec in config.labels:
        assert spec.description and spec.prototypes


@pytest.mark.parametrize(
    "text,expected",
    [
        ("AI concept stocks extended their rally for a fifth session.", {"ai_hype"}),
        ("Investors piled into artificial intelligence shares, lifting chip makers.", {"ai_hype"}),
        ("Hospitals are using AI tools to read X-ray images of patients faster.", set()),
        ("Chipmakers fell after Washington widened export controls, rattling investors.", {"policy_fear"}),
        ("Stocks rallied after the tariff delay eased fears of a trade war.", {"policy_fear"}),
        ("Fears of a regulatory crackdown hit education stocks.", {"policy_fear"}),
        ("The central bank cut interest rates to support growth.", set()),
        ("Pre-tax profit rose 8% to 1.2 billion dollars.", set()),
        ("Gold miners rallied as investors sought a safe haven.", {"safe_haven_rotation"}),
        ("Bullion rose as investors hedged against market turmoil.", {"safe_haven_rotation"}),
        ("The mine produced 312,000 ounces of gold in the first half.", set()),
        ("Southbound investors recorded net purchases of HK$900 million.", {"capital_flows"}),
        ("Foreign investors were net sellers, pulling money out of Korean stocks.", {"capital_flows"}),
        ("Cash flow from operations rose to $2.3 billion.", set()),
        ("The Hang Seng Index closed up 0.4%.", set()),
        ("Rare\u2011earth magnet stocks led gains as investors rotated into metals.", {"safe_haven_rotation"}),
        ("Spot gold rose 0.6 per cent, lifting Zijin Mining.", {"safe_haven_rotation"}),
        ("Uncertainty about the election outcome has been weighing on the bourse.", {"policy_fear"}),
        ("Funds flowed into US equities with high AI compute exposure.", {"ai_hype", "capital_flows"}),
        ("China International Capital Corporation kept its target.", set()),
    ],
)
def test_narratives_weak_labels(labeller, text, expected):
    assert labeller.label(text) == expected


@pytest.mark.parametrize(
    "votes,expected",
    [
        ({"a": [POSITIVE]}, {"a"}),
        ({"a": [POSITIVE, NEGATIVE]}, set()),
        ({"a": [POSITIVE, POSITIVE, NEGATIVE]}, {"a"}),
        ({"a": [NEGATIVE]}, set()),
        ({"a": []}, set()),
        ({"a": [ABSTAIN, POSITIVE]}, {"a"}),
        ({"a": [POSITIVE], "b": [NEGATIVE], "c": [POSITIVE, POSITIVE]}, {"a", "c"}),
    ],
)
def test_narratives_combine_votes_majority(votes, expected):
    assert combine_votes(votes) == expected


@pytest.mark.parametrize(
    "text,hard_negative",
    [
        ("The central bank cut its benchmark lending rate by 10 basis points.", True),
        ("Gold output at the Chinese miner rose to 23 tonnes last year.", True),
        ("The company named a new chief financial officer.", False),
    ],
)
def test_narratives_assess_flags_hard_negatives(labeller, text, hard_negative):
    labels, negative = labeller.assess(text)
    assert labels == set()
    assert negative is hard_negative


def _config(**lf_overrides) -> dict:
    lf = {"id": "x", "label": "ai_hype", "vote": "positive", "patterns": ["AI"]} | lf_overrides
    labels = [{"name": name, "description": name} for name in CONTRACT_LABELS]
    return {"version": 1, "labels": labels, "labelling_functions": [lf]}


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"label": "nope"}, "unknown label"),
        ({"patterns": ["(unclosed"]}, "does not compile"),
        ({"patterns": []}, "at least one"),
    ],
)
def test_narratives_config_rejects_bad_lfs(overrides, message):
    with pytest.raises(ValueError, match=message):
        NarrativeConfig.model_validate(_config(**overrides))


def test_narratives_config_requires_contract_labels():
    raw = _config()
    raw["labels"] = raw["labels"][1:]
    raw["labelling_functions"] = []
    with pytest.raises(ValueError, match="contract labels"):
        NarrativeConfig.model_validate(raw)


def test_narratives_fired_explains_votes(labeller):
    fired = dict(labeller.fired("The central bank cut interest rates to support growth."))
    assert fired == {"policy_routine_easing": NEGATIVE}
