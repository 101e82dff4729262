import pytest
import yaml

from pipeline.wordlists import word_set


def test_word_set_lower_cases_words():
    assert word_set(["Down", "LOWER"]) == frozenset({"down", "lower"})
    assert word_set(None) == frozenset()


def test_word_set_refuses_a_word_yaml_read_as_a_boolean():
    values = yaml.safe_load("[down, lower, off]")
    with pytest.raises(ValueError, match='quote words like "off"'):
        word_set(values, "adverbs")
    assert "off" in word_set(yaml.safe_load('[down, lower, "off"]'))
