"""What the service does around a draft: grounding gates approval, conflicts and coverage are recorded,
templates follow the case type or one document, updates start from the last approved summary."""
from __future__ import annotations

import json
import re

import pytest

from workflow.errors import ApprovalBlocked, DecisionNotAllowed, DraftChanged, SupervisorApprovalRequired
from retrieval.records.access import User
from retrieval.ingest.pipeline import Upload
from summariser.errors import SummariserError
from tests.conftest import fake_chat, register

ASHA = User("asha", "officer", "benefits")
MORGAN = User("morgan", "supervisor", "benefits")
NOTE = b"14/01/2025 - Phone call with Ms Jones about rent arrears of \xc2\xa3412.67. She asked for a review.\n"
LETTER = b"Letter of 03/03/2025: your Universal Credit award is \xc2\xa31,240 per month. You may appeal within one month.\n"
SUPPORTED = "- [1] 14/01/2025: phone call with Ms Jones about rent arrears of £412.67."
INVENTED = "- [2] The award is £9,999 per month."


def service_with(make_service, *answers: str, files=(("note.txt", NOTE), ("letter.md", LETTER)), make_drafter=None):
    service = make_service(chat_model=fake_chat(*answers), make_drafter=make_drafter)
    register(service, "BR-1", "benefits")
    service.cases.ingest(ASHA, "BR-1", [Upload(name, data) for name, data in files])
    return service


def test_an_unsupported_sentence_blocks_approval_until_it_is_accepted_with_a_reason(make_service):
    service = service_with(make_service, f"## Background\n{SUPPORTED}\n{INVENTED}")
    state = service.drafting.draft(ASHA, "BR-1")
    recorded = state.drafted.data.grounding["sentences"]
    assert [s["supported"] for s in recorded] == [True, False]
    report = service.review.grounding_report(ASHA, state.draft_id)
    [unsupported] = report.unsupported
    assert "£9,999" in " ".join(unsupported.reasons)
    with pytest.raises(ApprovalBlocked, match="1 sentence"):
        service.review.approve(ASHA, state.draft_id, state.last_seq)
    state = service.review.accept_sentence(ASHA, state.draft_id, state.last_seq, unsupported.key, unsupported.text,
                                           "Confirmed by phone with the claimant today.")
    state = service.review.approve(ASHA, state.draft_id, state.last_seq)
    assert state.status == "approved"
    accepted = [e for e in state.events if e.action == "sentence_accepted"]
    assert accepted[0].data.reason == "Confirmed by phone with the claimant today."
    assert service.stores.audit.verify().intact


def test_editing_the_unsupported_sentence_away_unblocks_approval(make_service):
    service = service_with(make_service, f"## Background\n{SUPPORTED}\n{INVENTED}")
    state = service.drafting.draft(ASHA, "BR-1")
    state = service.review.edit(ASHA, state.draft_id, state.last_seq, f"## Background\n{SUPPORTED}")
    assert service.review.grounding_report(ASHA, state.draft_id).unsupported == []
    assert service.review.approve(ASHA, state.draft_id, state.last_seq).status == "approved"


def test_a_sentence_citing_the_wrong_source_can_be_made_to_cite_the_one_that_supports_it(make_service):
    miscited = "- [1] Letter of 03/03/2025: the Universal Credit award is £1,240 per month."
    service = service_with(make_service, f"## Background\n{SUPPORTED}\n{miscited}")
    state = service.drafting.draft(ASHA, "BR-1")
    [wrong] = service.review.grounding_report(ASHA, state.draft_id).unsupported
    assert wrong.supported_by == 2
    with pytest.raises(DraftChanged, match="no longer in the draft"):  # only what the check found is offered
        service.review.cite_instead(ASHA, state.draft_id, state.last_seq, wrong.key, 1)
    state = service.review.cite_instead(ASHA, state.draft_id, state.last_seq, wrong.key, 2)
    assert state.current.label == "officer edit" and state.current.author == "asha"
    assert state.current.text == f"## Background\n{SUPPORTED}\n{miscited.replace('[1]', '[2]')}"
    assert service.review.grounding_report(ASHA, state.draft_id).unsupported == []
    assert service.review.approve(ASHA, state.draft_id, state.last_seq).status == "approved"


def test_sources_that_disagree_get_a_conflicts_section_citing_both(make_service):
    service = service_with(make_service, f"## Background\n{SUPPORTED}", files=(
        ("note.txt", NOTE), ("form.txt", b"Claim form. Name: Jane Jones. Date of birth: 12/04/1961.\n"),
        ("letter.txt", b"Letter about Jane Jones. Date of birth: 21/04/1961.\n")))
    state = service.drafting.draft(ASHA, "BR-1")
    drafted = state.drafted.data
    assert len(drafted.conflicts) == 1 and drafted.conflicts[0]["subject"].lower().startswith("date of birth")
    assert "## Conflicts between sources" in state.current.text
    conflict_line = next(line for line in state.current.text.splitlines() if "12/04/1961" in line)
    assert "[2]" in conflict_line and "[3]" in conflict_line
    assert drafted.model_output_chars < len(state.current.text)  # the section is added after the model wrote


def test_coverage_lists_what_the_sources_mention_but_the_draft_omits(make_service):
    service = service_with(make_service, f"## Background\n{SUPPORTED}")
    state = service.drafting.draft(ASHA, "BR-1")
    gaps = {g.item: g.sources for g in service.review.coverage_gaps(ASHA, state.draft_id)}
    assert any("appeal" in item.lower() for item in gaps), gaps  # the letter mentions the right to appeal
    assert state.drafted.data.coverage


def test_a_correspondence_summary_reads_only_the_chosen_document(make_service):
    service = service_with(make_service, "## Who wrote\n- [2] Letter of 03/03/2025 about the award.")
    letter = next(d for d in service.cases.documents(ASHA, "BR-1") if d.filename == "letter.md")
    with pytest.raises(SummariserError, match="one letter or e-mail"):
        service.drafting.draft(ASHA, "BR-1", "correspondence")
    state = service.drafting.draft(ASHA, "BR-1", "correspondence", document_id=letter.id)
    drafted = state.drafted.data
    assert {s.document_id for s in drafted.sources} == {letter.id}
    assert [d.id for d in drafted.documents] == [letter.id] and drafted.document_id == letter.id


def test_an_update_drafts_what_changed_since_the_last_approved_summary(make_service):
    service = service_with(make_service, f"## Background\n{SUPPORTED}",
                           "## What changed\n- [3] 01/02/2026: a new letter arrived.")
    with pytest.raises(SummariserError, match="no approved summary"):
        service.drafting.draft(ASHA, "BR-1", update=True)
    first = service.drafting.draft(ASHA, "BR-1")
    first = service.review.approve(ASHA, first.draft_id, first.last_seq)
    with pytest.raises(SummariserError, match="No documents were added"):
        service.drafting.draft(ASHA, "BR-1", update=True)
    service.cases.ingest(ASHA, "BR-1", [Upload("new.txt", b"01/02/2026: a new letter arrived about the review.")])
    assert [c.summary_status for c in service.cases.cases(ASHA)] == ["stale"]
    update = service.drafting.draft(ASHA, "BR-1", update=True)
    drafted = update.drafted.data
    new_doc = next(d for d in service.cases.documents(ASHA, "BR-1") if d.filename == "new.txt")
    assert drafted.template.name == "case_update" and drafted.update_of == first.draft_id
    assert {s.document_id for s in drafted.sources} == {new_doc.id}
    service.review.approve(ASHA, update.draft_id, update.last_seq)
    statuses = {d.draft_id: d.status for d in service.review.drafts(ASHA, "BR-1")}
    assert statuses == {first.draft_id: "approved", update.draft_id: "approved"}  # the update adds to the summary
    assert [c.summary_status for c in service.cases.cases(ASHA)] == ["approved"]

    service.cases.ingest(ASHA, "BR-1", [Upload("newer.txt", b"05/03/2026: the claimant phoned about the letter.")])
    assert [c.summary_status for c in service.cases.cases(ASHA)] == ["stale"]
    basis = service.review.update_basis(ASHA, "BR-1")  # the next update starts from the full summary and its update
    assert basis.draft.draft_id == first.draft_id and [u.draft_id for u in basis.updates] == [update.draft_id]
    assert basis.approved_text.startswith(first.current.text) and "a new letter arrived" in basis.approved_text
    second = service.drafting.draft(ASHA, "BR-1", update=True)
    assert second.drafted.data.update_of == first.draft_id

    full = service.drafting.draft(ASHA, "BR-1")  # a new full summary replaces the whole family
    service.review.approve(ASHA, full.draft_id, full.last_seq)
    statuses = {d.draft_id: d.status for d in service.review.drafts(ASHA, "BR-1")}
    assert statuses[first.draft_id] == statuses[update.draft_id] == "superseded"
    assert statuses[full.draft_id] == "approved"
    with pytest.raises(DecisionNotAllowed, match="newer approved summary has since replaced"):
        service.review.approve(ASHA, second.draft_id, second.last_seq)  # it waited while the full summary was approved


def _letter_summary(make_service, answer: str, letter: bytes, make_drafter=None):
    """A correspondence summary of letter.txt, in a case whose two older records disagree on the date of birth."""
    service = service_with(make_service, answer, files=(
        ("form.txt", b"Claim form. Name: Jane Jones. Date of birth: 12/04/1961.\n"),
        ("old.txt", b"Old note about Jane Jones. Date of birth: 21/04/1961.\n"), ("letter.txt", letter)),
        make_drafter=make_drafter)
    document = next(d for d in service.cases.documents(ASHA, "BR-1") if d.filename == "letter.txt")
    return service, service.drafting.draft(ASHA, "BR-1", "correspondence", document_id=document.id)


def test_a_letter_that_disagrees_with_older_records_gets_a_conflicts_section(make_service):
    from summariser.drafting.drafter import Drafter
    given_to_model = []

    class Recording(Drafter):
        """The real drafter, noting which sources it gives the model."""
        def draft(self, template, case, sources, *rest):
            given_to_model.extend(s.number for s in sources)
            return super().draft(template, case, sources, *rest)
    service, state = _letter_summary(make_service, "## Who wrote\n- [3] A letter about Jane Jones.",
                                     b"Letter about Jane Jones. Date of birth: 12/04/1962.\n", make_drafter=Recording)
    drafted = state.drafted.data
    assert len(drafted.conflicts) == 1 and "12/04/1962" in state.current.text
    assert drafted.compared_only == [1, 2]  # the older passages are cited, not given to the model
    assert [s.n for s in drafted.sources] == [1, 2, 3]
    assert sorted(d.filename for d in drafted.documents) == ["form.txt", "letter.txt", "old.txt"]
    assert given_to_model == [3]
    assert service.review.citation_report(ASHA, state.draft_id).unresolved == []
    conflict_line = next(line for line in state.current.text.splitlines() if "12/04/1962" in line)
    assert {"[1]", "[2]", "[3]"} <= set(re.findall(r"\[\d\]", conflict_line))


def test_a_letter_repeats_no_disagreement_it_takes_no_part_in(make_service):
    _, state = _letter_summary(make_service, "## Who wrote\n- [3] A letter about Jane Jones.",
                               b"Letter about Jane Jones asking for a call back.\n")
    assert state.drafted.data.conflicts == [] and state.drafted.data.compared_only == []
    assert "Conflicts between sources" not in state.current.text


def test_signs_of_vulnerability_need_a_supervisors_approval(make_service):
    service = service_with(make_service, "## Background\n- [1] 14/01/2025: Ms Jones said she had thoughts of "
                                         "self-harm.", files=(
        ("note.txt", b"14/01/2025 - Ms Jones said she had thoughts of self-harm after the letter.\n"),))
    state = service.drafting.draft(ASHA, "BR-1")
    assert state.drafted.data.sign_off.tier == "supervisor"
    with pytest.raises(SupervisorApprovalRequired):
        service.review.approve(ASHA, state.draft_id, state.last_seq)
    assert service.review.approve(MORGAN, state.draft_id, state.last_seq).status == "approved"


def test_a_check_that_fails_keeps_the_models_text_and_runs_again_when_opened(make_service):
    service = service_with(make_service, f"## Background\n{SUPPORTED}")

    class Failing:
        def check(self, *args, **kwargs):
            raise RuntimeError("embedding model crashed")
    service.drafting.grounding = Failing()  # only while drafting: the review service keeps the working checker
    state = service.drafting.draft(ASHA, "BR-1")
    assert state.status == "pending" and state.current.text == f"## Background\n{SUPPORTED}"
    assert "could not run" in state.drafted.data.checks_error
    assert service.review.grounding_report(ASHA, state.draft_id).unsupported == []


def test_a_template_is_refused_for_the_wrong_kind_of_draft(make_service):
    service = service_with(make_service, f"## Background\n{SUPPORTED}")
    with pytest.raises(SummariserError, match="drafts an update"):
        service.drafting.draft(ASHA, "BR-1", "case_update")
    with pytest.raises(SummariserError, match="summarises a whole case"):
        service.drafting.draft(ASHA, "BR-1", "benefit_review", document_id=1)
    assert service.review.drafts(ASHA, "BR-1") == []  # refused before anything was recorded


def test_erasing_the_person_leaves_no_quoted_source_text_in_the_chain(make_service):
    service = service_with(make_service, f"## Background\n{SUPPORTED}")
    state = service.drafting.draft(ASHA, "BR-1")
    assert state.drafted.data.grounding["sentences"][0]["support"]  # a quote from the note
    service.records_admin.erase_person(User("admin", "admin", "all"), "P-1", "Erasure request")
    [drafted] = service.stores.audit.events(draft_id=state.draft_id)
    assert "412.67" not in json.dumps(drafted.chained_payload) and "412.67" not in json.dumps(drafted.payload)
    assert service.stores.audit.verify().intact
