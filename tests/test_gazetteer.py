import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.gazetteer import KINDS, Entity, KnowledgeBase, gazetteer_dir, normalize_alias
from pipeline.paths import repo_root, shared_data_dir

NOT_NAMES = ["AI", "Link", "Power", "China", "Hong Kong", "Asia", "Holdings", "Johnson", "Target", "GDP"]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def patterns(kb) -> list[dict]:
    with kb.patterns_path().open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def load_build_script():
    path = repo_root() / "scripts" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script loads
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("name", "ticker"),
    [
        ("Tencent", "0700.HK"),
        ("Procter & Gamble", "PG"),  # SEC lists it as "PROCTER & GAMBLE Co"
        ("CVS Health", "CVS"),
        ("Tencent Holdings", "0700.HK"),
        ("Tencent's", "0700.HK"),
        ("腾讯", "0700.HK"),
        ("騰訊", "0700.HK"),
        ("阿里巴巴", "9988.HK"),
        ("Alibaba-W", "9988.HK"),
        ("Alibaba-SW", "9988.HK"),
        ("BABA-W", "9988.HK"),
        ("Alibaba Group Holding Limited", "9988.HK"),
        ("Xiaomi Group-W", "1810.HK"),
        ("Kuaishou", "1024.HK"),
        ("Baidu", "9888.HK"),
        ("Meituan", "3690.HK"),
        ("JD.com", "9618.HK"),
        ("SMIC", "0981.HK"),
        ("SMIC Holdings", "0981.HK"),
        ("Semiconductor Manufacturing International Corporation", "0981.HK"),
        ("Hua Hong", "1347.HK"),
        ("Hua Hong Semiconductor", "1347.HK"),
        ("Industrial and Commercial Bank of China", "1398.HK"),
        ("ICBC", "1398.HK"),
        ("HSBC", "0005.HK"),
        ("HKEX", "0388.HK"),
        ("Chifeng Gold", "6693.HK"),
        ("Chifeng Jilong Gold", "6693.HK"),
        ("Zijin Gold International", "2259.HK"),
        ("Zijin Mining", "2899.HK"),
        ("Lingbao Gold", "3330.HK"),
        ("Wanguo Gold Group", "3939.HK"),
        ("Shandong Gold", "1787.HK"),
        ("Ganfeng Lithium", "1772.HK"),
        ("Jinli Permanent Magnet", "6680.HK"),
        ("Yangtze Optical Fibre & Cable", "6869.HK"),
        ("YOFC", "6869.HK"),
        ("Cambridge Technology", "6166.HK"),
        ("Kweichow Moutai", "600519.SS"),
        ("Wuliangye", "000858.SZ"),
        ("Nvidia", "NVDA"),
        ("Apple", "AAPL"),
        ("KWEB", "KWEB"),
        ("KraneShares CSI China Internet ETF", "KWEB"),
        ("Pfizer", "PFE"),
        ("Pfizer Inc.", "PFE"),
        ("Target Corp", "TGT"),
        ("Xerox", "XRX"),
        ("WH Group", "0288.HK"),
        ("Hang Seng Index", "^HSI"),
        ("Hang Seng index", "^HSI"),
        ("HANG SENG INDEX", "^HSI"),
        ("the Hang Seng", "^HSI"),
        ("Hang Seng Tech Index", "^HSTECH"),
        ("Hang Seng TECH Index", "^HSTECH"),
        ("Hang Seng Technology Index", "^HSTECH"),
        ("HKTech Index", "^HSTECH"),
        ("Hang Seng Tech", "^HSTECH"),
        ("the Tech Index", "^HSTECH"),
        ("HSCEI", "^HSCE"),
        ("Hang Seng China Enterprises Index", "^HSCE"),
        ("Shanghai Composite Index", "000001.SS"),
        ("Shanghai Composite", "000001.SS"),
        ("SSE Composite", "000001.SS"),
        ("CSI 300", "000300.SS"),
        ("Shenzhen Component Index", None),
        ("Nikkei 225", "^N225"),
        ("Nikkei", "^N225"),
        ("Taiex", "^TWII"),
        ("Kospi", "^KS11"),
        ("S&P 500", "^GSPC"),
        ("Nasdaq", "^IXIC"),
        ("Nasdaq Composite", "^IXIC"),
        ("Dow Jones Industrial Average", "^DJI"),
        ("Dow", "^DJI"),
        ("FTSE 100", None),
        ("Sensex", None),
        ("China International Capital Corporation", "3908.HK"),
        ("CICC", "3908.HK"),
        ("中金", "3908.HK"),
        ("CSC Financial", "6066.HK"),
        ("China Securities", "6066.HK"),
        ("CITIC Securities", "6030.HK"),
        ("Goldman Sachs", "GS"),
        ("Goldman’s", "GS"),
        ("J.P. Morgan", "JPM"),
        ("BofA Securities", "BAC"),
        ("UBS", "UBS"),
        ("BlackRock", "BLK"),
        ("Nomura", "8604.T"),
    ],
)
def test_gazetteer_lookup_resolves_alias_to_ticker(kb, name, ticker):
    entity = kb.lookup(name)
    assert entity is not None, name
    assert entity.ticker == ticker


@pytest.mark.parametrize(
    ("name", "canonical", "kind"),
    [
        ("China International Capital Corporation", "CICC", "institution"),
        ("China Securities", "CSC Financial", "institution"),
        ("Zhipu", "Zhipu", "company"),
        ("智谱", "Zhipu", "company"),
        ("MINIMAX-WP", "MiniMax", "company"),
        ("MUFG Morgan Stanley Securities", "Mitsubishi UFJ Morgan Stanley Securities", "institution"),
        ("SPI Asset Management", "SPI Asset Management", "institution"),
        ("Salomon Brothers", "Salomon Brothers", "institution"),
        ("Drexel Burnham Lambert", "Drexel Burnham Lambert", "institution"),
        ("Hong Kong Stock Exchange", "Hong Kong Stock Exchange", "exchange"),
        ("Magnificent Seven", "Magnificent Seven", "sector"),
    ],
)
def test_gazetteer_lookup_returns_canonical_and_kind(kb, name, canonical, kind):
    entity = kb.lookup(name)
    assert entity is not None, name
    assert (entity.canonical, entity.kind) == (canonical, kind)


@pytest.mark.parametrize("name", ["Zhipu", "MINIMAX-WP", "CLSA", "Vanguard", "Hong Kong Stock Exchange"])
def test_gazetteer_lookup_keeps_unlisted_entities_without_ticker(kb, name):
    entity = kb.lookup(name)
    assert entity is not None and entity.ticker is None


@pytest.mark.parametrize("name", NOT_NAMES + ["ai", "hong kong", "China Ltd", "WH", "MS", "", "   "])
def test_gazetteer_lookup_rejects_common_and_generic_names(kb, name):
    assert kb.lookup(name) is None


@pytest.mark.parametrize("name", NOT_NAMES)
def test_gazetteer_patterns_exclude_common_and_generic_names(patterns, name):
    for pattern in patterns:
        text = pattern["pattern"]
        if isinstance(text, list):
            text = " ".join(token["LOWER"] for token in text)
            assert text != name.lower(), pattern
        else:
            assert text != name, pattern


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Alibaba Group Holding Ltd.", "alibaba"),
        ("Tencent Holdings Limited", "tencent"),
        ("Tencent’s", "tencent"),
        ("Alibaba-SW", "alibaba"),
        ("Xiaomi Group-W", "xiaomi"),
        ("MINIMAX-WP", "minimax"),
        ("the Hang Seng", "hang seng"),
        ("Chifeng Jilong Gold Mining Co.,Ltd.", "chifeng jilong gold mining"),
        ("Wharf (Holdings) Limited", "wharf"),
        ("Kidder, Peabody & Co", "kidder peabody"),
        ("Goldman Sachs'", "goldman sachs"),
        ("Shandong Gold Mining Co., Ltd. Class H", "shandong gold mining"),
        ("Hang\u2013Seng  Index", "hang-seng index"),
        ("Group", "group"),
        ("", ""),
    ],
)
def test_gazetteer_normalize_alias(name, key):
    assert normalize_alias(name) == key


def test_gazetteer_knowledge_base_drops_ambiguous_aliases():
    entities = [Entity("A.HK", "Alpha", "A.HK", "company"), Entity("B.HK", "Beta", "B.HK", "company")]
    kb = KnowledgeBase(entities, {"A.HK": ["Acme Holdings", "Alpha"], "B.HK": ["Acme Ltd", "Beta"]})
    assert kb.lookup("Alpha").id == "A.HK"
    assert kb.lookup("Acme Holdings").id == "A.HK"  # an exact alias still resolves
    assert kb.lookup("acme") is None  # its normalised key is shared
    assert kb.lookup("Acme Group") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sabre Corp", "S"),
        ("SABRE CORP.", "S"),
        ("Sabre Corporation", None),  # the core "Sabre" is no alias, so its key does not answer
        ("Sabre", None),
        ("Pfizer Inc.", "P"),
        ("Pfizer Incorporated", "P"),
        ("Pfizer's", "P"),
        ("the Pfizer", "P"),
    ],
)
def test_gazetteer_lookup_uses_core_only_when_it_is_an_alias(name, expected):
    entities = [Entity("S", "Sabre", "S", "company"), Entity("P", "Pfizer", "P", "company")]
    kb = KnowledgeBase(entities, {"S": ["Sabre Corp"], "P": ["Pfizer", "Pfizer Inc"]})
    found = kb.lookup(name)
    assert (found.id if found else None) == expected


@pytest.mark.parametrize(
    ("entities", "aliases"),
    [
        ([Entity("X", "X", None, "person")], {}),
        ([Entity("X", "X", None, "company"), Entity("X", "Y", None, "company")], {}),
        ([Entity("X", "X", None, "company")], {"Y": ["Why"]}),
    ],
)
def test_gazetteer_knowledge_base_rejects_bad_entities(entities, aliases):
    with pytest.raises(ValueError):
        KnowledgeBase(entities, aliases)


def test_gazetteer_from_jsonl_reports_bad_line(tmp_path):
    path = tmp_path / "kb.jsonl"
    path.write_text('{"id": "X", "canonical": "X", "ticker": null, "kind": "company"}\nnot json\n')
    with pytest.raises(ValueError, match=":2:"):
        KnowledgeBase.from_jsonl(path)


def test_gazetteer_kb_entities_are_well_formed(kb):
    ticker_shapes = re.compile(
        r"^\d{4}\.HK$|^\d{6}\.(SS|SZ)$|^\^[A-Z0-9]+$|^[A-Z][A-Z\-]*$|^[A-Z0-9]+\.[A-Z]{1,2}$"
    )
    for entity in kb:
        assert entity.kind in KINDS
        assert entity.canonical
        if entity.ticker is not None:
            assert entity.id == entity.ticker
            assert ticker_shapes.match(entity.ticker), entity
        else:
            assert ":" in entity.id, entity


def test_gazetteer_patterns_match_the_knowledge_base(kb, patterns):
    assert 1000 < len(patterns) < 60000
    for pattern in patterns:
        entity = kb.get(pattern["id"])
        assert entity is not None, pattern
        assert pattern["label"] == entity.kind.upper()
        if isinstance(pattern["pattern"], str):
            assert pattern["pattern"] in kb.aliases(entity.id)


def test_gazetteer_entity_ruler_tags_seed_sentence(kb, patterns):
    spacy = pytest.importorskip("spacy")
    wanted = {"^HSI", "^HSTECH", "0700.HK", "3908.HK", "^N225", "GS"}
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([p for p in patterns if p["id"] in wanted])
    doc = nlp(
        "Hong Kong's HANG SENG INDEX rose, the Hang Seng Tech Index fell and Tencent Holdings slid; "
        "CICC and Goldman Sachs were upbeat while the Nikkei 225 index dipped."
    )
    found = [(ent.text, ent.label_, ent.ent_id_) for ent in doc.ents]
    assert found == [
        ("HANG SENG INDEX", "INDEX", "^HSI"),
        ("Hang Seng Tech Index", "INDEX", "^HSTECH"),
        ("Tencent Holdings", "COMPANY", "0700.HK"),
        ("CICC", "INSTITUTION", "3908.HK"),
        ("Goldman Sachs", "INSTITUTION", "GS"),
        ("Nikkei 225 index", "INDEX", "^N225"),
    ]


def test_gazetteer_curated_rows_reject_duplicate_alias(tmp_path):
    build = load_build_script()
    path = tmp_path / "curated.tsv"
    path.write_text(
        "id\tcanonical\tticker\tkind\taliases\n"
        "co:a\tA\t\tcompany\tAcme|Acme Co\n"
        "co:b\tB\t\tcompany\tBeta|Acme\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="Acme"):
        build.load_curated(path)


def test_gazetteer_curated_file_loads():
    build = load_build_script()
    curated = build.load_curated(gazetteer_dir() / "curated.tsv")
    assert curated["0700.HK"].canonical == "Tencent Holdings"
    assert "Hang Seng Index" in curated["^HSI"].case_insensitive


@pytest.mark.slow
def test_gazetteer_build_reproduces_committed_files():
    data = shared_data_dir()
    if not (data / "securities").is_dir() or not (data / "news" / "reuters21578.jsonl").exists():
        pytest.skip(f"shared data not found at {data} (set FINNEWS_SHARED_DATA); gazetteer not rebuilt")
    script = Path(repo_root()) / "scripts" / "build_gazetteer.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check", "--shared-data", str(data)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("NEWMONT Corp", "Newmont Corp"),
        ("CVS HEALTH Corp", "CVS Health Corp"),
        ("PROCTER & GAMBLE Co", "Procter & Gamble Co"),
        ("Apple Inc.", "Apple Inc."),
    ],
)
def test_gazetteer_build_title_cases_all_caps_words_of_mixed_names(name, expected):
    build = load_build_script()
    assert build.title_caps_runs(name, {}, frozenset()) == expected


def test_gazetteer_ruler_warns_only_without_patterns():
    import warnings

    import spacy

    import pipeline.components  # noqa: F401  (registers the factory)

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("fin_gazetteer_ruler")
    with pytest.warns(UserWarning, match="W036"):
        nlp("Tencent rose.")
    ruler.add_patterns([{"label": "COMPANY", "pattern": "Tencent"}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = nlp("Tencent rose.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Tencent", "COMPANY")]
