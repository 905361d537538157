"""The checker-accuracy mode: which sentences count as supported, how they are cited, and what is reported."""
from __future__ import annotations

import pytest

from evals.checker import KINDS, checker_markdown, cited_line, closest_sources, run_checker, select_supported
from evals.dataset import Encounter
from evals.metrics import reason_kind
from evals.pipeline import eval_settings
from evals.report import write_results
from settings import Settings
from summariser.drafting.citations import Source
from summariser.checks.facts import extract_facts

DIALOGUE_A = ("[doctor] hello mrs. cooper . how have you been since we started the iron tablets ?\n"
              "[patient] i take ferrous sulfate 25 mg twice a day , but i still feel tired most days .\n"
              "[doctor] your hemoglobin was low on 03/01/2021 , so we will repeat the blood work .\n"
              "[patient] okay . i also get headaches , which is new for me .\n")
NOTE_A = ("HISTORY OF PRESENT ILLNESS\n\n"
          "Mrs. Christina Cooper is a 65-year-old female with anemia.\n"
          "Mrs. Cooper takes ferrous sulfate 25 mg twice a day and still feels tired.\n"
          "Her hemoglobin was low on 03/01/2021, so the blood work will be repeated.\n"
          "She has been having headaches, which is new for her.\n"
          "She was referred to hematology for an infusion.\n")
DIALOGUE_B = ("[doctor] so you fell off the ladder at work ?\n[patient] yes , i landed on my right wrist and it "
              "is swollen .\n[doctor] the x-ray shows a small fracture of the wrist .\n")
NOTE_B = "The patient fell off a ladder at work and injured the right wrist.\nThe x-ray shows a small wrist fracture.\n"


def test_selection_rule_keeps_only_sentences_the_dialogue_supports():
    chosen = [c.sentence for c in select_supported(NOTE_A, DIALOGUE_A, extract_facts)]
    assert chosen == ["Mrs. Cooper takes ferrous sulfate 25 mg twice a day and still feels tired.",
                      "Her hemoglobin was low on 03/01/2021, so the blood work will be repeated.",
                      "She has been having headaches, which is new for her."]
    # not: the heading; "Christina" and 65 (said nowhere); the referral (its words are not in the dialogue)


def test_cited_line_is_a_template_bullet():
    assert cited_line("She is tired.", (2, 5)) == "- [2][5] She is tired."


def test_closest_sources_ranks_by_meaning(minilm):
    sources = [Source(n, f"c{n}", "E", 1, "d.txt", 1, 0, 1, text) for n, text in
               [(1, "The weather was sunny at the seaside."), (2, "She takes iron tablets for anaemia."),
                (3, "He broke his wrist falling from a ladder.")]]
    assert closest_sources(["Ferrous sulfate for iron deficiency.", "A wrist fracture after a fall."],
                           sources, minilm, top=1) == [(2,), (3,)]
    two = closest_sources(["Ferrous sulfate for iron deficiency."], sources, minilm, top=2)[0]
    assert len(two) == 2 and 2 in two and two == tuple(sorted(two))  # cited in number order


@pytest.mark.parametrize("reason, kind", [
    ("It is not close in meaning to the passage it cites ([2]).", "not close in meaning to the cited passages"),
    ("It cites no source.", "no citation"),
    ("It may say the opposite of the passage it cites ([2]): one of them says 'not'.",
     "may say the opposite of the cited passage"),
    ("It cites [9], which is not one of this case's sources.", "cites a source that does not exist"),
    ("The date 05/01/2021 is not in the source it cites ([1]), nor in any other source of the case.",
     "date not in the cited sources"),
    ("The name Quenby is not in any of the case's sources.", "name not in the cited sources"),
    ("The number 58 is in [1].", "number in a source it does not cite"),
    ("The amount £20.00 is not in the source it cites ([2]); it is in [1].", "amount not in the cited sources"),
])
def test_reasons_are_grouped_by_problem(reason, kind):
    assert reason_kind(reason) == kind
    assert reason_kind(kind) == kind  # grouping twice changes nothing


def test_checker_accuracy_end_to_end(tmp_path, minilm):
    """Real service (SQLite, Chroma), real MiniLM and the real grounding checker on two small cases."""
    encounters = [Encounter("aci", "A1", DIALOGUE_A, NOTE_A), Encounter("aci", "B1", DIALOGUE_B, NOTE_B)]
    settings = eval_settings(Settings(), tmp_path / "scratch", "fake")
    results = run_checker(settings, _csv(tmp_path, encounters), encounters,
                          cite_top=1, embedder=minilm, keep_sentences=True, command="test")
    summary, items = results["summary"], results["items"]
    selected = len(select_supported(NOTE_A, DIALOGUE_A, extract_facts)) + \
        len(select_supported(NOTE_B, DIALOGUE_B, extract_facts))
    assert summary["selected"] == selected == summary["false_alarms"]["sentences"]
    for kind in KINDS:
        d = summary["detection"][kind]
        assert d["applicable"] + d["not_applicable"] == selected
        assert d["rate"] is None or 0 <= d["rate"] <= 1
        paired = d["where_uncorrupted_passed"]  # only sentences whose uncorrupted version passed
        passed = summary["false_alarms"]["applicable"] - summary["false_alarms"]["marked_unsupported"]
        assert paired["sentences"] <= passed and paired["applicable"] <= d["applicable"]
    assert summary["detection"]["date"]["applicable"] == 1  # only one sentence has a date
    assert summary["detection"]["name"]["applicable"] == 1  # only "Mrs. Cooper ..." names someone
    by = {(r["encounter_id"], r["sentence"], r["variant"]): r for r in items}
    number = by[("A1", 0, "number")]
    assert number["text"] == "Mrs. Cooper takes ferrous sulfate 37 mg twice a day and still feels tired."
    assert number["flagged"] and "number not in the cited sources" in [reason_kind(r) for r in number["reasons"]]
    relative = by[("A1", 0, "person_swap")]  # the note names one person: a relative of hers is swapped in
    assert relative["text"] == "Mr. Cooper takes ferrous sulfate 25 mg twice a day and still feels tired."
    assert relative["flagged"] and "name not in the cited sources" in [reason_kind(r) for r in relative["reasons"]]
    assert summary["detection"]["person_swap"]["applicable"] == 1
    swapped = by[("A1", 0, "other_case")]
    assert swapped["text"] in NOTE_B and swapped["flagged"]  # a wrist fracture cited to an anaemia passage
    assert not swapped["offered"]  # and no passage of this case is named in its place
    assert summary["detection"]["other_case"]["another_source_offered"] == 0
    markdown, json_path = write_results(results, tmp_path / "out", checker_markdown(results), with_provider=False)
    assert markdown.name.startswith("checker-accuracy-") and json_path.exists()
    assert "uncorrupted: false alarms" in markdown.read_text()


def _csv(tmp_path, encounters):
    import csv
    path = tmp_path / "data.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["dataset", "encounter_id", "dialogue", "note"])
        writer.writerows([(e.dataset, e.encounter_id, e.dialogue, e.note) for e in encounters])
    return path
