"""Composing drafts from checked facts: placing by kind in date order, merging a fact two passages state,
citations that only the tool writes (the model cites fact ids it was given, nothing else), the template's
`compose` front-matter, and the drafting service recording what a composed draft rests on."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.ingest.pipeline import Upload
from retrieval.records.access import User
from settings import PROJECT_ROOT
from summariser.drafting.citations import Source
from summariser.drafting.composer import (NOTHING, Composer, case_facts, left_out_line, merge_duplicates, select,
                                          says_something_in_turn, states_something)
from summariser.drafting.templates import TemplateLibrary, parse_template
from summariser.errors import SummariserError, TemplateInvalid
from summariser.reading.model import ReadFact, passage_sha256
from summariser.checks.grounding import split_draft
from tests.conftest import HashingEmbedder, SentenceReader, fake_chat, register, run_reading

TEMPLATES = TemplateLibrary(PROJECT_ROOT / "prompts")
ASHA = User("asha", "officer", "benefits")


def source(number: int, text: str, filename: str = "letter.txt") -> Source:
    return Source(number, f"c{number}", "BR-1", number, filename, 1, 0, len(text), text)


def fact(text: str, quote: str, kind: str, date: str | None = None) -> ReadFact:
    start = text.index(quote)
    return ReadFact(kind, date, quote, start, start + len(quote), None, True, None)


DECISION = "On 3 March 2025 we refused the grant of £300."
LATER = "You may appeal by 14 April 2025."
EARLIER = "Mrs Jones phoned on 2 February 2025."
S1 = f"{DECISION} {LATER}"
S2 = f"{EARLIER} She has not eaten for two days."
S3 = f"File note. {DECISION}"  # the decision again, in another document


def facts_by_passage() -> dict[str, list[ReadFact]]:
    return {passage_sha256(S1): [fact(S1, DECISION, "decision", "3 March 2025"),
                                 fact(S1, LATER, "deadline_or_right", "14 April 2025")],
            passage_sha256(S2): [fact(S2, EARLIER, "event", "2 February 2025"),
                                 fact(S2, "She has not eaten for two days.", "circumstance_or_vulnerability")],
            passage_sha256(S3): [fact(S3, DECISION, "decision", "3 March 2025")]}


SOURCES = [source(1, S1), source(2, S2, "note.txt"), source(3, S3, "file-note.txt")]


def test_a_passage_held_twice_gives_its_facts_once_citing_both():
    sources = [source(1, S1), source(2, S1, "copy.txt")]
    facts = case_facts(sources, facts_by_passage())
    assert [(f.text, f.sources) for f in facts] == [(DECISION, (1, 2)), (LATER, (1, 2))]


@pytest.mark.parametrize("text, stated", [
    ("Grounds:", False), ("Yours faithfully,  Bethan Lowry Welfare Rights Adviser", False),
    ("4. Official error and recoverability.", False), ("Paying the money back", False),
    ("Dear Mrs Kowalczyk,", False), ("Total 24 £1,872.90", True), ("Deadline 24/03/2025.", True),
    ("She cares for Tomasz for well over 35 hours a week.", True),
    ("Our reference: BR-2025-0203 National Insurance number: QQ 17 69 03 D Date: 24 March 2025", False),
    ("Subject: Mandatory reconsideration request - Mrs I Kowalczyk, ref BR-2025-0203", True),
    ("Kelderby Borough Council - Adult Social Care  |  AS-2024-0862  |  Page 2 of 2", False),
    ("Kelderby Borough Council - Adult Social Care", False), ("Period Weeks over the limit Weekly rate Overpaid", False),
    ("| Outcome | Is it affected? | Notes |", False),
    ("| Assessor | Kwame Mensah, Social Worker |", True),  # a field and its value is a fact, if a small one
    ("- to stay living in her own home and to have control of her own money;", True),
    ("Discuss with Mrs Harrowby her options about Mr Harrowby living at the address", True)])
def test_headings_letterheads_and_greetings_are_not_facts_a_draft_lists(text, stated):
    assert states_something(text) is stated


@pytest.mark.parametrize("turn, says", [
    ("[patient] sure .", False), ("[doctor] okay .", False), ("Claimant: no.", False),
    ("[doctor] hi , brian . how are you ?", False), ("Officer: Good morning, Mrs Jones.", False),
    ("[patient] i feel bloated every once in a while .", True), ("Claimant: yes, 3 times.", True),
    ("Officer: Thank you, I will send the form to your new address today.", True)])
def test_a_turn_that_only_keeps_the_talk_going_or_greets_says_nothing(turn, says):
    assert says_something_in_turn(turn) is says


def test_a_transcripts_filler_turns_are_not_listed_but_the_same_words_in_a_record_are():
    call = "\n".join(["Officer: Good morning, Mrs Jones.", "Claimant: Morning.",
                      "Officer: Have you been able to buy food this week?", "Claimant: No.",
                      "Officer: Okay.", "Claimant: I have not eaten for two days."])
    turns = call.splitlines()
    read = {passage_sha256(call): [fact(call, turn, "other") for turn in turns]}
    listed = [f.text for f in case_facts([source(1, call, "call.txt")], read)]
    assert listed == ["Officer: Have you been able to buy food this week?", "Claimant: I have not eaten for two days."]
    note = "Claimant: No. The grant was refused."  # a record's field, not a turn: its short sentence stays
    read = {passage_sha256(note): [fact(note, "Claimant: No.", "decision")]}
    assert [f.text for f in case_facts([source(1, note)], read)] == ["Claimant: No."]


def test_one_passage_text_read_twice_is_shown_once_under_the_kind_that_matters_most():
    text = "We refused the grant of £300. You may appeal by 14 April 2025."
    both = fact(text, text, "decision")  # the two sentences as one fact, and each on its own
    facts = {passage_sha256(text): [
        fact(text, "We refused the grant of £300.", "decision"), fact(text, "We refused the grant of £300.", "money"),
        both, fact(text, "You may appeal by 14 April 2025.", "deadline_or_right")]}
    shown = case_facts([source(1, text)], facts)
    assert [(f.kind, f.text) for f in shown] == [("money", "We refused the grant of £300."),
                                                 ("deadline_or_right", "You may appeal by 14 April 2025.")]
    longer = "You may appeal by 14 April 2025, one month from this letter."
    text = f"We refused the grant. {longer}"
    facts = {passage_sha256(text): [
        fact(text, "You may appeal by 14 April 2025", "request"), fact(text, longer, "deadline_or_right")]}
    assert [f.text for f in case_facts([source(1, text)], facts)] == [longer]  # the part is in the whole
    listed = "4. Official error and recoverability.\n5. She was paid £45 a week."
    facts = {passage_sha256(listed): [fact(listed, "4. Official error and recoverability.", "other"),
                                      fact(listed, "5. She was paid £45 a week.", "money")]}
    assert [f.text for f in case_facts([source(1, listed)], facts)] == ["She was paid £45 a week."]
    form = "- **Beacon:** Nathan was seen on 18/09/2024 at the office, alone."
    facts = {passage_sha256(form): [fact(form, form, "event")]}
    assert [f.text for f in case_facts([source(1, form)], facts)] == [  # Markdown's bold marks are not words
        "Beacon: Nathan was seen on 18/09/2024 at the office, alone."]


def test_the_same_fact_from_two_passages_is_one_fact_citing_both_but_a_different_amount_is_not():
    facts = case_facts(SOURCES, facts_by_passage())
    merged = merge_duplicates(facts, HashingEmbedder())
    decisions = [f for f in merged if f.kind == "decision"]
    assert [(f.text, f.sources, len(f.read_from)) for f in decisions] == [(DECISION, (1, 3), 2)]
    changed = {**facts_by_passage()}
    other = "File note. On 3 March 2025 we refused the grant of £350."
    changed[passage_sha256(other)] = [fact(other, other[11:], "decision", "3 March 2025")]
    kept = merge_duplicates(case_facts([source(1, S1), source(3, other)], changed), HashingEmbedder())
    assert len([f for f in kept if f.kind == "decision"]) == 2  # £300 and £350 are not the same fact


def test_composed_draft_places_facts_by_kind_in_date_order_and_the_model_cites_only_fact_ids():
    template = TEMPLATES.get("case_summary")
    # The model cites F1 (the facts it is shown are in date order: F1 is the 2 February call) and an id it
    # was never given, which the tool drops.
    answer = json.dumps({"sentences": [{"text": "Mrs Jones phoned about a refused grant.", "facts": ["F1", "F9"]},
                                       {"text": "Nothing cited here.", "facts": ["F9"]}]})
    composer = Composer(fake_chat(answer)(), TEMPLATES.get("draft_overview"), HashingEmbedder())
    composed = composer.compose(template, "BR-1", "Jane Jones", "benefit-review", SOURCES, facts_by_passage())
    assert composed.text.split("\n\n") == [
        "## Background\n- Mrs Jones phoned about a refused grant [2].",
        f"## Key events\n- [2] {EARLIER}\n- [1][3] {DECISION}",  # by date; the decision merged from 1 and 3
        f"## Current situation\n{NOTHING}",
        "## Risks and vulnerabilities\n- [2] She has not eaten for two days.",
        f"## Actions and deadlines\n- [1] {LATER}",
        f"## Open questions\n{NOTHING}"]
    assert composed.model_text == "Mrs Jones phoned about a refused grant [2]."
    assert composed.steps[0]["facts_shown"] == 4


def test_without_a_model_the_draft_is_the_facts_alone():
    composed = Composer(None, TEMPLATES.get("draft_overview"), HashingEmbedder()).compose(
        TEMPLATES.get("case_summary"), "BR-1", "Jane Jones", "benefit-review", SOURCES, facts_by_passage())
    assert composed.text.startswith(f"## Background\n{NOTHING}") and composed.model_text == ""


@pytest.mark.parametrize("compose, problem", [
    ("compose:\n  A: [event, decision, money, deadline_or_right, circumstance_or_vulnerability]\n  B: [request]\n",
     "every kind of fact"),  # contact_or_adjustment and other are placed nowhere
    ("compose:\n  A: [overview, event, decision, money, deadline_or_right]\n  B: [overview, request, other, "
     "circumstance_or_vulnerability, contact_or_adjustment]\n", "the overview at most once"),
    ("compose:\n  A: [event, decisions]\n  B: []\n", "may list only these kinds"),
    ("compose:\n  A: [event]\n", "every section heading"),
])
def test_a_compose_map_that_loses_a_kind_or_names_a_wrong_one_is_refused(tmp_path: Path, compose, problem):
    path = tmp_path / "mine.md"
    path.write_text("---\nname: mine\nversion: 1\ndescription: d\ninput_variables: [sources]\nsections: [A, B]\n"
                    f"{compose}---\n=== system ===\ns\n=== user ===\n{{sources}}\n")
    with pytest.raises(TemplateInvalid, match=problem):
        parse_template(path)


def test_every_summary_template_composes():
    for name in TEMPLATES.summary_names(None) + TEMPLATES.names_with_role("update"):
        assert TEMPLATES.get(name).compose, name


# the drafting service ---------------------------------------------------------------------------------------------
LETTER = (b"We wrote to you on 3 March 2025 about your award. Your rent is \xc2\xa3412 a month. "
          b"You called us on 14/01/2025.\n")
VISIT = b"Home visit on 02/02/2025: the boiler is broken.\n"


def test_service_composes_from_what_is_read_and_records_what_the_draft_rests_on(make_service):
    overview = json.dumps({"sentences": [{"text": "The rent is £412 a month", "facts": ["F1"]}]})
    service = make_service(chat_model=fake_chat(overview, overview), make_reader=SentenceReader, draft_from="facts")
    register(service)
    service.cases.ingest(ASHA, "BR-1", [Upload("letter.txt", LETTER)])
    with pytest.raises(SummariserError, match="None of the 1 passages of this case is read for facts yet"):
        service.drafting.draft(ASHA, "BR-1")  # nothing read: refused, nothing recorded
    assert not [e for e in service.stores.audit.events(case_reference="BR-1") if "draft" in e.action]
    run_reading(service)
    service.cases.ingest(ASHA, "BR-1", [Upload("visit.txt", VISIT)])  # queued, not read: left out, and counted
    state = service.drafting.draft(ASHA, "BR-1", "case_summary")
    drafted = state.drafted.data
    assert state.status == "pending" and drafted.method == "composed"
    assert "- [1] Your rent is £412 a month." in drafted.output and "boiler" not in drafted.output
    assert drafted.composition["model_text"] == "The rent is £412 a month [1]."
    assert len(drafted.composition["unread_passages"]) == 1
    assert drafted.composition["reading"] == {"model": "test-reader", "prompt": "passage_facts",
                                              "prompt_version": "test"}
    assert drafted.composition["overview_template"]["name"] == "draft_overview"
    assert {f["kind"] for f in drafted.composition["facts"]} == {"event", "money"}
    assert drafted.citations["unresolved"] == [] and state.versions[0].label == "composed draft"
    direct = service.drafting.draft(ASHA, "BR-1", "case_summary", direct=True)  # the older path, on request
    assert direct.drafted.data.method == "direct" and direct.versions[0].label == "AI draft"


def phone_calls(days: int) -> tuple[list[str], list[Source], dict[str, list[ReadFact]]]:
    """One dated event a passage, a source each: more than a heading lists."""
    texts = [f"Mrs Jones phoned on {day} March 2025 about her claim." for day in range(1, days + 1)]
    read = {passage_sha256(text): [fact(text, text, "event", f"{day} March 2025")]
            for day, text in enumerate(texts, 1)}
    return texts, [source(n, text) for n, text in enumerate(texts, 1)], read


def test_past_the_limit_a_heading_keeps_the_facts_an_officer_can_least_miss_and_names_the_rest():
    texts, sources, read = phone_calls(8)
    composition = Composer(None, TEMPLATES.get("draft_overview"), HashingEmbedder()).compose(
        TEMPLATES.get("case_summary"), "BR-1", "Jane Jones", "benefits", sources, read)
    events = composition.text.split("## Key events\n")[1].split("\n\n")[0].splitlines()
    assert events == [f"- [{n}] {texts[n - 1]}" for n in range(3, 9)] + [  # the most recent six, in date order
        "- [1][2] Not listed here: 2 more facts for this heading."]
    assert [f.sources for f in composition.left_out] == [(1,), (2,)]
    assert split_draft(events[-1]) == []  # a note of the tool's: nothing to check
    shown, left_out = select(case_facts(sources, read), limit=7)
    assert len(shown) == 7 and left_out_line(left_out) == "- [1] Not listed here: 1 more fact for this heading."


def test_a_sentence_opening_with_the_tools_words_is_still_checked():
    assert split_draft("- [1] Not listed here: she admitted the overpayment.") != []
