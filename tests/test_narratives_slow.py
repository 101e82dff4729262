"""Brief fine-tuning of the real MiniLM on real data: the classifier must learn the labels."""

import pytest

from pipeline.narratives.evaluate import evaluate_sentences, labels_from_scores
from pipeline.narratives.labels import CONTRACT_LABELS

# Obvious sentences written for this test only (not in the training corpus).
HELD_OUT = [
    ("Investors stampeded into artificial intelligence chip stocks, sending them to records.", {"ai_hype"}),
    ("Generative AI excitement lifted software shares for a third day.", {"ai_hype"}),
    ("Stocks slumped after the government threatened sweeping new tariffs on imports.", {"policy_fear"}),
    ("Fears of a regulatory crackdown on internet platforms hit tech shares.", {"policy_fear"}),
    ("Gold surged to a record as frightened investors fled to safe havens.", {"safe_haven_rotation"}),
    ("Gold miners rallied as investors sought a hedge against the market turmoil.", {"safe_haven_rotation"}),
    ("Southbound investors bought a net HK$7 billion of Hong Kong shares on Monday.", {"capital_flows"}),
    ("Foreign funds sold a net $1.5 billion of Korean stocks last week.", {"capital_flows"}),
    ("The company will hold its annual meeting in June.", set()),
    ("The central bank trimmed its policy rate to support growth.", set()),
    ("The new hospital uses AI to schedule nurses' shifts.", set()),
    ("The mine produced 150,000 ounces of gold last quarter.", set()),
]


@pytest.mark.slow
def test_narratives_fine_tuning_learns(tmp_path):
    from pipeline.narratives.predict import NarrativeClassifier
    from pipeline.narratives.train import TrainArgs, load_base, run_training

    args = TrainArgs.from_json(
        output_dir=str(tmp_path / "model"),
        epochs=3,
        weak_per_label=20,
        weak_negatives=80,
        dev_fraction=0.15,
        evaluate=False,
        progress=False,
    )
    run_training(args)
    texts = [text for text, _ in HELD_OUT]
    gold = [labels for _, labels in HELD_OUT]
    labels = list(CONTRACT_LABELS)

    classifier = NarrativeClassifier.load(tmp_path / "model")
    tuned = [{hit["label"] for hit in hits} for hits in classifier.predict(texts)]
    tuned_f1 = evaluate_sentences(tuned, gold, labels)["macro_f1"]

    untrained, tokenizer = load_base(args, labels)
    from pipeline.narratives.predict import score_texts

    raw = score_texts(untrained, tokenizer, texts)
    baseline = labels_from_scores(raw, dict.fromkeys(labels, 0.5), labels)
    baseline_f1 = evaluate_sentences(baseline, gold, labels)["macro_f1"]

    assert tuned_f1 >= 0.6
    assert tuned_f1 >= baseline_f1 + 0.3
