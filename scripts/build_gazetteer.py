"""Build the securities gazetteer: configs/gazetteer/kb.jsonl and patterns.jsonl.

Inputs: configs/gazetteer/curated.tsv (hand-written, wins every conflict), the securities lists under
../shared/data/securities (HKEX, FinanceDatabase, SEC, Nasdaq/NYSE listings) and, to tell common
English words from names, the lowercase vocabulary of ../shared/data/news/reuters21578.jsonl (read
only; nothing from it is written). The output is deterministic; `--check` rebuilds in memory and
fails when the committed files differ. See configs/gazetteer/SOURCES.md for the alias policy.

    python scripts/build_gazetteer.py            # rewrite the generated files
    python scripts/build_gazetteer.py --check    # exit 1 if they are out of date
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.gazetteer import (  # noqa: E402
    KINDS,
    MIN_KEY_CHARS,
    clean_alias,
    gazetteer_dir,
    normalize_alias,
    read_term_list,
    strip_legal_suffixes,
)
from pipeline.paths import shared_data_dir  # noqa: E402

SOURCE_RANK = ("curated", "hkex", "financedatabase", "sec", "nasdaq", "nyse")
HK_MARKERS_KEPT = {"W", "S", "SW", "SS", "B", "P", "WP", "V"}  # written in HK papers: "BABA-W"
HK_SKIP_SUBCATEGORIES = {"Trading Only Securities", "Depositary Receipts"}
MAINLAND_CODE = {"SS": re.compile(r"^6[08]\d{4}$"), "SZ": re.compile(r"^(00|30)\d{4}$")}
SEC_SUFFIX = re.compile(r"\s*/[A-Z]{2,3}/?$|\s+/[A-Z]{2,3}\b.*$")
NOT_COMMON_EQUITY = re.compile(r"\b(warrants?|rights?|units?|preferred|notes?|ETNs?|debentures?)\b", re.I)
SMALL_WORDS = {"of", "and", "the", "for", "de", "du", "la", "le", "on", "in", "at", "to"}
VOWELS = set("aeiouy")
COMPANY_FOLLOWERS = (
    r"Inc|Corp|Co|Cos|Ltd|Plc|PLC|Group|Corporation|Company|Industries|Holdings|AG|SA|NV|and Co"
)
NAME_LIKE_MAX_COMPANY_SHARE = 0.2  # of a capitalised word's Reuters occurrences, followed by "Inc", "Corp"...
NAME_LIKE_MIN_SEEN = 3
# Aliases per generated name: its core and the core plus one legal suffix ("Pfizer", "Pfizer Inc");
# longer legal forms add patterns but no recall, since the shorter form matches their start.
ALIAS_FORMS = 2


@dataclass
class Draft:
    """An entity being assembled: curated aliases are kept, generated ones must pass the filters."""

    id: str
    canonical: str
    ticker: str | None
    kind: str
    source: str
    curated: list[str] = field(default_factory=list)
    generated: list[str] = field(default_factory=list)
    case_insensitive: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Policy:
    """Word lists that decide which generated aliases are too generic to keep."""

    common: frozenset[str]
    name_like: frozenset[str]
    seen_capitalised: frozenset[str]
    stop: frozenset[str]
    generic: tuple[str, ...]
    denied: frozenset[str]


# ------------------------------------------------------------------------------------------ inputs
def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_curated(path: Path) -> dict[str, Draft]:
    """Read curated.tsv; raise ValueError on a malformed row, unknown kind or duplicate id/alias."""
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
    ]
    header, rows = lines[0].split("\t"), lines[1:]
    if header != ["id", "canonical", "ticker", "kind", "aliases"]:
        raise ValueError(f"{path}: header must be id, canonical, ticker, kind, aliases (tab-separated)")
    drafts: dict[str, Draft] = {}
    owner: dict[str, str] = {}
    for number, line in enumerate(rows, start=2):
        cells = line.split("\t")
        if len(cells) != 5:
            raise ValueError(f"{path}: row {number} has {len(cells)} columns, expected 5: {line[:60]!r}")
        entity_id, canonical, ticker, kind, aliases = (cell.strip() for cell in cells)
        if kind not in KINDS or entity_id in drafts or (ticker and ticker != entity_id):
            raise ValueError(f"{path}: row {number} ({entity_id}): bad kind, duplicate id, or id != ticker")
        draft = Draft(entity_id, canonical, ticker or None, kind, "curated")
        for alias in aliases.split("|"):
            plain = clean_alias(alias.removeprefix("~"))
            if owner.setdefault(plain, entity_id) != entity_id:
                raise ValueError(f"{path}: alias {plain!r} given to both {owner[plain]} and {entity_id}")
            draft.curated.append(plain)
            if alias.startswith("~"):
                draft.case_insensitive.add(plain)
        drafts[entity_id] = draft
    return drafts


def reuters_vocabulary(path: Path) -> tuple[set[str], set[str], set[str]]:
    """Return the words written in lowercase in the Reuters corpus (ordinary words) and the
    capitalised words that are rarely followed by a company suffix there (mostly people and places:
    "Johnson", "Cooper", "Madison"; unlike "Pfizer Inc", "Merck and Co")."""
    lower = re.compile(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])")
    capital = re.compile(r"(?<![\w.])([A-Z][a-z]+)\b(\s+(?:" + COMPANY_FOLLOWERS + r")\b)?")
    vocabulary: set[str] = set()
    seen: Counter[str] = Counter()
    as_company: Counter[str] = Counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["text"]
            vocabulary.update(lower.findall(text))
            for word, follower in capital.findall(text):
                seen[word] += 1
                as_company[word] += bool(follower)
    name_like = {
        w
        for w, n in seen.items()
        if n >= NAME_LIKE_MIN_SEEN and as_company[w] < NAME_LIKE_MAX_COMPANY_SHARE * n
    }
    return vocabulary, name_like, set(seen)


def load_policy(data: Path) -> Policy:
    from spacy.lang.en.stop_words import STOP_WORDS

    vocabulary, name_like, capitalised = reuters_vocabulary(data / "news" / "reuters21578.jsonl")
    common = vocabulary | set(STOP_WORDS)
    generic = sorted(
        {t.casefold() for t in read_term_list(gazetteer_dir() / "generic_terms.txt")},
        key=lambda term: (-len(term), term),
    )
    denied = {normalize_alias(t) for t in read_term_list(gazetteer_dir() / "denylist.txt")}
    return Policy(
        frozenset(common),
        frozenset(name_like),
        frozenset(capitalised),
        frozenset(STOP_WORDS),
        tuple(generic),
        frozenset(denied),
    )


# ------------------------------------------------------------------------------------ name forms
def casing_map(names: list[str]) -> dict[str, str]:
    """Most frequent written form of each word in mixed-case names ("citic" -> "CITIC")."""
    counts: dict[str, Counter[str]] = {}
    for name in names:
        if name.upper() != name:
            for token in name.split():
                counts.setdefault(token.casefold(), Counter())[token] += 1
    return {word: min(c, key=lambda form: (-c[form], form)) for word, c in counts.items()}


def smart_title(name: str, reference: dict[str, str], common: frozenset[str]) -> str:
    """Title-case an all-caps name ("LI AUTO" -> "Li Auto", "HK & CHINA GAS" -> "HK & China Gas")."""
    if name.upper() != name:
        return name
    words = []
    for position, token in enumerate(name.split()):
        lower = token.casefold()
        letters = [c for c in lower if c.isalpha()]
        if lower in reference:
            words.append(reference[lower])
        elif position and lower in SMALL_WORDS:
            words.append(lower)
        elif not letters or (len(letters) <= 4 and lower not in common) or not VOWELS & set(letters):
            words.append(token)
        else:
            words.append("-".join(part[:1].upper() + part[1:].lower() for part in token.split("-")))
    return " ".join(words)


def title_caps_runs(name: str, reference: dict[str, str], common: frozenset[str]) -> str:
    """Title-case the all-caps words of a mixed-case name by `smart_title`'s rules ("NEWMONT Corp"
    -> "Newmont Corp", "PROCTER & GAMBLE Co" -> "Procter & Gamble Co"); words of four letters or
    fewer stay in capitals unless `reference` or `common` knows them ("CVS HEALTH Corp" -> "CVS
    Health Corp", "ELI LILLY" -> "ELI Lilly").
    """
    if name.upper() == name:
        return smart_title(name, reference, common)
    out: list[str] = []
    run: list[str] = []
    for token in name.split() + [""]:
        if token and token.upper() == token and any(c.isalpha() for c in token):
            run.append(token)
            continue
        if run:
            out.append(smart_title(" ".join(run), reference, common))
            run = []
        if token:
            out.append(token)
    return " ".join(out)


def name_forms(name: str) -> list[str]:
    """A full name and its forms with legal suffixes removed one by one (the core last)."""
    name = re.sub(r",(?=\S)", ", ", clean_alias(SEC_SUFFIX.sub("", name)))
    forms = [" ".join(tokens).rstrip(" ,") for tokens in strip_legal_suffixes(name.split())]
    return list(dict.fromkeys(form for form in forms if form))


# ----------------------------------------------------------------------------------- generators
def hkex_drafts(data: Path, reference: dict[str, str], policy: Policy) -> list[Draft]:
    """Hong Kong equities and REITs: HKEX short names plus FinanceDatabase full names."""
    securities = data / "securities"
    fd = {
        r["symbol"]: r
        for r in read_csv(securities / "financedatabase" / "equities_HKG.csv")
        if r["delisted"] != "True"
    }
    drafts = []
    for row in read_csv(securities / "hkex_list_of_securities_2025-12-31.csv"):
        code, short = row["Stock Code"], row["Name of Securities"].strip()
        if (
            row["Category"] not in {"Equity", "Real Estate Investment Trusts"}
            or row["Sub-Category"] in HK_SKIP_SUBCATEGORIES
            or not code.startswith("0")
            or short.endswith("-OLD")
        ):
            continue
        ticker = f"{code[1:]}.HK"
        full = fd.get(ticker)
        if full and (
            not full["name"].strip() or full["isin"] and row["ISIN"] and full["isin"] != row["ISIN"]
        ):
            full = None  # the code was reused by another company since FinanceDatabase's snapshot
        local = casing_map([full["name"]]) if full else {}
        base, _, marker = short.rpartition("-") if re.search(r"-[A-Z]+$", short) else (short, "", "")
        base = base if marker in HK_MARKERS_KEPT | {"NEW"} else short
        titled = smart_title(base, {**reference, **local}, policy.common)
        aliases = name_forms(titled)[-ALIAS_FORMS:]
        if marker in HK_MARKERS_KEPT:
            aliases += [short, f"{titled}-{marker}"]
        canonical = titled
        if full:
            forms = name_forms(full["name"])
            aliases += forms[-ALIAS_FORMS:]
            canonical = forms[0]
        drafts.append(Draft(ticker, canonical, ticker, "company", "hkex", generated=aliases))
    return drafts


def mainland_drafts(data: Path, hk_keys: set[str]) -> list[Draft]:
    """Shanghai and Shenzhen A-shares; a company also listed in Hong Kong keeps its HK line."""
    drafts = []
    for exchange in ("SHH", "SHZ"):
        for row in read_csv(data / "securities" / "financedatabase" / f"equities_{exchange}.csv"):
            code, _, suffix = row["symbol"].partition(".")
            if row["delisted"] == "True" or not MAINLAND_CODE[suffix].match(code):
                continue
            forms = name_forms(row["name"])
            if not forms or normalize_alias(forms[0]) in hk_keys:
                continue
            drafts.append(
                Draft(
                    row["symbol"],
                    forms[0],
                    row["symbol"],
                    "company",
                    "financedatabase",
                    generated=forms[-ALIAS_FORMS:],
                )
            )
    return drafts


def us_listings(data: Path) -> dict[str, tuple[str, bool, str]]:
    """Exchange-listed US symbols (Yahoo form) -> (security name, is ETF, source)."""
    securities = data / "securities"
    listed: dict[str, tuple[str, bool, str]] = {}
    for row in read_csv(securities / "nasdaq-listed-symbols.csv"):
        if row["Symbol"] and row["Test Issue"] == "N":
            listed[row["Symbol"]] = (row["Security Name"], row["ETF"] == "Y", "nasdaq")
    for row in read_csv(securities / "other-listed.csv"):
        if row["Test Issue"] == "N":
            symbol = row["ACT Symbol"].replace(".", "-")
            listed.setdefault(symbol, (row["Security Name"], row["ETF"] == "Y", "nyse"))
    for row in read_csv(securities / "nyse-listed.csv"):
        listed.setdefault(row["ACT Symbol"].replace(".", "-"), (row["Company Name"], False, "nyse"))
    return listed


def sec_drafts(
    data: Path,
    listed: dict[str, tuple[str, bool, str]],
    reference: dict[str, str],
    policy: Policy,
    outside_casing: dict[str, str],
) -> list[Draft]:
    """US-listed companies (incl. ADRs) from SEC company tickers: one line per company, listed only."""
    rows = json.loads((data / "securities" / "sec_company_tickers.json").read_text(encoding="utf-8"))
    seen: set[int] = set()
    drafts = []
    for row in rows.values():  # ordered by market value: a company's first listed ticker is its main one
        security = listed.get(row["ticker"])
        if (
            row["cik_str"] in seen
            or security is None
            or security[1]
            or NOT_COMMON_EQUITY.search(security[0])
            or re.search(r"\bAcquisition\b", row["title"], re.I)
        ):
            continue
        seen.add(row["cik_str"])
        forms = name_forms(smart_title(row["title"], reference, policy.common))
        # "NEWMONT Corp" is written "Newmont" in news: the all-caps words title-cased, judged by
        # the casing of names outside the SEC list (whose mixed names carry the same all-caps words)
        titled = name_forms(title_caps_runs(row["title"], outside_casing, policy.common))
        if forms:
            drafts.append(
                Draft(
                    row["ticker"],
                    titled[0] if titled else forms[0],
                    row["ticker"],
                    "company",
                    "sec",
                    generated=list(dict.fromkeys(forms[-ALIAS_FORMS:] + titled[-ALIAS_FORMS:])),
                )
            )
    return drafts


def etf_drafts(data: Path, listed: dict[str, tuple[str, bool, str]]) -> list[Draft]:
    """ETFs by full name: NYSE Arca from FinanceDatabase, then other US-listed ETFs."""
    drafts = {}
    for row in read_csv(data / "securities" / "financedatabase" / "etfs_PCX.csv"):
        if row["symbol"] in listed:
            drafts[row["symbol"]] = Draft(
                row["symbol"],
                row["name"],
                row["symbol"],
                "fund",
                "financedatabase",
                generated=[clean_alias(row["name"])],
            )
    for symbol, (name, is_etf, source) in sorted(listed.items()):
        if is_etf and symbol not in drafts:
            drafts[symbol] = Draft(
                symbol, clean_alias(name), symbol, "fund", source, generated=[clean_alias(name)]
            )
    return list(drafts.values())


# -------------------------------------------------------------------------------------- policy
def rejection(alias: str, key: str, policy: Policy, draft: Draft) -> str | None:
    """Why a generated alias is dropped (None: keep it)."""
    if sum(c.isalpha() for c in alias) < 3:
        return "short"
    if key in policy.denied:
        return "denylist"
    words = clean_alias(alias).split()
    core = strip_legal_suffixes(words)[-1]
    if len(key) < MIN_KEY_CHARS:  # "WH Group", "BP plc": kept as written, never looked up by "WH"
        return None if " ".join(core).upper() == " ".join(core) else "short"
    rest = f" {key} "
    for term in policy.generic:
        rest = rest.replace(f" {term} ", " ")
    if all(t in policy.stop or not re.search(r"\w", t) for t in rest.split()):
        return "generic"
    if len(core) < len(words) or len(core) > 1:
        return None  # "Target Corp", "Sabre Corp": precise as written; the bare core never resolves
    return bare_word_rejection(core[0], policy, draft)


def bare_word_rejection(word: str, policy: Policy, draft: Draft) -> str | None:
    """Why a one-word alias ("Pfizer", "Johnson") is too likely to mean something else."""
    if word.casefold() in policy.common:
        return "common_word"
    if re.fullmatch(r"[A-Z][a-z]{2,3}", word):
        return "short_word"  # "Eva", "Dave", "Moon", "Gogo": first names and words more often than firms
    if word in policy.name_like:
        return "name_like"
    if word in policy.seen_capitalised and draft.id.endswith((".HK", ".SS", ".SZ")):
        return "western_name"  # an HK/mainland company called "Contel" or "Esprit" is rarely the one meant
    return None


def validate_tickers(drafts: dict[str, Draft], known: set[str]) -> None:
    """Curated HK, mainland and US tickers must exist in the securities lists we hold."""
    checkable = re.compile(r"^[A-Z][A-Z\-]*$|\.(HK|SS|SZ)$")
    missing = [
        d.ticker
        for d in drafts.values()
        if d.ticker and d.kind != "index" and checkable.search(d.ticker) and d.ticker not in known
    ]
    if missing:
        raise ValueError(f"curated tickers not found in any securities list: {sorted(missing)}")


def merge(curated: dict[str, Draft], generated: list[Draft]) -> dict[str, Draft]:
    """Merge generated drafts into curated ones (and each other) by ticker; first source wins."""
    merged = dict(curated)
    for draft in generated:
        target = merged.get(draft.id)
        if target is None:
            merged[draft.id] = draft
        else:
            target.generated.extend(a for a in draft.generated if a not in target.generated)
    return merged


def select_aliases(
    drafts: dict[str, Draft], policy: Policy
) -> tuple[dict[str, list[str]], list[tuple[str, ...]]]:
    """Apply the alias policy; return kept aliases per id and the dropped ones as (reason, id, alias)."""
    dropped: list[tuple[str, ...]] = []
    candidates: dict[str, dict[str, bool]] = {}  # id -> alias -> curated?
    by_key: dict[str, set[str]] = {}
    for draft in drafts.values():
        chosen = candidates.setdefault(draft.id, {})
        for alias in draft.curated:
            if normalize_alias(alias) in policy.denied:
                dropped.append(("denylist", draft.id, alias))
                continue
            chosen[alias] = True
        for alias in dict.fromkeys(clean_alias(a) for a in draft.generated):
            if alias in chosen:
                continue
            reason = rejection(alias, normalize_alias(alias), policy, draft)
            if reason:
                dropped.append((reason, draft.id, alias))
                continue
            chosen[alias] = False
        for alias in chosen:
            by_key.setdefault(normalize_alias(alias), set()).add(draft.id)
    winners = {key: ambiguity_winner(ids, drafts) for key, ids in by_key.items() if len(ids) > 1}
    kept: dict[str, list[str]] = {}
    for entity_id, chosen in candidates.items():
        aliases = []
        for alias, is_curated in chosen.items():
            key = normalize_alias(alias)
            if is_curated or key not in winners or winners[key] == {entity_id}:
                aliases.append(alias)
            else:
                dropped.append(("ambiguous", entity_id, alias))
        if aliases or drafts[entity_id].source == "curated":
            kept[entity_id] = aliases
    return kept, dropped


def ambiguity_winner(ids: set[str], drafts: dict[str, Draft]) -> set[str]:
    """Who keeps a shared key: curated entities, else a single Hong Kong line, else nobody."""
    curated = {i for i in ids if drafts[i].source == "curated"}
    if curated:
        return curated
    hong_kong = {i for i in ids if i.endswith(".HK")}
    return hong_kong if len(hong_kong) == 1 else set()


# -------------------------------------------------------------------------------------- output
def patterns_for(draft: Draft, aliases: list[str], tokenizer) -> list[dict]:
    label = draft.kind.upper()
    patterns = []
    for alias in aliases:
        if alias in draft.case_insensitive:
            tokens = [{"LOWER": t.lower_} for t in tokenizer(alias)]
            patterns.append({"label": label, "pattern": tokens, "id": draft.id})
        else:
            patterns.append({"label": label, "pattern": alias, "id": draft.id})
    return patterns


def build(data: Path) -> tuple[str, str, dict, list[tuple[str, ...]]]:
    """Return the text of kb.jsonl and patterns.jsonl, build statistics and the dropped aliases."""
    import spacy

    curated = load_curated(gazetteer_dir() / "curated.tsv")
    policy = load_policy(data)
    securities = data / "securities"
    fd_rows = [
        r
        for f in ("HKG", "SHH", "SHZ")
        for r in read_csv(securities / "financedatabase" / f"equities_{f}.csv")
    ]
    sec_titles = [
        r["title"] for r in json.loads((securities / "sec_company_tickers.json").read_text()).values()
    ]
    reference = casing_map(
        [r["name"] for r in fd_rows] + sec_titles + [d.canonical for d in curated.values()]
    )
    listed = us_listings(data)
    hk = hkex_drafts(data, reference, policy)
    hk_keys = {normalize_alias(a) for d in hk for a in d.generated}
    outside_casing = casing_map([r["name"] for r in fd_rows] + [d.canonical for d in curated.values()])
    sec = sec_drafts(data, listed, reference, policy, outside_casing)
    generated = hk + mainland_drafts(data, hk_keys) + sec
    generated += etf_drafts(data, listed)
    hkex = read_csv(securities / "hkex_list_of_securities_2025-12-31.csv")
    known = {f"{r['Stock Code'][1:]}.HK" for r in hkex} | {r["symbol"] for r in fd_rows} | set(listed)
    validate_tickers(curated, known)
    drafts = merge(curated, generated)
    kept, dropped = select_aliases(drafts, policy)
    tokenizer = spacy.blank("en").tokenizer
    kb_lines, pattern_rows = [], []
    for entity_id in sorted(kept):
        draft = drafts[entity_id]
        kb_lines.append(
            json.dumps(
                {
                    "id": draft.id,
                    "canonical": draft.canonical,
                    "ticker": draft.ticker,
                    "kind": draft.kind,
                    "aliases": kept[entity_id],
                    "source": draft.source,
                },
                ensure_ascii=False,
            )
        )
        pattern_rows += patterns_for(draft, kept[entity_id], tokenizer)
    pattern_lines = [json.dumps(p, ensure_ascii=False) for p in pattern_rows]
    stats = {
        "entities": len(kb_lines),
        "by_kind": dict(Counter(drafts[i].kind for i in kept)),
        "by_source": dict(Counter(drafts[i].source for i in kept)),
        "aliases": sum(len(a) for a in kept.values()),
        "patterns": len(pattern_lines),
        "dropped": dict(Counter(reason for reason, *_ in dropped)),
    }
    return "\n".join(kb_lines) + "\n", "\n".join(pattern_lines) + "\n", stats, dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared-data", type=Path, default=None, help="default: pipeline.paths.shared_data_dir()"
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder (default configs/gazetteer)")
    parser.add_argument("--check", action="store_true", help="fail if the committed files are out of date")
    parser.add_argument("--report", type=Path, default=None, help="write the dropped aliases (TSV) here")
    args = parser.parse_args(argv)
    data = args.shared_data or shared_data_dir()
    if not (data / "securities").is_dir():
        raise SystemExit(f"securities lists not found under {data}; set FINNEWS_SHARED_DATA or --shared-data")
    kb_text, patterns_text, stats, dropped = build(data)
    if args.report:
        args.report.write_text("".join("\t".join(row) + "\n" for row in sorted(dropped)), encoding="utf-8")
    out = args.out or gazetteer_dir()
    print(json.dumps(stats, indent=1, sort_keys=True))
    if args.check:
        stale = [
            name
            for name, text in (("kb.jsonl", kb_text), ("patterns.jsonl", patterns_text))
            if not (out / name).exists() or (out / name).read_text(encoding="utf-8") != text
        ]
        if stale:
            print(f"out of date: {', '.join(stale)}; run scripts/build_gazetteer.py", file=sys.stderr)
            return 1
        return 0
    out.mkdir(parents=True, exist_ok=True)
    (out / "kb.jsonl").write_text(kb_text, encoding="utf-8")
    (out / "patterns.jsonl").write_text(patterns_text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
