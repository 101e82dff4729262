import json

import jsonschema
import pytest
from pydantic import ValidationError

from pipeline.cli import main
from pipeline.schema import RECORD_ADAPTER, Article, json_schemas

from conftest import REPO


def test_schema_published_file_matches_the_code():
    published = json.loads((REPO / "docs" / "schema.json").read_text())
    assert published == json_schemas(), "docs/schema.json is stale: run `finnews schema > docs/schema.json`"


def test_schema_command_prints_both_files(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"articles.jsonl", "records.jsonl"}


@pytest.mark.parametrize(
    "record_type, required",
    [
        ("mention", {"name", "canonical", "ticker", "entity_kind"}),
        ("price_move", {"subject", "ticker", "direction", "pct", "pct_high", "approx", "horizon", "period", "price", "currency"}),
        ("index_level", {"index", "ticker", "level", "pct", "direction"}),
        ("money_flow", {"channel", "subject", "direction", "amount", "currency", "approx", "period"}),
        ("analyst_view", {"institution", "analyst", "stance", "target", "claim"}),
    ],
)
def test_schema_each_record_type_has_contract_fields(record_type, required):
    schema = RECORD_ADAPTER.json_schema()
    models = [d for d in schema["$defs"].values() if "type" in d.get("properties", {})]
    model = next(d for d in models if d["properties"]["type"].get("const") == record_type)
    common = {"article_id", "record_id", "type", "text", "start", "end", "sentence", "narratives", "extractor", "confidence"}
    assert (common | required) <= set(model["properties"])


def test_schema_rejects_values_outside_the_contract():
    base = dict(article_id="a", record_id="a:0", text="rose 2%", start=0, end=7, sentence="x", extractor="t", confidence=0.9)
    with pytest.raises(ValidationError):
        RECORD_ADAPTER.validate_python({**base, "type": "price_move", "subject": "X", "ticker": None, "direction": "sideways", "pct": 2.0})


def test_schema_validates_real_output(extractor):
    from pipeline.readers import RawArticle

    [item] = extractor.process([RawArticle("The Hang Seng Index rose 1.2% on Monday as Tencent climbed 3%.", "t")])
    schemas = json_schemas()
    jsonschema.validate(item.article.model_dump(mode="json"), schemas["articles.jsonl"])
    assert item.records, "expected at least the two mentions"
    for record in item.records:
        jsonschema.validate(record.model_dump(mode="json"), schemas["records.jsonl"])
    assert isinstance(item.article, Article)
