"""The word rule (the sign-off's fallback and the evals' baseline): signs of vulnerability send a draft to a
supervisor; negated mentions do not. The classifier that replaced it is tested in test_vulnerability.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.ingest.loaders import load_file
from summariser.checks.risk import assess_sources, find_signs
from tests.corpus import corpus_path

DEMO_FILES = Path(__file__).resolve().parents[3] / "demo" / "files"

SENTENCES = [
    # (id, text, the groups expected; empty means no sign)
    ("suicide", "He said he has thought about suicide.", {"suicide or self-harm"}),
    ("self-harm-variants", "She self-harmed in January; self harm is recorded.", {"suicide or self-harm"}),
    ("ending-life", "I asked whether he was having thoughts of ending his life.", {"suicide or self-harm"}),
    ("no-point", "I don't want to live any more.", {"suicide or self-harm"}),
    ("curly-apostrophe", "She said she doesn\u2019t want to be here anymore.", {"suicide or self-harm"}),
    ("wrapped-line", "He told me he couldn't see a way\nforward.", {"suicide or self-harm"}),
    ("safeguarding", "A safeguarding referral was made under section 42.", {"a safeguarding concern"}),
    ("domestic-abuse", "She disclosed domestic abuse and coercive control by her ex-partner.",
     {"domestic abuse or coercive control"}),
    ("refuge", "The family moved to a refuge on Friday.", {"domestic abuse or coercive control"}),
    ("financial-abuse", "This may be financial abuse by her nephew.", {"financial abuse or exploitation"}),
    ("neglect", "There are signs of self-neglect.", {"neglect"}),
    ("eviction", "A possession hearing is listed for 3 April 2025.", {"homelessness or eviction"}),
    ("hardship", "She has not eaten for two days and was referred to a food bank.",
     {"hardship (no food, money or heating) or severe distress"}),
    ("no-food-is-a-sign", "He has no food in the house.", {"hardship (no food, money or heating) or severe distress"}),
    ("crisis", "He was given the mental health crisis line number.", {"a mental health crisis or a hospital admission"}),
    ("hospital", "She was admitted to hospital after a fall.", {"a mental health crisis or a hospital admission"}),
    ("bereavement", "Low mood after the death of her husband.", {"a bereavement"}),
    ("carer", "Her daughter is her carer.", {"disability, care needs or dependence on alcohol or drugs"}),
    ("vulnerable", "The bank flagged her as a vulnerable customer.", {"someone being vulnerable or at risk"}),
    ("at-risk", "He is at risk of losing his home.", {"someone being vulnerable or at risk"}),
    # negated, or not the word at all
    ("no-safeguarding-concerns", "There are no safeguarding concerns.", set()),
    ("concerns-none", "Safeguarding concerns: none identified.", set()),
    ("table-none", "| Safeguarding | None |", set()),
    ("denies", "She denies any thoughts of self-harm or suicide.", set()),
    ("not-at-risk", "He is not at risk.", set()),
    ("no-longer", "She is no longer homeless.", set()),
    ("ruled-out", "Neglect was ruled out.", set()),
    ("word-boundary", "The scarer in the field; a refugee status letter; the abuser-free zone.", set()),
    ("letter-advice", "If paying this back means you cannot afford food, please contact us.", set()),
    ("plain", "Ms Jones phoned on 14/01/2025 about her rent.", set()),
]


@pytest.mark.parametrize("text, expected", [(t, e) for _, t, e in SENTENCES], ids=[i for i, _, _ in SENTENCES])
def test_signs_and_their_negation(text, expected):
    assert {s.group for s in find_signs(text)} == expected


def test_a_negation_covers_its_own_clause_only():
    text = "There were no concerns about domestic abuse, but she disclosed coercive control."
    assert [s.words for s in find_signs(text)] == ["coercive control"]
    assert [s.words for s in find_signs("No safeguarding concerns. Self-harm last week.")] == ["self-harm"]


def test_the_tier_and_reasons_name_the_sources_without_quoting_them():
    sign_off = assess_sources([(1, "Phone call about rent."), (2, "She spoke of suicide."),
                               (4, "He took an overdose; there is a possession order."), (5, "No safeguarding concerns.")])
    assert sign_off.tier == "supervisor"
    assert sign_off.reasons == (
        "Sources [2] and [4] mention suicide or self-harm (words found: 'suicide', 'overdose').",
        "Source [4] mentions homelessness or eviction (words found: 'possession order').")
    assert sign_off.as_dict() == {"tier": "supervisor", "reasons": list(sign_off.reasons), "model": "word rule",
                                  "score": None}
    assert assess_sources([(1, "Phone call about rent."), (2, "No safeguarding concerns.")]).as_dict() == {
        "tier": "officer", "reasons": [], "model": "word rule", "score": None}
    assert assess_sources([]).tier == "officer"


# The demo caseload, read by the real loaders. Labels are from reading each document.
DEMO_SIGNS = [
    ("BR-2024-0977/2024-10-08_case-notes.txt", "suicide or self-harm"),
    ("BR-2024-0977/2025-01-09_closure-note.md", "suicide or self-harm"),
    ("BR-2025-0141/2025-02-27_email-safeguarding-concern-to-asc.eml", "financial abuse or exploitation"),
    ("BR-2025-0158/2025-02-03_case-notes.txt", "hardship (no food, money or heating) or severe distress"),
    ("HS-2025-0450/2025-03-17_initial-contact-notes.txt", "domestic abuse or coercive control"),
    ("HS-2025-0388/2025-03-28_letter-possession-hearing.pdf", "homelessness or eviction"),
    ("HS-2024-1190/2024-11-19_inspection-notes.md", "neglect"),
    ("AS-2025-0310/2025-03-04_gp-safeguarding-referral.docx", "a safeguarding concern"),
    ("AS-2025-0277/2025-02-24_carers-assessment.docx", "disability, care needs or dependence on alcohol or drugs"),
    ("AS-2024-0862/2024-09-16_referral-email.eml", "financial abuse or exploitation"),
    ("PS-2025-0602/2025-03-31_pre-sentence-report.pdf", "domestic abuse or coercive control"),
]
DEMO_WITHOUT_SIGNS = [
    "BR-2025-0141/2025-01-20_request-for-information.pdf",
    "BR-2025-0141/2025-02-18_decision-notice.pdf",  # advice "if ... you cannot afford food" is not a sign
    "BR-2025-0158/2025-02-14_award-explanation-letter.pdf",
    "PS-2024-0733/2024-07-15_induction-notes.txt",
    "PS-2024-0733/2024-10-02_warning-letter.pdf",
]


@pytest.mark.parametrize("path, group", DEMO_SIGNS, ids=[p for p, _ in DEMO_SIGNS])
def test_demo_documents_with_signs_of_vulnerability_need_a_supervisor(path, group):
    text = load_file(DEMO_FILES / path).text
    sign_off = assess_sources([(3, text)])
    assert sign_off.tier == "supervisor"
    assert any(reason.startswith(f"Source [3] mentions {group} ") for reason in sign_off.reasons), sign_off.reasons


@pytest.mark.parametrize("path", DEMO_WITHOUT_SIGNS)
def test_demo_documents_without_signs_stay_with_the_officer(path):
    assert assess_sources([(1, load_file(DEMO_FILES / path).text)]).reasons == ()


def test_whole_demo_cases_split_as_read():
    def tier(reference: str) -> str:
        files = sorted((DEMO_FILES / reference).iterdir())
        return assess_sources([(n, load_file(f).text) for n, f in enumerate(files, 1)]).tier
    assert {r: tier(r) for r in ("AS-2025-0310", "HS-2025-0450", "BR-2024-0977", "PS-2024-0733")} == {
        "AS-2025-0310": "supervisor", "HS-2025-0450": "supervisor", "BR-2024-0977": "supervisor",
        "PS-2024-0733": "officer"}


CSSRS = "vulnerability/cssrs-reddit/posts.dev.csv"  # inside the shared corpus (tests/corpus.py)
AT_RISK = ("Ideation", "Behavior", "Attempt")


def _posts(cell: str) -> list[str]:
    import ast
    try:
        return [str(p) for p in ast.literal_eval(cell)]
    except (ValueError, SyntaxError):  # a few cells are not valid Python lists; keep them as one post
        return [cell]


def test_cssrs_reddit_users_at_risk_are_flagged_and_the_rate_is_reported():
    """Run with -s to see the figures. Read from the shared corpus at run time; nothing is copied."""
    import csv
    from collections import Counter
    flagged, total = Counter(), Counter()
    with corpus_path(CSSRS).open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            total[row["Label"]] += 1
            flagged[row["Label"]] += assess_sources(list(enumerate(_posts(row["Post"]), 1))).tier == "supervisor"
    for label in ("Supportive", "Indicator", *AT_RISK):
        print(f"CSSRS {label:10} flagged {flagged[label]:3}/{total[label]:3} = {flagged[label] / total[label]:.0%}")
    at_risk = sum(flagged[label] for label in AT_RISK) / sum(total[label] for label in AT_RISK)
    supportive = flagged["Supportive"] / total["Supportive"]
    print(f"CSSRS at risk (Ideation+Behavior+Attempt) {at_risk:.0%}, Supportive {supportive:.0%}")
    assert at_risk >= 0.8 and at_risk > supportive
