"""The output contract as typed, immutable records, and its JSON Schema.

These models are the single definition of what `articles.jsonl` and `records.jsonl` hold; the
published schema (`finnews schema`) is generated from them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

Direction = Literal["up", "down", "flat"]
Approx = Literal["exact", "about", "over", "under", "up_to"]
Horizon = Literal["intraday", "close", "session", "period"]
EntityKind = Literal["company", "index", "fund", "institution", "exchange", "sector"]
FlowChannel = Literal["southbound", "northbound", "etf", "hedge_funds", "foreign", "other"]
FlowDirection = Literal["inflow", "outflow", "net_buy", "net_sell"]
Stance = Literal["bullish", "bearish", "neutral", "mixed"]

RECORD_TYPES = ("mention", "price_move", "index_level", "money_flow", "analyst_view")


class Narrative(BaseModel):
    """One narrative label with its score in 0..1."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    label: str
    score: float = Field(ge=0.0, le=1.0)


class _RecordBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    article_id: str
    record_id: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentence: str
    narratives: list[Narrative] = Field(default_factory=list)
    extractor: str
    confidence: float = Field(ge=0.0, le=1.0)


class Mention(_RecordBase):
    """A company, index, fund, institution, exchange or sector named in the text."""

    type: Literal["mention"] = "mention"
    name: str
    canonical: str
    ticker: str | None
    entity_kind: EntityKind


class PriceMove(_RecordBase):
    """A stated percentage move of a subject."""

    type: Literal["price_move"] = "price_move"
    subject: str
    ticker: str | None
    direction: Direction
    pct: float | None
    pct_high: float | None = None
    approx: Approx = "exact"
    horizon: Horizon | None = None
    period: str | None = None
    price: float | None = None
    currency: str | None = None


class IndexLevel(_RecordBase):
    """A stated level of an index."""

    type: Literal["index_level"] = "index_level"
    index: str
    ticker: str | None
    level: float
    pct: float | None = None
    direction: Direction | None = None


class MoneyFlow(_RecordBase):
    """An amount of money moving into or out of a market, stock or fund through a channel."""

    type: Literal["money_flow"] = "money_flow"
    channel: FlowChannel
    subject: str | None = None
    direction: FlowDirection
    amount: float
    currency: str | None
    approx: Approx = "exact"
    period: str | None = None


class AnalystView(_RecordBase):
    """A view attributed to an institution (and analyst), with its stance."""

    type: Literal["analyst_view"] = "analyst_view"
    institution: str
    analyst: str | None = None
    stance: Stance
    target: str | None = None
    claim: str


Record = Annotated[
    Mention | PriceMove | IndexLevel | MoneyFlow | AnalystView, Field(discriminator="type")
]
RECORD_ADAPTER: TypeAdapter[Record] = TypeAdapter(Record)

RECORD_MODELS: dict[str, type[_RecordBase]] = {
    "mention": Mention,
    "price_move": PriceMove,
    "index_level": IndexLevel,
    "money_flow": MoneyFlow,
    "analyst_view": AnalystView,
}


class Article(BaseModel):
    """One input article, processed or failed, as written to `articles.jsonl`."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    article_id: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    text: str
    narratives: list[Narrative] = Field(default_factory=list)
    n_records: int = Field(ge=0)
    errors: list[str] = Field(default_factory=list)
    pipeline_version: str


def json_schemas() -> dict[str, dict]:
    """Return the JSON Schema of both output files, keyed by file name."""
    return {
        "articles.jsonl": Article.model_json_schema(),
        "records.jsonl": RECORD_ADAPTER.json_schema(),
    }
