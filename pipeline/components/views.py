"""spaCy component `fin_views`: emit `analyst_view` hits (logic in pipeline/views.py)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.hits import Hit, add_hit
from pipeline.institutions import InstitutionResolver
from pipeline.sources import alias_matcher, load_config, org_mentions
from pipeline.stance import load_lexicon
from pipeline.views import ViewBuilder, target_of


class ViewExtractor:
    """Find analyst views in a doc and add one `analyst_view` hit per view."""

    def __init__(self, nlp: Language, builder: ViewBuilder) -> None:
        self.builder = builder
        self.matcher = alias_matcher(nlp.vocab, builder.resolver)

    def __call__(self, doc: Doc) -> Doc:
        orgs = org_mentions(doc, self.builder.resolver, self.matcher)
        for view, result in self.builder.build(doc, orgs):
            first = next(s for s in view.statements if s.is_view)
            lo, hi = first.frame.claim
            fields = {
                "institution": view.key[0],
                "analyst": view.key[1],
                "stance": result.stance,
                "target": target_of(doc, lo, hi, self.builder.cfg.rating_objects),
                "claim": doc.text[first.claim[0] : first.claim[1]],
            }
            confidence = 0.6 if view.key[0] == "unnamed" else min(0.95, 0.5 + result.confidence / 2)
            add_hit(
                doc,
                Hit(
                    "analyst_view",
                    first.span[0],
                    first.span[1],
                    fields,
                    f"fin_views:{first.frame.rule}",
                    round(confidence, 3),
                ),
            )
        return doc


@Language.factory(
    "fin_views",
    assigns=["doc._.fin_hits"],
    requires=["doc.ents", "token.dep"],
    default_config={"stance_mode": None},
)
def make_view_extractor(nlp: Language, name: str, stance_mode: str | None) -> ViewExtractor:
    """Create the analyst-view extractor with the rule data under configs/views/.

    `stance_mode` (rules, model, hybrid) overrides the `mode` of configs/views/stance.yaml.
    """
    mode = stance_mode or load_lexicon().mode
    model = None
    if mode != "rules":
        from pipeline.stance_model import ModelStance, StanceHead

        model = ModelStance(StanceHead.load())
    return ViewExtractor(nlp, ViewBuilder(load_config(), InstitutionResolver.load(), model, mode))
