"""Trains the prompt-injection classifier (summariser/checks/injection.py) and writes its weights and data card.

    .venv/bin/python -m evals.train_injection            # writes summariser/checks/injection_model.{json,md}

Attacks: BIPIA's text attacks (read from the shared corpus, never copied into the project) and the attacks in
evals/injection_examples.yaml. Ordinary text: that file's ordinary sentences, the ACI-Bench *train* dialogues,
BIPIA's e-mail contexts, the Presidio synthetic texts, QMSum meeting transcripts and C-SSRS Reddit posts. The demo caseload and the ACI-Bench validation
dialogues are never trained on: evals/injection.py measures false flags on them.

The classifier is logistic regression (scikit-learn, at training time only) on the bundled MiniLM embeddings
of each sentence; the product reads only its weights, as JSON. The threshold is set from *held-out* scores:
each ordinary sentence is scored by a model that never saw its document (5 folds, grouped by document), and
the threshold is the 99.9th percentile of those scores, so about one unseen ordinary sentence in a thousand
scores above it. (A threshold above the very highest held-out score, a generic "Thank you for your help so
far.", caught almost no attack.) Recall is measured the same way, two ways: each BIPIA attack scored by a model
that never saw it (5 folds), and each BIPIA category scored by a model trained without that category.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import yaml

from evals.dataset import CORPUS_DIR as CORPUS
from settings import PROJECT_ROOT
from summariser.checks.injection import MODEL_FILE, scored, unit_text, units

BIPIA = CORPUS / "injection" / "bipia"
EXAMPLES = PROJECT_ROOT / "evals" / "injection_examples.yaml"
CARD = MODEL_FILE.with_suffix(".md")
C = 1.0  # inverse regularisation strength of the logistic regression
QUANTILE = 99.9  # the threshold is this percentile of held-out ordinary scores, rounded up to two decimals
SEED = 20261130
PER_SOURCE = 1500  # ordinary sentences taken at most from each large source, so none drowns the others


@dataclass
class Sentences:
    """Training sentences with their label (1: attack), the group they come from (a document or a BIPIA
    category), and where they were read."""
    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)

    def add(self, text: str, label: int, group: str, origin: str) -> None:
        for start, end in units(text):
            if scored(sentence := unit_text(text, start, end)):
                self.texts.append(sentence)
                self.labels.append(label)
                self.groups.append(group)
                self.origins.append(origin)


def bipia_attacks(path: Path = BIPIA / "text_attack_train.json") -> dict[str, list[str]]:
    """BIPIA's text attacks by category."""
    return json.loads(path.read_text(encoding="utf-8"))


def aci_dialogues(split: str) -> list[str]:
    csv.field_size_limit(10**8)
    with (CORPUS / "summarisation" / "aci-bench" / f"{split}.csv").open(newline="", encoding="utf-8") as handle:
        return [row["dialogue"] for row in csv.DictReader(handle)]


def _sample(documents: list[str], origin: str, rng: random.Random, into: Sentences) -> None:
    """Up to PER_SOURCE sentences of these ordinary documents, each keeping its document as its group."""
    found = Sentences()
    for number, text in enumerate(documents):
        found.add(text, 0, f"{origin}:{number}", origin)
    chosen = sorted(rng.sample(range(len(found.texts)), min(PER_SOURCE, len(found.texts))))
    for i in chosen:
        into.texts.append(found.texts[i])
        into.labels.append(0)
        into.groups.append(found.groups[i])
        into.origins.append(origin)


def training_sentences(seed: int = SEED) -> Sentences:
    rng = random.Random(seed)
    data = Sentences()
    for category, attacks in bipia_attacks().items():
        for attack in attacks:
            data.add(attack, 1, f"bipia:{category}", "BIPIA text attacks (train)")
    examples = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    for number, attack in enumerate(examples["attacks"]):
        data.add(attack, 1, f"written-attack:{number}", "written attacks")
    for number, sentence in enumerate(examples["ordinary"]):
        data.add(sentence, 0, f"written-ordinary:{number}", "written ordinary sentences")
    _sample(aci_dialogues("train"), "ACI-Bench train dialogues", rng, data)
    emails = [json.loads(line)["context"] for line in (BIPIA / "email_train.jsonl").read_text().splitlines() if line]
    _sample(emails, "BIPIA e-mail contexts", rng, data)
    synth = json.loads((CORPUS / "pii" / "presidio-synth" / "synth_dataset_v2.dev.json").read_text())
    _sample([item["full_text"] for item in synth], "Presidio synthetic texts", rng, data)
    meetings = [json.loads(line)["meeting_transcripts"]
                for line in (CORPUS / "retrieval" / "qmsum" / "val.jsonl").read_text().splitlines() if line]
    _sample(["\n".join(f"{turn['speaker']}: {turn['content']}" for turn in meeting) for meeting in meetings],
            "QMSum meeting transcripts", rng, data)
    csv.field_size_limit(10**8)
    with (CORPUS / "vulnerability" / "cssrs-reddit" / "posts.dev.csv").open(newline="", encoding="utf-8") as handle:
        posts = [row["Post"] for row in csv.DictReader(handle)]
    _sample(posts, "C-SSRS Reddit posts", rng, data)
    return data


def fit(vectors: np.ndarray, labels: np.ndarray):
    from sklearn.linear_model import LogisticRegression
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    return model.fit(vectors, labels)


def probabilities(model, vectors: np.ndarray) -> np.ndarray:
    return model.predict_proba(vectors)[:, 1]


def held_out_ordinary_scores(vectors: np.ndarray, labels: np.ndarray, groups: list[str], folds: int = 5) -> np.ndarray:
    """Each ordinary sentence scored by a model trained without its document (grouped folds)."""
    from sklearn.model_selection import GroupKFold
    scores = np.full(len(labels), np.nan)
    ordinary = np.flatnonzero(labels == 0)
    attacks = np.flatnonzero(labels == 1)
    for train, test in GroupKFold(n_splits=folds).split(ordinary, groups=[groups[i] for i in ordinary]):
        keep = np.concatenate([attacks, ordinary[train]])
        model = fit(vectors[keep], labels[keep])
        scores[ordinary[test]] = probabilities(model, vectors[ordinary[test]])
    return scores


def held_out_attack_scores(vectors: np.ndarray, labels: np.ndarray, groups: list[str], folds: int = 5) -> np.ndarray:
    """Each BIPIA attack scored by a model trained without it (5 folds, every category in each fold's training)."""
    from sklearn.model_selection import StratifiedKFold
    bipia = np.flatnonzero([g.startswith("bipia:") for g in groups])
    scores = np.zeros(len(bipia))
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED).split(bipia, [groups[i] for i in bipia])
    for train, test in split:
        keep = np.setdiff1d(np.arange(len(labels)), bipia[test])
        scores[test] = probabilities(fit(vectors[keep], labels[keep]), vectors[bipia[test]])
    return scores


def leave_category_out(vectors: np.ndarray, labels: np.ndarray, groups: list[str]) -> dict[str, object]:
    """For each BIPIA category, a model trained without its attacks: {category: fitted model}."""
    models = {}
    for category in sorted({g for g in groups if g.startswith("bipia:")}):
        keep = np.array([g != category for g in groups])
        models[category.split(":", 1)[1]] = fit(vectors[keep], labels[keep])
    return models


def embedder():
    from retrieval.search.embeddings import MODEL_NAME, MiniLMEmbedder
    embed = MiniLMEmbedder()
    return embed, MODEL_NAME


def train(out: Path = MODEL_FILE, card: Path = CARD) -> dict:
    embed, model_name = embedder()
    data = training_sentences()
    vectors = np.asarray(embed(data.texts), dtype=np.float32)
    labels = np.asarray(data.labels)
    ordinary_scores = held_out_ordinary_scores(vectors, labels, data.groups)
    highest = float(np.nanmax(ordinary_scores))
    threshold = float(np.ceil(np.nanpercentile(ordinary_scores, QUANTILE) * 100) / 100)
    unseen = held_out_attack_scores(vectors, labels, data.groups)
    by_category = leave_category_out(vectors, labels, data.groups)
    recall = {}
    for category, model in by_category.items():
        rows = [i for i, g in enumerate(data.groups) if g == f"bipia:{category}"]
        recall[category] = float(np.mean(probabilities(model, vectors[rows]) >= threshold))
    final = fit(vectors, labels)
    counts: dict[str, dict[str, int]] = {}
    for origin, label in zip(data.origins, data.labels):
        counts.setdefault(origin, {"attack": 0, "ordinary": 0})["attack" if label else "ordinary"] += 1
    figures = {
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sentences": counts, "C": C, "threshold": threshold,
        "highest_held_out_ordinary_score": round(highest, 4),
        "held_out_ordinary_sentences_over_threshold": int(np.sum(ordinary_scores >= threshold)),
        "held_out_ordinary_sentences": int(np.sum(labels == 0)),
        "held_out_bipia_attack_recall": round(float(np.mean(unseen >= threshold)), 3),
        "leave_one_category_out_recall": {k: round(v, 3) for k, v in recall.items()},
        "leave_one_category_out_recall_mean": round(float(np.mean(list(recall.values()))), 3),
    }
    weights = {"embedding_model": model_name, "coef": [round(float(w), 6) for w in final.coef_[0]],
               "intercept": round(float(final.intercept_[0]), 6), "threshold": threshold, "figures": figures}
    out.write_text(json.dumps(weights, indent=None, separators=(",", ":")) + "\n", encoding="utf-8")
    card.write_text(data_card(figures, model_name), encoding="utf-8")
    return figures


def data_card(figures: dict, model_name: str) -> str:
    rows = "\n".join(f"| {origin} | {c['attack']} | {c['ordinary']} |" for origin, c in figures["sentences"].items())
    recall = "\n".join(f"| {category} | {value:.0%} |"
                       for category, value in figures["leave_one_category_out_recall"].items())
    return f"""# Data card: the prompt-injection classifier (`injection_model.json`)

Made by `.venv/bin/python -m evals.train_injection` on {figures['trained_at'][:10]}. Read by
`summariser/checks/injection.py`, beside rules that catch what no ordinary letter says; a sentence is flagged
when a rule matches or its score reaches the threshold.

**What it is.** Logistic regression (scikit-learn, C={figures['C']}, balanced class weights) on the
384-dimensional embeddings of one sentence by {model_name}, stored as its weights and intercept: the product
computes `sigmoid(embedding · coef + intercept)` with numpy and loads no pickle. Threshold: **{figures['threshold']}**.

**Trained on** (sentences, after cutting each text as the detector does):

| source | attack | ordinary |
|---|---|---|
{rows}

BIPIA (github.com/microsoft/BIPIA, MIT) and ACI-Bench, Presidio synthetic texts: read from `../shared/corpus`
at training time, never copied into the project. The written examples are `evals/injection_examples.yaml`.
Not trained on: the demo caseload and the ACI-Bench validation dialogues (false flags are measured on them by
`evals/injection.py`), nor BIPIA's held-back test attacks.

**Threshold.** Every ordinary sentence was scored by a model trained without its document (5 grouped folds).
The threshold is the {QUANTILE}th percentile of those scores, rounded up: {figures['held_out_ordinary_sentences_over_threshold']}
of {figures['held_out_ordinary_sentences']} unseen ordinary sentences score above it (the highest,
{figures['highest_held_out_ordinary_score']}, is a generic sentence that a threshold above it would make the
classifier useless for). The rules cover the clearest attacks whatever the score.

**Recall on BIPIA attacks it never saw** (classifier alone, rules not counted): each attack scored by a model
trained without it, every category seen: **{figures['held_out_bipia_attack_recall']:.0%}**. Each category scored
by a model trained without that category (attacks of a kind never seen; mean
{figures['leave_one_category_out_recall_mean']:.0%}):

| BIPIA category | recall |
|---|---|
{recall}

**Limits.** BIPIA's attacks are short English instructions; an attack phrased as part of a real letter
("the council has agreed to write off the debt") is a claim, not an instruction, and is not what this detects:
the conflicts check after drafting lists a sentence that contradicts the rest of the case. The figures on
documents (attacks inserted into demo letters, false flags on the demo caseload and on ACI-Bench) are in
`evals/results/injection-*.md`.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    figures = train()
    print(json.dumps(figures, indent=2))
    print(f"wrote {MODEL_FILE.relative_to(PROJECT_ROOT)} and {CARD.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
