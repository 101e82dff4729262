"""Who speaks in an attribution: organisations and people inside a source phrase.

A source phrase is the part of a sentence that names the speaker ("UBS's head of China Internet
research, Fang Jincong", "Mark Luftig, an analyst at Salomon Brothers Inc", "Morgan Stanley analyst
Walter Loeb", "an analyst from a foreign TMT institution"). `sources_in` returns one `Source` per
organisation (a person is paired with the organisation nearest to them), `unnamed` for a withheld
organisation, or nothing for generic speakers ("analysts", "experts") and news outlets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from pipeline.institutions import InstitutionResolver, views_dir
from pipeline.offices import load_offices
from pipeline.wordlists import word_set

_JOINERS = frozenset(
    {"&", "and", "-", ".", "'", "de", "du", "van", "von", "der", "la", "del", "en", "und", "et"}
)  # "CLN Oyens en van Eeghen", "Trinkaus und Burkhardt"
_APPOSITION_STARTS = frozenset({"a", "an", "the", "which", "who", "whose", "one"})
UNNAMED = "unnamed"


@dataclass(frozen=True)
class AttributionConfig:
    """Word lists from `configs/views/attribution.yaml`, as frozensets of lower-case words."""

    frame_ids: tuple[str, ...]
    reporting_verbs: frozenset[str]
    rating_verbs: frozenset[str]
    rating_objects: frozenset[str]
    document_nouns: frozenset[str]
    data_nouns: frozenset[str]
    role_nouns: frozenset[str]
    generic_sources: frozenset[str]
    unnamed_institution_nouns: frozenset[str]
    unnamed_person_nouns: frozenset[str]
    contrast_openers: tuple[tuple[str, ...], ...]
    continuation_subjects: tuple[tuple[str, ...], ...]
    editorial_labels: tuple[str, ...]
    financial_name_words: frozenset[str]
    financial_roles: frozenset[str]
    firm_nouns: frozenset[str]
    market_entity_labels: frozenset[str]
    non_view_roles: frozenset[str]
    legal_suffixes: frozenset[str]
    fact_cues: tuple[tuple[str, ...], ...]
    forward_markers: frozenset[str]
    stance_adjectives: frozenset[str] = frozenset()
    linking_verbs: frozenset[str] = frozenset()
    official_bodies: tuple[str, ...] = ()
    own_conduct_subjects: frozenset[str] = frozenset()
    stance_labels: tuple[tuple[str, str], ...] = ()
    view_nouns: frozenset[str] = frozenset()
    view_verbs: frozenset[str] = frozenset({"take"})
    executive_roles: frozenset[str] = frozenset()
    withheld_firm_words: frozenset[str] = frozenset()


def parse_config(data: dict[str, Any]) -> AttributionConfig:
    """Build the attribution word lists from the parsed YAML; raise ValueError when one is missing."""

    def words(key: str) -> frozenset[str]:
        if key not in data:
            raise ValueError(f"configs/views/attribution.yaml lacks the list {key!r}")
        return word_set(data[key], f"configs/views/attribution.yaml: {key}")

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(str(p).lower().split()) for p in data.get(key, []))

    frame_ids = tuple(f["id"] for f in data.get("frames", []))
    if len(set(frame_ids)) != len(frame_ids):
        raise ValueError("frame ids in configs/views/attribution.yaml must be unique")
    return AttributionConfig(
        frame_ids=frame_ids,
        reporting_verbs=words("reporting_verbs"),
        rating_verbs=words("rating_verbs"),
        rating_objects=words("rating_objects"),
        document_nouns=words("document_nouns"),
        data_nouns=words("data_nouns"),
        role_nouns=words("role_nouns"),
        generic_sources=words("generic_sources"),
        unnamed_institution_nouns=words("unnamed_institution_nouns"),
        unnamed_person_nouns=words("unnamed_person_nouns"),
        contrast_openers=phrases("contrast_openers"),
        continuation_subjects=phrases("continuation_subjects"),
        editorial_labels=tuple(str(w).lower() for w in data.get("editorial_labels", [])),
        financial_name_words=words("financial_name_words"),
        financial_roles=words("financial_roles"),
        firm_nouns=words("firm_nouns"),
        market_entity_labels=frozenset(str(w) for w in data.get("market_entity_labels", [])),
        non_view_roles=words("non_view_roles"),
        legal_suffixes=frozenset(str(w).lower().rstrip(".") for w in data.get("legal_suffixes", [])),
        fact_cues=phrases("fact_cues"),
        forward_markers=words("forward_markers"),
        stance_adjectives=words("stance_adjectives"),
        linking_verbs=words("linking_verbs"),
        official_bodies=tuple(str(w).lower() for w in data.get("official_bodies", [])),
        own_conduct_subjects=word_set(
            data.get("own_conduct_subjects", []), "attribution.yaml: own_conduct_subjects"
        ),
        stance_labels=_stance_labels(data.get("stance_labels") or {}),
        view_nouns=word_set(data.get("view_nouns", []), "attribution.yaml: view_nouns"),
        view_verbs=word_set(data.get("view_verbs", ["take"]), "attribution.yaml: view_verbs"),
        executive_roles=word_set(data.get("executive_roles", []), "attribution.yaml: executive_roles"),
        withheld_firm_words=word_set(
            data.get("withheld_firm_words", []), "attribution.yaml: withheld_firm_words"
        ),
    )


def _stance_labels(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Labels that open a line and state the stance of the view on it, longest first."""
    stances = ("bullish", "bearish", "neutral", "mixed")
    for label, stance in data.items():
        if stance not in stances:
            raise ValueError(f"attribution.yaml: stance_labels: {label!r} has unknown stance {stance!r}")
    return tuple(sorted(((str(k).lower(), str(v)) for k, v in data.items()), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def load_config() -> AttributionConfig:
    """Load `configs/views/attribution.yaml` (cached)."""
    return parse_config(yaml.safe_load((views_dir() / "attribution.yaml").read_text(encoding="utf-8")))


@dataclass(frozen=True)
class OrgMention:
    """An organisation named in the doc: token bounds and its canonical short name."""

    start: int
    end: int
    canonical: str
    how: str
    financial: bool = True


@dataclass(frozen=True)
class Source:
    """One speaker of a view: institution (canonical), analyst (person) or None, how it was found."""

    institution: str
    analyst: str | None
    how: str
    financial: bool = True
    person_token: int | None = field(default=None, compare=False)


def alias_matcher(doc_vocab: Any, resolver: InstitutionResolver) -> PhraseMatcher:
    """Build a case-sensitive phrase matcher over every known institution alias."""
    matcher = PhraseMatcher(doc_vocab, attr="ORTH")
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    matcher.add("INSTITUTION", [tokenizer(alias) for alias in resolver.surface_aliases()])
    return matcher


def org_mentions(doc: Doc, resolver: InstitutionResolver, matcher: PhraseMatcher) -> list[OrgMention]:
    """Return the known institutions named in a doc, longest match first, without overlaps."""
    found: list[OrgMention] = []
    for _, start, end in matcher(doc):
        res = resolver.resolve(doc[start:end].text)
        if res is not None:
            found.append(OrgMention(start, end, res.canonical, res.how))
    for ent in doc.ents:
        if ent.label_ in ("INSTITUTION", "ORG") or ent.ent_id_:
            res = resolver.resolve(ent.text)
            if res is not None:
                found.append(OrgMention(ent.start, ent.end, res.canonical, res.how))
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[OrgMention] = []
    for mention in found:
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _is_name_token(token: Token) -> bool:
    return token.pos_ == "PROPN" or (token.text[:1].isupper() and token.pos_ in ("NOUN", "ADJ", "X"))


def _name_run(doc: Doc, start: int, end: int, from_right: bool) -> tuple[int, int] | None:
    """The maximal run of name tokens (with joiners like "&", "and", ",") at one edge of [start, end)."""
    idx = range(end - 1, start - 1, -1) if from_right else range(start, end)
    run: list[int] = []
    for i in idx:
        tok = doc[i]
        if _is_name_token(tok) and tok.text not in ("<", ">"):
            run.append(i)
        elif run and tok.text.lower() in _JOINERS | {","} and not tok.is_sent_start:
            run.append(i)
        elif run or tok.is_punct or tok.lower_ in ("the",):
            if run:
                break
        else:
            break
    while run and doc[run[-1]].text.lower() in _JOINERS | {","}:
        run.pop()
    if not run:
        return None
    lo, hi = min(run), max(run) + 1
    while hi > lo and doc[hi - 1].text.lower() in _JOINERS | {","}:
        hi -= 1
    while lo < hi and doc[lo].text.lower() in _JOINERS | {","}:
        lo += 1
    return (lo, hi) if hi > lo else None


def _bracketed(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Reuters marks names as "<ABK Spa>" (a company) or "<OLIV.MI>" (a ticker): the inside of a name mark."""
    for i in range(start, end):
        if doc[i].text != "<":
            continue
        for j in range(i + 1, min(end + 1, len(doc))):
            if doc[j].text == ">":
                inner = doc[i + 1 : j].text
                ticker_like = " " not in inner and inner.upper() == inner and len(inner) <= 12
                return None if j == i + 1 or ticker_like else (i + 1, j)
    return None


def split_coordination(doc: Doc, lo: int, hi: int) -> list[tuple[int, int]]:
    """ "Halbrook Partners, Crestline Securities and Marlow & Finch" -> three names; a firm named
    after its partners ("Prescott, Ball and Turben") stays one: split only when every part has two words.
    """
    parts, start = [], lo
    for i in range(lo, hi):
        if doc[i].text == "," or doc[i].lower_ == "and":
            if i > start:
                parts.append((start, i))
            start = i + 1
    if start < hi:
        parts.append((start, hi))
    if len(parts) > 1 and all(e - s >= 2 for s, e in parts):
        return parts
    return [(lo, hi)]


def _object_run(doc: Doc, prep: Token, lo: int, hi: int) -> tuple[int, int] | None:
    """The name that is the object of a preposition, with its coordinated names: "at the Wall Street
    firm Shearson Lehman Brothers" -> "Shearson Lehman Brothers"; "with Merrill Lynch, Pierce, Fenner
    and Smith" -> the whole name; "head of China Internet research" -> None (a modifier, not a name).
    """
    objects = [c for c in prep.children if c.dep_ == "pobj" and lo <= c.i < hi]
    if not objects or not _is_name_token(objects[0]):
        return None
    inside = _JOINERS | {",", "(", ")"}
    a = b = objects[0].i
    while (
        a - 1 >= lo
        and (
            _is_name_token(doc[a - 1])
            or doc[a - 1].text.lower() in inside
            or (doc[a].ent_iob_ == "I" and doc[a].ent_type_ == "ORG")  # "All Asia Capital": NER's name
        )
        and doc[a - 1].text not in "<>"
    ):
        a -= 1
    while (
        b + 1 < hi
        and doc[b + 1].text not in "<>"
        and (
            _is_name_token(doc[b + 1])
            or doc[b + 1].text.lower() in inside
            or (
                doc[b + 1].lower_ == "of" and b + 2 < hi and _is_name_token(doc[b + 2])
            )  # "League of Savings Institutions"
        )
    ):
        b += 1
    while a <= b and (doc[a].text.lower() in inside or doc[a].lower_ == "the"):
        a += 1
    while b >= a and doc[b].text.lower() in inside - {")"}:
        b -= 1
    return (a, b + 1) if b >= a else None


def _before_title(doc: Doc, start: int, i: int) -> tuple[int, int] | None:
    """The name before a title, over its modifiers and a Reuters ticker mark: "ANZ Banking Group Ltd
    <ANZA.S> senior economist", "<Lloyds Bank NZA Ltd> chief economist", "Morgan Stanley analyst".
    """
    j = i
    while (
        j - 1 >= start
        and not _is_name_token(doc[j - 1])
        and doc[j - 1].text not in (">", ",")
        and (doc[j - 1].dep_ in ("amod", "compound", "nmod") or doc[j - 1].pos_ in ("ADJ", "NOUN"))
        and doc[j - 1].text.islower()
    ):
        j -= 1
    if j - 1 >= start and doc[j - 1].text == ">":
        opening = next((k for k in range(j - 2, max(start, j - 10) - 1, -1) if doc[k].text == "<"), None)
        if opening is not None:
            inner = _bracketed(doc, opening, j)
            if inner is not None:
                return inner
            j = opening
    return _name_run(doc, start, j, from_right=True)


def _person_or_role_before(doc: Doc, start: int, i: int, cfg: AttributionConfig) -> bool:
    """Tell whether a person or a title ends right before the "of" at `i`.

    "president of X", "Stephen Slifer of X", "Jeffrey Miller, of X", "Thom Brown of X" (a two- or
    three-word name the tagger missed), but not "Bank of Tokyo" (part of a name).
    """
    j = i - 1
    if doc[j].text == "," and j > start:
        j -= 1
    if doc[j].lower_ in cfg.role_nouns or doc[j].ent_type_ == "PERSON":
        return True
    k = j
    # a first name the tagger takes for a noun counts ("Alain Mercier of Cholet-Dupont")
    while k >= start and _is_name_token(doc[k]) and doc[k].lower_ not in cfg.role_nouns and j - k < 3:
        k -= 1
    words = doc[k + 1 : j + 1]
    generic = cfg.financial_name_words | cfg.generic_sources | cfg.legal_suffixes
    # an organisation NER closes before the "of" is a misread person ("Sandra Holt of Burns Fry");
    # one that runs on over the "of" is a name of its own ("Bank of Tokyo")
    name_labels = (
        ("GPE", "NORP", "LOC")
        if doc[j].ent_iob_ != "O" and doc[j + 1].ent_iob_ != "I"
        else ("GPE", "ORG", "NORP", "LOC")
    )
    return (
        2 <= len(words) <= 3
        and (k < start or doc[k].pos_ != "PROPN")
        and not any(t.lower_ in generic or t.ent_type_ in name_labels for t in words)
    )


def _slot_orgs(
    doc: Doc, region: tuple[int, int], cfg: AttributionConfig
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Organisation spans in the slots a title opens: objects of "analyst at/with/for X" (first list)
    and names before a title, "Morgan Stanley analyst", "SPI Asset Management's Steven Innes" (second).
    """
    start, end = region
    objects: list[tuple[int, int]] = []
    before_title: list[tuple[int, int]] = []
    for i in range(start, end):
        tok = doc[i]
        # "president of X", "Stephen Slifer of Shearson Lehman", but not "Bank of Tokyo" (part of a name)
        of_role = tok.lower_ == "of" and i > start and _person_or_role_before(doc, start, i, cfg)
        # a region may open on a fronted "At X," ("At Hambrecht and Quist, analyst Robert Kaminski")
        if (tok.lower_ in ("at", "with", "from", "for") or of_role) and (i > start or tok.text == "At"):
            # the object runs to the end of the phrase or an apposition (", a local stockbroking firm")
            j = i + 1
            while j < end and not (
                doc[j].text == "," and j + 1 < end and doc[j + 1].lower_ in _APPOSITION_STARTS
            ):
                j += 1
            inner = _bracketed(doc, i + 1, min(len(doc), j + 1)) or _object_run(doc, tok, i + 1, j)
            if inner is None and j - i > 2:
                inner = _bracketed(doc, i + 1, min(end, j + 8))
            if inner is not None:
                # "head of equities at Jardine Fleming Securities Co, Mario Malt": the person set off
                # after the firm is no second firm
                parts = split_coordination(doc, *inner)
                objects.extend(
                    (lo, hi)
                    for n, (lo, hi) in enumerate(parts)
                    if n == 0 or not all(doc[k].ent_type_ == "PERSON" for k in range(lo, hi))
                )
        if (
            tok.lower_ in cfg.firm_nouns
            and (tok.is_lower or i == start)
            and i + 1 < end
            and _is_name_token(doc[i + 1])
        ):
            # "brokers Samuel Montagu and Co Ltd", "stockbroker James Capel": the name is the firm;
            # a capitalised firm noun is part of a name ("Lloyds Bank NZA Ltd chief economist")
            named = _name_run(doc, i + 1, end, from_right=False)
            if named is not None:
                objects.append(named)
        if tok.lower_ in cfg.role_nouns or tok.text in ("'s", "’s", "'", "’"):
            left = _before_title(doc, start, i)
            if left is not None:
                before_title.extend(split_coordination(doc, *left))
    return objects, before_title


def person_spans(
    doc: Doc, region: tuple[int, int], orgs: list[tuple[int, int]], cfg: AttributionConfig
) -> list[Span]:
    """People named in a source phrase: PERSON entities, else a name right after a title."""
    start, end = region
    taken = {i for lo, hi in orgs for i in range(lo, hi)}
    people = [
        e
        for e in doc.ents
        if e.label_ == "PERSON"
        and start <= e.start
        and e.end <= end
        and not (set(range(e.start, e.end)) & taken)
        and not e.text.isupper()
        and not any(t.lower_ in cfg.role_nouns or t.text in ("<", ">") for t in e)
        and not (e.start > 0 and doc[e.start - 1].text == "<")
        and e[-1].lower_ not in cfg.financial_name_words  # "Tianfu Grand Capital" is a firm
    ]
    people = [_trim_person(p) for p in people]
    if people:
        return people
    i = start
    while i < end:
        j = i
        while (
            j < end
            and j - i < 3
            and _is_name_token(doc[j])
            and doc[j].text[:1].isupper()
            and j not in taken
            and doc[j].lower_ not in cfg.role_nouns
        ):
            j += 1
        if j - i < 2 or any(doc[k].ent_type_ in ("GPE", "NORP", "ORG", "LOC") for k in range(i, j)):
            i += 1
            continue
        before = doc[i - 1] if i > start else None
        after = doc[j] if j < end else None
        after_role = (
            after is not None
            and after.text == ","
            and j + 1 < end
            and any(doc[k].lower_ in cfg.role_nouns for k in range(j + 1, min(end, j + 6)))
        )
        after_title = before is not None and (before.lower_ in cfg.role_nouns or before.text == ",")
        # "Thom Brown of Butcher and Singer": a name whose firm follows
        of_at = j + 1 if after is not None and after.text == "," else j
        before_firm = (
            of_at < end and doc[of_at].lower_ == "of" and _person_or_role_before(doc, start, of_at, cfg)
        )
        if (after_title and (after is None or after.pos_ != "PROPN")) or after_role or before_firm:
            people.append(doc[i:j])
            i = j
        else:
            i += 1
    return people


def _trim_person(person: Span) -> Span:
    """Drop a preposition the NER took into a name: "said Declan Yiu of Tidewater" -> "Declan Yiu"."""
    end = person.end
    while end - person.start > 1 and person.doc[end - 1].lower_ in ("of", "at", "from", "with", "and", ","):
        end -= 1
    return person.doc[person.start : end]


def _generic_name(doc: Doc, lo: int, hi: int, cfg: AttributionConfig) -> bool:
    """A name made only of generic words ("Ministry", "Bank") or a place ("Milan") names nobody."""
    words = [t for t in doc[lo:hi] if not t.is_punct]
    generic = cfg.financial_name_words | cfg.generic_sources | cfg.legal_suffixes
    if all(t.lower_.rstrip(".") in generic for t in words):
        return True
    return all(t.ent_type_ in ("GPE", "NORP", "LOC", "DATE") for t in words)


def _is_financial(name: str, how: str, cfg: AttributionConfig) -> bool:
    return how != "surface" or any(w.lower().strip(",.") in cfg.financial_name_words for w in name.split())


def _unnamed(doc: Doc, region: tuple[int, int], cfg: AttributionConfig) -> bool:
    """ "an analyst from a foreign TMT institution": one analyst of a withheld organisation."""
    tokens = doc[region[0] : region[1]]
    root = tokens.root if len(tokens) else None
    if root is not None and _withheld_firm(root, cfg):
        return True
    for tok in tokens:
        if tok.lower_ in cfg.unnamed_person_nouns and any(
            c.lower_ in ("a", "an", "one") for c in tok.children
        ):
            for prep in tok.children:
                if prep.lower_ in ("from", "at", "with", "of"):
                    if any(t.lemma_.lower() in cfg.unnamed_institution_nouns for t in prep.subtree):
                        return True
                # "a hedge fund manager, who declined to be named,": a person whose name is withheld
                if prep.dep_ in ("relcl", "acl") and any(t.lower_ in _WITHHELD for t in prep.subtree):
                    return True
    return False


_WITHHELD = frozenset({"named", "identified", "anonymity"})


def _withheld_firm(root: Token, cfg: AttributionConfig) -> bool:
    """ "another brokerage house", "a major securities firm": one firm whose name is withheld."""
    if root.lemma_.lower() not in cfg.unnamed_institution_nouns or root.lower_ not in cfg.firm_nouns:
        return False
    left = list(root.lefts)
    return any(t.lower_ in ("a", "an", "another", "one") for t in left) and any(
        t.lower_ in cfg.withheld_firm_words for t in [*left, root]
    )


def sources_in(
    doc: Doc,
    region: tuple[int, int],
    known: list[OrgMention],
    resolver: InstitutionResolver,
    cfg: AttributionConfig,
    subject_org: str = "",
) -> list[Source]:
    """Return the speakers named in a source phrase (empty for generic speakers and outlets).

    `subject_org` lets a bare name that is the whole subject count as the organisation:
    "any" (a rating action: "Piper Sandler upgraded ..."), "document" (a name that speaks through
    a report or note, unless NER reads a person: "Wood Mackenzie said in its monthly review"),
    "financial" (only names that look like a financial firm: "Whale Securities said ...") or ""
    (never).
    """
    start, end = region
    if any(doc[i].lower_ in cfg.non_view_roles for i in range(start, end)):
        return []  # "a company spokeswoman said": the company's own affairs, not a market view
    if any(
        doc[i].lemma_.lower() in cfg.data_nouns or doc[i].lower_ in cfg.data_nouns for i in range(start, end)
    ):
        return []  # "according to CITIC Securities statistics": a data source, not a view
    orgs = [m for m in known if start <= m.start and m.end <= end]
    objects, before_title = _slot_orgs(doc, region, cfg)
    # "Tom Barlow of Pruett and Singer", "brokers Samuel Montagu": the firm after a person's "of" or
    # after a firm noun is no person, whatever NER says ("from Jane Doe, ..." still names a person)
    firms = [(lo, hi) for lo, hi in objects if lo > 0 and _firm_slot(doc, lo, cfg)]
    # "Forsyth Barr's head of equities, Tom McAllister": a name whose title follows its "'s" is the firm
    firms += [
        (lo, hi)
        for lo, hi in before_title
        if hi + 1 < end and doc[hi].text in ("'s", "’s") and doc[hi + 1].lower_ in cfg.role_nouns
    ]
    people = person_spans(doc, region, [(m.start, m.end) for m in orgs] + firms, cfg)
    taken = {i for p in people for i in range(p.start, p.end)} | {
        i for m in orgs for i in range(m.start, m.end)
    }
    # "Nickel analyst Ilmar Martens at Walwyn Stodgell": the object of "at" names the firm; a name
    # before the title may be a sector, so it counts only when no firm is named otherwise.
    if objects or orgs:
        before_title = [(lo, hi) for lo, hi in before_title if resolver.resolve(doc[lo:hi].text)]
    candidates = [(lo, hi, True) for lo, hi in objects + before_title]
    if subject_org and not orgs and not candidates:
        run = _name_run(doc, start, end, from_right=False)
        if run is not None:
            candidates = [(lo, hi, False) for lo, hi in split_coordination(doc, *run)]
            if subject_org == "any":  # "Piper Sandler upgraded ...": a firm, whatever NER thought
                people, taken = [], set()
    for lo, hi, in_slot in candidates:
        if taken & set(range(lo, hi)) or any(doc[k].lower_ in cfg.role_nouns for k in range(lo, hi)):
            continue
        text = doc[lo:hi].text
        if resolver.is_outlet(text) or _generic_name(doc, lo, hi, cfg):
            continue
        res = resolver.canonical(text)
        financial = res.kind == "institution" or _is_financial(res.canonical, "surface", cfg)
        if res.canonical and (in_slot or financial or subject_org in ("any", "document")):
            orgs.append(OrgMention(lo, hi, res.canonical, res.how, financial))
            taken |= set(range(lo, hi))
    office = load_offices().institution(doc[start:end].text)
    if office is not None:  # "Treasury Secretary James Baker": the office names the institution
        orgs = [m for m in orgs if m.how != "surface"] or [OrgMention(start, end, office, "office", True)]
    if not orgs:
        return [Source(UNNAMED, None, "unnamed")] if _unnamed(doc, region, cfg) else []
    # "strategists at X", "director at Milan investment bank <X>": the phrase says X is a financial firm
    region_words = {doc[i].lower_.rstrip("s") for i in range(start, end) if not doc[i].is_title or i == start}
    if region_words & {w.rstrip("s") for w in cfg.financial_roles | cfg.financial_name_words}:
        orgs = [OrgMention(m.start, m.end, m.canonical, m.how, True) for m in orgs]
    orgs.sort(key=lambda m: m.start)
    if not people:
        return _dedupe([Source(m.canonical, None, m.how, m.financial) for m in orgs])
    sources = []
    for person in people:
        nearest = min(orgs, key=lambda m: min(abs(m.start - person.end), abs(person.start - m.end)))
        sources.append(Source(nearest.canonical, person.text, nearest.how, nearest.financial, person.start))
    return _dedupe(sources)


def _firm_slot(doc: Doc, lo: int, cfg: AttributionConfig) -> bool:
    """The name at `lo` is a firm's: after a firm noun ("brokers Samuel Montagu"), a person's "of"
    ("Tom Barlow of Pruett and Singer") or a title's "at"/"with" ("strategist at Charles Schwab")."""
    before = doc[lo - 1].lower_
    if before in cfg.firm_nouns or before == "of":
        return True
    if before not in ("at", "with"):
        return False
    # "strategist at Charles Schwab", or a fronted "At Berenberg, analyst Sophie Lindqvist said"
    return doc[lo - 1].is_sent_start or (
        lo > 1 and doc[lo - 2].lower_ in cfg.role_nouns | cfg.financial_roles
    )


def _dedupe(sources: list[Source]) -> list[Source]:
    seen, out = set(), []
    for s in sources:
        if (s.institution, s.analyst) not in seen:
            seen.add((s.institution, s.analyst))
            out.append(s)
    return out
