"""Resolve the noun that names what moved into subjects.

Linked entities (gazetteer/KB), coordinated names ("A, B and C" -> three), group members ("names,
including A and B"), national markets named generically ("Japanese shares" -> Nikkei 225),
commodities, currencies, groups as written ("gold miners") and coreference ("the index", "its
shares") to the latest fitting subject before it (`SubjectHistory`).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline.components.homemarket import HomeMarket, HomeMarkets, load_home_markets
from pipeline.components.movelex import MoveLexicon
from pipeline.components.namelists import joins_one_name
from pipeline.components.names import NamingRules
from pipeline.components.subjects import (
    _DASHES,
    EXCLUDED,
    SHARE_WORDS,
    Subject,
    SubjectHistory,
    _child,
    _is_nominal,
    entity_subject,
    phrase_tokens,
)
from pipeline.components.surface import verb_above

# How far into a paragraph its lead may name the market it reports ("In late Seoul trade, ...").
_LEAD_CHARS = 40
_JOINERS = frozenset({"the", "of", "and", "&"})
# A round-up paragraph's dateline: "BRUSSELS - ", "SAO PAULO -- ", "ZURICH, June 3 - ".
_DATELINE = re.compile(r"[A-Z][A-Z. ]{2,30}(?:,[^-\n]{0,20})?\s+-{1,2}\s")


class SubjectResolver(NamingRules):
    """Turn the head of a subject phrase into resolved subjects (see the module docstring)."""

    def __init__(self, lexicon: MoveLexicon, home_markets: HomeMarkets | None = None) -> None:
        self.lexicon = lexicon
        self.home_markets = home_markets or load_home_markets()

    # ------------------------------------------------------------------ public
    def resolve(self, head: Token, history: SubjectHistory) -> list[Subject] | None:
        """Return the subjects named by `head` and its coordinated phrases.

        An empty list means nothing recognisable; None means the phrase names something that is
        not a price (GDP, a rate, earnings ...) and the move must be dropped.
        """
        subjects: list[Subject] = []
        heads = [head, *self._conjuncts(head)]
        for item in heads:
            if item.i > 0 and joins_one_name(item.doc[item.i - 1]):
                continue  # "Deere and Co", "Pohang Iron and Steel": one name, not two
            found = self._resolve_one(item, history)
            if found is None:
                if item.i == head.i:
                    return None
                continue
            subjects.extend(found)
        return _unique(subjects)

    # ------------------------------------------------------------------ helpers
    def _conjuncts(self, head: Token) -> list[Token]:
        found = []
        for child in head.children:
            if child.dep_ == "conj" and _is_nominal(child) and not self._has_own_move(child):
                found.append(child)
                found.extend(self._conjuncts(child))
        return found

    def _split_index_phrase(self, head: Token, tokens: list[Token]) -> Subject | None:
        """ "The properties sub-index added 31 points": the parser reads "properties" as a subject of
        its own (of the verb, or of "sub-index" taken for a verb); with the index word after it, it
        names one index."""
        doc = head.doc
        index_heads = self.lexicon.index_heads
        after = tokens[-1].i + 1
        if head.lower_ not in index_heads and (after >= len(doc) or doc[after].lower_ not in index_heads):
            return None  # most phrases: no index word in or right after them
        if self._linked(tokens):
            return None
        subject_deps = ("nsubj", "nsubjpass")
        if head.lower_ in index_heads:
            before = doc[tokens[0].i - 1] if tokens[0].i > 0 else None
            if before is None or before.dep_ not in subject_deps:
                return None
            if before.head.i != head.i and not (head.dep_ in subject_deps and before.head.i == head.head.i):
                return None
            return self._index_name(head, [*phrase_tokens(before), *tokens])
        if head.dep_ not in subject_deps or after >= len(doc):
            return None
        if doc[after].lower_ not in index_heads or doc[after].head.i != head.head.i:
            return None
        return self._index_name(doc[after], [*tokens, doc[after]])

    def _has_own_move(self, noun: Token) -> bool:
        """Tell whether a conjunct carries its own move: "Tencent (up 4%) and Alibaba (up 3%)"."""
        return any(
            child.dep_ in ("advmod", "amod", "appos") and self.lexicon.direction(child.lower_) is not None
            for child in noun.children
        )

    def _normalise(self, text: str) -> str:
        text = _DASHES.sub("-", text.casefold())
        text = re.sub(r"['\u2019]s\b", "", text)
        text = re.sub(r"\s+", " ", text).strip(" ,;:-")
        changed = True
        while changed:
            changed = False
            for prefix in self.lexicon.stop_prefixes:
                if text.startswith(prefix + " "):
                    text = text[len(prefix) + 1 :]
                    changed = True
        return text

    def _excluded(self, tokens: list[Token]) -> bool:
        """Tell whether the phrase is an economic or corporate figure rather than a price."""
        doc = tokens[0].doc if tokens else None
        inside = {t.i for t in tokens}
        linked = {  # the phrase's words that belong to a linked name
            i
            for ent in (doc.ents if doc is not None else ())
            if entity_subject(ent) is not None
            for i in range(ent.start, ent.end)
            if i in inside
        }
        words = [t for t in tokens if t.i not in linked]
        text = " " + self._normalise(" ".join(t.text for t in words)) + " "
        for name in self.lexicon.stock_price_indices:  # "the composite stock price index" is no CPI
            text = text.replace(f" {name} ", " index ")
        head_lower = tokens[-1].lower_ if tokens else ""
        if linked and head_lower in self.lexicon.derivative_heads and tokens[-1].i not in linked:
            return True  # "Hang Seng Index Futures": a contract on the index, not the index
        # "the TSE Growth Market 250 Index": in an index's proper name one figure word ("growth") is a
        # word of the name; "Consumer Price Index" still matches a figure phrase of two words
        title_case = tokens[-1].text[:1].isupper() and all(
            t.text[:1].isupper() or t.like_num or t.is_punct or t.lower_ in _JOINERS for t in words
        )
        # "Cathay Financial Holding": a firm's name the tagger marked, however its last word reads
        proper_firm = title_case and len(words) >= 2 and tokens[-1].ent_type_ in ("ORG", "COMPANY")
        proper_index = title_case and (head_lower in self.lexicon.index_heads or proper_firm)
        for phrase in self.lexicon.not_price_subjects:
            if f" {phrase} " in text and not (proper_index and " " not in phrase):
                return True
        # "China Overseas Land & Investment": a word of a linked name is no economic figure
        figure_head = head_lower in self.lexicon.not_price_subjects
        return figure_head and tokens[-1].i not in linked and not proper_firm

    def _linked(self, tokens: list[Token]) -> list[Subject]:
        if not tokens:
            return []
        doc = tokens[0].doc
        first, last = tokens[0].i, tokens[-1].i
        found = []
        for ent in doc.ents:
            if ent.end > first and ent.start <= last:
                subject = entity_subject(ent)
                if subject is not None:
                    found.append(subject)
        return found

    def _resolve_one(
        self, head: Token, history: SubjectHistory, with_members: bool = True
    ) -> list[Subject] | None:
        lex = self.lexicon
        doc = head.doc
        # "shares of Tencent", "Tencent's shares", "Tencent shares"
        if head.lower_ in SHARE_WORDS:
            owner = _child(head, ("poss",))
            if owner is None:
                for prep in head.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("of", "in"):
                        owner = _child(prep, ("pobj",))
                        break
            if owner is not None:
                owned = self._resolve_one(owner, history)
                if owned:
                    return owned
        # "The Russell 2000 index of smaller companies held up better": the parser hangs the clause on
        # the companies; the index is what moved
        of = head.head
        if (
            head.dep_ == "pobj"
            and of.lower_ == "of"
            and of.head.lower_ in lex.index_heads
            and of.head.i < head.i
        ):
            indexed = self._resolve_one(of.head, history, with_members)
            if indexed:
                return indexed
        tokens = phrase_tokens(head)
        if not tokens:
            return []
        split = self._split_index_phrase(head, tokens)
        if split is not None:
            return [split]
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        linked = self._linked(tokens)
        members = self._members(head, history) if with_members else []
        text = self._normalise(doc.text[start:end])
        contract = self._index_futures(head, tokens, linked)
        if contract is not None:
            return [contract]
        if self._excluded(tokens):
            return None
        if head.lower_ in lex.index_heads and self._figure_complement(head):
            return None  # "Japan's index of leading indicators", "the index of industrial output"
        if linked and not members:
            named_after = self._index_named_after(head, tokens, linked)
            return [named_after] if named_after is not None else linked
        market = self._generic_market(text, start, end)
        if market is not None and (self._names_a_market(text) or self._market_sentence(head)):
            return [market]
        extra = self.extra_index(doc.text[start:end], start, end)
        if extra is not None:
            return [extra]
        if head.lower_ in SHARE_WORDS:
            named = self._share_owner(head)
            if named is not None:
                return [named]
        for child in head.children:
            if child.dep_ == "appos":
                appos_linked = self._linked(phrase_tokens(child))
                if appos_linked:
                    return appos_linked
        placed = self._placed_index(text, head)
        if placed is not None:
            return [placed]
        coref = self._coreference(text, head, history)
        if coref is EXCLUDED:
            return None
        if coref is not None:
            return [coref]
        if text in lex.coref_index:
            return []  # "The index, an average of the 93 stocks listed, gained": not the stocks
        if text in lex.currencies:
            return [Subject(lex.currencies[text], None, "currency", start, end, "currency")]
        if text in lex.commodities or any(text.endswith(" " + c) for c in lex.commodities if " " in c):
            return [Subject(self._commodity_name(text), None, "commodity", start, end, "commodity")]
        if head.lower_ in lex.commodities and head.text.islower() and not linked and tokens[-1].i == head.i:
            # "Three-month copper (on the London Metal Exchange) slid 1.6%": the commodity; a
            # capitalised word is part of a name ("Tullow Oil rose 3%")
            return [Subject(head.lower_, None, "commodity", head.idx, end, "commodity")]
        words = text.split()
        if (
            len(words) > 1
            and words[-1] in ("prices", "price", "futures")
            and " ".join(words[:-1]) in lex.commodities
        ):
            # "copper prices slid 2%": the commodity
            base = self._commodity_name(" ".join(words[:-1]))
            return [Subject(base, None, "commodity", start, end, "commodity")]
        head_lower = head.lower_
        if head_lower in lex.index_heads:
            named = self._index_name(head, tokens)
            if named is not None:
                return [named, *members]
        all_names = len(tokens) > 1 and all(t.text[:1].isupper() or t.is_punct for t in tokens)
        # "two companies", "both stocks" count things; a group needs a word that describes it
        described = any(
            t.i != head.i and t.pos_ not in ("NUM", "DET") and t.lower_ not in ("both", "two", "three", "all")
            for t in tokens
        )
        if (head_lower in lex.group_heads and described and len(text.split()) > 1 and not all_names) or (
            text in lex.single_word_groups
        ):
            return [Subject(text, None, "group", start, end, "group"), *members]
        if members:
            return members
        for child in head.children:
            if child.dep_ == "appos":
                appos_linked = self._linked(phrase_tokens(child))
                if appos_linked:
                    return appos_linked
        proper = self._proper_noun(head, tokens)
        if proper is not None:
            return [proper]
        # "the performance of the Hang Seng Tech Index": the complement names what moved.
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                obj = _child(prep, ("pobj",))
                if obj is not None:
                    found = self._resolve_one(obj, history)
                    if found:
                        return found
        # An appositive may name what a description stands for ("equipment maker Advantest").
        for child in head.children:
            if child.dep_ == "appos":
                appos = self._resolve_one(child, history)
                if appos:
                    return appos
        return []

    def _members(self, head: Token, history: SubjectHistory) -> list[Subject]:
        """Named members of a group: "names, including A and B", "stocks such as those of A and B"."""
        members: list[Subject] = []
        doc = head.doc
        for child in head.children:
            words = child.lower_
            if child.i + 1 < len(doc) and doc[child.i + 1].lower_ == "as":
                words = f"{child.lower_} as"
            elif child.lower_ == "as" and child.i > 0 and doc[child.i - 1].lower_ == "such":
                words = "such as"
            if child.dep_ not in ("prep", "acl", "amod", "advmod") or words not in self.lexicon.member_preps:
                continue
            obj = _child(child, ("pobj", "dobj"))
            if obj is None and child.i + 1 < len(doc):
                obj = _child(doc[child.i + 1], ("pobj", "dobj"))
            if obj is not None and obj.lower_ in ("those", "that", "shares", "stocks"):
                of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                obj = _child(of, ("pobj",)) if of is not None else obj
            if obj is None:
                continue
            for member in [obj, *self._conjuncts(obj)]:
                found = self._resolve_one(member, history, with_members=False)
                if found:
                    members.extend(found)
        return members

    def _index_named_after(self, head: Token, tokens: list[Token], linked: list[Subject]) -> Subject | None:
        """Return the index a phrase names after a company or another index, if it does.

        "The Credit Suisse index" is no company, "the All Ordinaries gold index" no All Ordinaries:
        the index word heads the phrase, outside the linked name.
        """
        if head.lower_ not in self.lexicon.index_heads or any(s.start <= head.idx < s.end for s in linked):
            return None
        named_end = max(s.end for s in linked)
        between = [t.lower_ for t in tokens if named_end <= t.idx < head.idx]
        plain = all(word in self.lexicon.index_plain_words for word in between)
        if any(s.kind == "index" for s in linked) and plain:
            return None  # "the Hang Seng index", "the Nikkei share average": the index itself
        # "the All Ordinaries gold index", "the Hang Seng property index": a sub-index of the named one
        named = self._index_name(head, tokens)
        if named is None and all(s.kind == "company" for s in linked):
            return self._provider_index(head, tokens)  # "MSCI's index of emerging-market currencies"
        return named

    def _names_a_market(self, text: str) -> bool:
        """Tell whether a phrase says it is a market ("Tokyo shares"), not only a place ("Tokyo")."""
        words = f" {text} "
        return any(f" {noun} " in words for noun in self.lexicon.market_nouns) or text == "wall street"

    def _market_sentence(self, head: Token) -> bool:
        """Tell whether a place alone is a market here: the sentence speaks of markets or lists moves.

        "Tokyo fell 2.1%, Hong Kong rose 1.2%" moves markets; "Hong Kong grew 3.1%" is the economy.
        """
        sent = head.sent
        words = {t.lower_ for t in sent}
        market_words = {n for n in self.lexicon.market_nouns if " " not in n}
        index_named = any(ent.label_ == "INDEX" for ent in sent.ents)
        return bool(words & market_words) or index_named or sent.text.count("%") >= 2

    def _generic_market(self, text: str, start: int, end: int) -> Subject | None:
        for market in self.lexicon.generic_markets:
            if market.pattern.match(text):
                return Subject(market.subject, market.ticker, "index", start, end, "generic_market")
        return None

    def _coreference(self, text: str, head: Token, history: SubjectHistory) -> Subject | None:
        lex = self.lexicon
        position = head.idx
        phrase = phrase_tokens(head)
        determiner = phrase[0].lower_ if phrase else ""
        if (
            phrase
            and determiner not in ("the", "its", "this", "that", "these", "those", "their")
            and head.lower_ not in ("its", "it")
        ):
            return None  # "ride-hailing firm Lyft" names a company; only "the firm" refers back
        topic = self._index_topic(text)
        if topic:  # "the chip gauge" after the Philadelphia Semiconductor index
            found = history.latest(position, "index", name_hint=topic)
            if found is not None and topic in found.name.casefold():
                return _moved(found, head, "coref")
        if text in lex.coref_index or self.home_markets.is_generic(text):
            named_here = self._phrase_market(head) or self._sentence_market(head)
            if named_here is not None:  # "In Vancouver, the index rose", "the index of Egyptian shares"
                return _market_index(named_here, head)
            # "the tech index" is an index of tech stocks; "the tech-heavy index" is the last one named
            hint = "tech" if "tech" in text and "tech-heavy" not in text else ""
            # "the benchmark", "the blue-chip gauge": the market's main index, not the last one named
            main = "benchmark" in text or "blue-chip" in text or "blue chip" in text
            prefer = lex.benchmarks if main else ()
            found = history.latest(position, "index", prefer=prefer, name_hint=hint)
            if hint and (found is None or hint not in found.name.casefold()):
                return self._tech_index(head)  # "the tech index" is no earlier blue-chip index
            doc_text = head.doc.text
            para_start = doc_text.rfind("\n", 0, position) + 1
            if not hint and (found is None or found.start < para_start):
                led = self._paragraph_market(head, para_start)
                if led is not None:  # "SEOUL - ... The composite index rose" in a round-up
                    return _market_index(led, head)
                if found is not None and _DATELINE.match(doc_text, para_start):
                    # "BRUSSELS - The general index lost ...": a round-up paragraph on a bourse we
                    # have no index for does not report the last paragraph's index
                    return self._unresolved_index(text, head)
            if found is not None:
                return _moved(found, head, "coref")
            if self._unresolved_index(text, head) is EXCLUDED:
                return EXCLUDED
            home = self._article_market(head)
            if home is not None:  # "The composite index closed at 383.48" in a Seoul report
                return _market_index(home, head)
        if head.lower_ == "its":
            main = self._main_clause_subject(head, history)
            if main is not None:  # "The SOX jumped 2.7%, extending its gain since January to 38%"
                return _moved(main, head, "coref")
        proper = any(t.pos_ == "PROPN" for t in phrase if t.i != head.i)
        causative_it = head.lower_ == "it" and head.dep_ == "dobj" and head.head.lower_ in lex.causative_verbs
        if head.lower_ == "it" and head.dep_ in ("nsubj", "nsubjpass") and not causative_it:
            # "It ended down 35.6%": the last security named shortly before
            latest = (history.latest(position, "index"), history.latest(position, "company"))
            candidates = [s for s in latest if s]
            found = max(candidates, key=lambda s: s.start) if candidates else None
            if found is not None and position - found.start < 300:
                return _moved(found, head, "coref")
            return None
        if (
            causative_it
            or text in lex.coref_company
            or (head.lower_ in lex.coref_company and determiner in ("the", "its") and not proper)
        ):
            found = history.latest(position, "company")
            if found is not None:
                return _moved(found, head, "coref")
        return None

    def _index_topic(self, text: str) -> str:
        """What an earlier index's name must hold for "the chip gauge" ("semiconductor"), else ""."""
        first, _, rest = text.partition(" ")
        topic = self.lexicon.index_topics.get(first, "")
        return topic if topic and rest and self.home_markets.is_generic(rest) else ""

    @staticmethod
    def _main_clause_subject(head: Token, history: SubjectHistory) -> Subject | None:
        """The subject of the main clause when "its" sits in a participle clause hung on it."""
        word = verb_above(head)
        if word is None or word.dep_ != "advcl" or word.tag_ != "VBG":
            return None
        subject = next((c for c in word.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return None
        tokens = list(subject.subtree)
        return history.within(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))

    @staticmethod
    def _index_futures(head: Token, tokens: list[Token], linked: list[Subject]) -> Subject | None:
        """Futures on a named index move as "<index> futures" ("Nikkei futures were up 0.7% in
        Chicago"); never as the index itself, and futures on a company stay no subject."""
        if head.lower_ not in ("futures", "future") or not linked or not linked[-1].is_index:
            return None
        index = linked[-1]
        if any(t.idx >= index.end and t.i != head.i and not t.is_punct for t in tokens):
            return None  # a word between the name and "futures" ("Hang Seng Index June futures")
        end = head.idx + len(head.text)
        return Subject(f"{index.name} futures", None, "futures", tokens[0].idx, end, "futures")

    def _figure_complement(self, head: Token) -> bool:
        """Tell whether an index word's "of" complement is an economic or corporate figure."""
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                complement = [t for t in prep.subtree if t.i != prep.i]
                return bool(complement) and self._excluded(complement)
        return False

    def _placed_index(self, text: str, head: Token) -> Subject | None:
        """A market place before an index word names that market's index ("the Shanghai gauge",
        "the Seoul composite index")."""
        words = text.split()
        for n in (1, 2):
            place, rest = " ".join(words[:n]), " ".join(words[n:])
            if not rest or not self.home_markets.is_generic(rest):
                continue
            named = [m for m in self.home_markets.markets if m.sentence.fullmatch(place)]
            if len(named) == 1:
                return _market_index(named[0], head)
        return None

    def _tech_index(self, head: Token) -> Subject | None:
        """The home market's tech index for "the tech index" with none named before, if it has one."""
        home = self._sentence_market(head) or self._article_market(head)
        if home is None or home.tech_index is None:
            return None
        name, ticker = home.tech_index
        return Subject(name, ticker, "index", head.idx, head.idx + len(head.text), "home_market")

    def _phrase_market(self, head: Token) -> HomeMarket | None:
        """Return the one market an "of" phrase names: "the index of leading Egyptian shares"."""
        of_phrase = [t for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for t in c.subtree]
        if not of_phrase:
            return None
        text = head.doc[of_phrase[0].i : of_phrase[-1].i + 1].text
        named = [m for m in self.home_markets.markets if m.article.search(text)]
        return named[0] if len(named) == 1 else None

    def _sentence_market(self, head: Token) -> HomeMarket | None:
        """Return the market named by place right before the phrase ("In Vancouver, the index")."""
        sent = head.sent
        return self.home_markets.of_sentence(head.doc.text[sent.start_char : phrase_tokens(head)[0].idx])

    def _commodity_name(self, text: str) -> str:
        """One name for a commodity written several ways: "U.S. crude", "U.S. West Texas
        Intermediate crude" and "WTI" are West Texas Intermediate crude (longest written form wins)."""
        names = self.lexicon.commodity_names
        written = [k for k in names if text == k or text.endswith(" " + k)]
        return names[max(written, key=len)] if written else text

    def _paragraph_market(self, head: Token, para_start: int) -> HomeMarket | None:
        """Return the market a paragraph's lead names ("SEOUL - ...", "Taiwan stocks ..."), if one
        place word opens it: in a round-up each paragraph reports one bourse."""
        text = head.doc.text
        lead = text[para_start : min(para_start + _LEAD_CHARS, phrase_tokens(head)[0].idx)]
        places = {}
        for market in self.home_markets.markets:
            match = market.article.search(lead)
            if match is not None:
                places.setdefault(match.start(), []).append(market)
        if not places:
            return None
        first = places[min(places)]
        return first[0] if len(first) == 1 else None

    def _article_market(self, head: Token) -> HomeMarket | None:
        """Return the article's home market (computed once per doc)."""
        cache = head.doc.user_data
        if _HOME_KEY not in cache:
            cache[_HOME_KEY] = self.home_markets.of_article(head.doc.text)
        return cache[_HOME_KEY]

    def _unresolved_index(self, text: str, head: Token) -> Subject | None:
        """Resolve "the index" with no index named before it.

        Returns the index as written, or EXCLUDED when the last index the article did name is an
        economic statistic ("the consumer price index ... the index").
        """
        doc = head.doc
        for token in reversed(doc[: phrase_tokens(head)[0].i]):
            if token.lower_ in self.lexicon.index_heads and token.pos_ in ("NOUN", "PROPN"):
                if self._excluded(phrase_tokens(token)):
                    return EXCLUDED
                break
        return Subject(text, None, "index", head.idx, head.idx + len(head.text), "unresolved_coref")


_HOME_KEY = "fin_home_market"


def _market_index(market: HomeMarket, head: Token) -> Subject:
    """Return the market's index as the subject, placed where the phrase that means it is."""
    return Subject(market.subject, market.ticker, "index", head.idx, head.idx + len(head.text), "home_market")


def _moved(subject: Subject, head: Token, how: str) -> Subject:
    """Copy an antecedent subject to placed where the coreferring phrase is."""
    return Subject(subject.name, subject.ticker, subject.kind, head.idx, head.idx + len(head.text), how)


def _unique(subjects: list[Subject]) -> list[Subject]:
    seen: set[str] = set()
    unique = []
    for subject in subjects:
        if subject.key not in seen:
            seen.add(subject.key)
            unique.append(subject)
    return unique
