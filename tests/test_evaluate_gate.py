import pytest

from pipeline.evaluate.gate import check_floors, current_figures, floor_down, pin_floors


def counts(f1, tp=1, fn=0):
    return {"tp": tp, "fp": 0, "fn": fn, "precision": 1.0, "recall": 1.0, "f1": f1}


def report(f1=0.8779, sha="aa", narratives=True, money_support=1):
    types = {t: counts(f1) for t in ("price_move", "index_level", "analyst_view")}
    types["money_flow"] = counts(1.0, tp=0, fn=0) if not money_support else counts(f1)
    narr = {"available": True, "sentence": {"micro": counts(0.5)}} if narratives else {"available": False}
    section = {"types": types, "records": counts(f1), "tickers": counts(0.9), "narratives": narr}
    return {"gold": {"sha256": sha}, "splits": {"dev": section}}


@pytest.mark.parametrize(
    "value,expected", [(0.8779, 0.87), (0.87, 0.87), (0.0, 0.0), (1.0, 1.0), (0.299999, 0.29)]
)
def test_gate_floor_down(value, expected):
    assert floor_down(value) == expected


def test_gate_current_figures_skip_rows_without_gold():
    figures = current_figures(report(money_support=0))
    assert "money_flow" not in figures["dev"]
    assert figures["dev"]["price_move"] == 0.8779
    assert figures["dev"]["narratives_sentence"] == 0.5
    assert "records" not in figures["dev"]


def test_gate_pin_then_check_passes():
    floors, changes = pin_floors(report(), {})
    assert floors["gold_sha256"] == "aa"
    assert floors["floors"]["dev"]["price_move"] == 0.87
    assert changes
    assert check_floors(report(), floors).ok


def test_gate_pin_refuses_to_lower():
    floors, _ = pin_floors(report(0.9), {})
    with pytest.raises(ValueError, match="refusing to lower"):
        pin_floors(report(0.5), floors)
    lowered, _ = pin_floors(report(0.5), floors, allow_lower=True)
    assert lowered["floors"]["dev"]["price_move"] == 0.5


def test_gate_pin_raises_floor_and_keeps_unmeasured():
    floors, _ = pin_floors(report(0.5), {})
    raised, changes = pin_floors(report(0.9, narratives=False), floors)
    assert raised["floors"]["dev"]["price_move"] == 0.9
    assert raised["floors"]["dev"]["narratives_sentence"] == 0.5  # kept though not measured now
    assert any("price_move" in change for change in changes)


def test_gate_check_fails_below_floor():
    floors, _ = pin_floors(report(0.9), {})
    result = check_floors(report(0.85), floors)
    assert not result.ok
    assert any("dev/price_move" in failure for failure in result.failures)


def test_gate_check_reports_hash_change():
    floors, _ = pin_floors(report(sha="aa"), {})
    result = check_floors(report(sha="bb"), floors)
    assert not result.ok and not result.failures
    assert "--pin-floors" in result.hash_changed


def test_gate_check_skips_unmeasured_rows():
    floors, _ = pin_floors(report(), {})
    result = check_floors(report(narratives=False), floors)
    assert result.ok
    assert result.skipped == ["dev/narratives_sentence (not measured)"]
