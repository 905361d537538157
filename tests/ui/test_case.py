"""The Case page: reading documents, adding files, related records, drafting and deciding, all through the service."""
from __future__ import annotations

from audit.errors import DraftChanged
from retrieval.access import User
from summariser.errors import ModelUnavailable
from tests.conftest import fake_chat
from tests.ui.conftest import AI_TEXT, NOTE, button, new_app, open_page, seed, sign_in, texts

ASHA = User("asha", "officer", "benefits")
SAM = User("sam", "supervisor", "benefits")
EDITED = AI_TEXT + "\nShe was told about the appeal deadline [1]."


def test_an_officer_drafts_edits_and_approves_and_the_log_records_exactly_that(service):
    before = len(service.audit.events())
    at = sign_in(new_app(service), "asha")
    at.selectbox[0].select("BR-1")
    button(at, "Open case").click()
    at.run()
    at.session_state["case_tab"] = "Summary"
    at.run()
    assert texts(at.info) == ["No summary has been drafted for this case yet."]

    button(at, "Draft summary").click()
    at.run()
    assert not at.exception and not at.error
    assert any(m.value == AI_TEXT for m in at.markdown)  # the streamed text, then the draft itself
    assert "**Status: Waiting for review.**" in " ".join(texts(at.markdown))
    assert [e.label for e in at.expander][0] == "Source [1]: note.txt, page 1"
    assert NOTE.decode().strip() in " ".join(texts(at.text))  # the cited passage can be read

    at.text_area[0].input(EDITED)
    button(at, "Save new version").click()
    at.run()
    assert texts(at.success)[0] == "Your edited version is saved. It still needs approving."
    button(at, "Approve this version").click()
    at.run()
    assert texts(at.success)[0] == "The draft is approved."
    assert not at.exception and not at.error and "Approve this version" not in [b.label for b in at.button]
    history = at.dataframe[-1].value
    assert list(history["Action"]) == ["Drafted a summary", "Saved an edited version", "Approved"]

    events = service.audit.events()[before:]
    assert [(e.action, e.actor) for e in events] == [("signed_in", "asha"), ("drafted", "asha"),
                                                     ("edited", "asha"), ("approved", "asha")]
    assert events[2].payload["text"] == EDITED and events[3].payload["version"] == 2
    assert service.audit.verify().intact
    [state] = service.drafts(ASHA, "BR-1")
    assert state.status == "approved" and state.current.text == EDITED


def test_a_decision_on_a_draft_that_changed_meanwhile_is_refused_and_the_new_state_shown(service):
    draft = service.draft(ASHA, "BR-1")
    at = open_page(sign_in(new_app(service), "asha"), "ui/case.py", case="BR-1", tab="Summary")
    service.edit(SAM, draft.draft_id, draft.last_seq, EDITED)  # the supervisor acts while asha looks
    button(at, "Approve this version").click()
    at.run()
    assert not at.exception
    assert texts(at.error) == [str(DraftChanged())]
    assert "**Status: Edited, waiting for review.**" in " ".join(texts(at.markdown))
    assert any(m.value == EDITED for m in at.markdown)
    assert service.draft_state(ASHA, draft.draft_id).status == "edited"
    button(at, "Approve this version").click()  # now on the state shown, it goes through
    at.run()
    assert service.draft_state(ASHA, draft.draft_id).status == "approved"


def test_a_rejection_needs_a_reason(service):
    draft = service.draft(ASHA, "BR-1")
    at = open_page(sign_in(new_app(service), "asha"), "ui/case.py", case="BR-1", tab="Summary")
    button(at, "Reject draft").click()
    at.run()
    assert texts(at.error) == ["Give a reason for rejecting the draft."]
    at.text_input(key=f"reject:{draft.draft_id}").input("It misses the March letter.")
    button(at, "Reject draft").click()
    at.run()
    assert texts(at.success) == ["The draft is rejected."]
    assert service.draft_state(ASHA, draft.draft_id).events[-1].payload["reason"] == "It misses the March letter."


def test_a_failed_draft_shows_why_and_can_be_retried(make_service):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise ModelUnavailable("The model file is missing.")
        return fake_chat(AI_TEXT)()

    service = seed(make_service(chat_model=flaky))
    at = open_page(sign_in(new_app(service), "asha"), "ui/case.py", case="BR-1", tab="Summary")
    button(at, "Draft summary").click()
    at.run()
    assert texts(at.error) == ["Drafting failed: The model file is missing."]
    button(at, "Retry drafting").click()
    at.run()
    assert not at.exception and not at.error
    failed, retried = service.drafts(ASHA, "BR-1")
    assert retried.status == "pending" and retried.drafted.payload["retry_of"] == failed.draft_id


def test_documents_are_read_page_by_page_and_files_added_with_one_line_each(service):
    at = open_page(sign_in(new_app(service), "asha"), "ui/case.py", case="BR-1", tab="Documents")
    assert list(at.dataframe[0].value["File"]) == ["note.txt"]
    assert at.selectbox(key="page:1").value == 1 and NOTE.decode().strip() in at.text[0].value

    at = open_page(at, "ui/case.py", case="BR-1", tab="Add documents")
    at.file_uploader[0].set_value([("visit.txt", b"Home visit on 02/02/2025: the boiler is broken.\n", "text/plain"),
                                  ("again.txt", NOTE, "text/plain"),
                                  ("program.exe", b"MZ\x90\x00", "application/octet-stream")])
    button(at, "Add files to the case").click()
    at.run()
    assert not at.exception
    assert [m.value.split(".")[0] for m in (*at.success, *at.info, *at.error)] == [
        "visit", "again", "program"]
    assert texts(at.success)[0].startswith("visit.txt: added.")
    assert texts(at.info)[0].startswith("again.txt: already held.")
    assert texts(at.error)[0].startswith("program.exe: refused.")
    assert [d.filename for d in service.documents(ASHA, "BR-1")] == ["note.txt", "visit.txt"]


def test_related_records_show_the_same_persons_cases_and_similar_passages(service):
    at = open_page(sign_in(new_app(service), "asha"), "ui/case.py", case="BR-1", tab="Related records")
    assert not at.exception
    assert [link.label for link in at.get("page_link")] == ["Open case BR-2: Case BR-2 (benefits)"]
    passages = at.dataframe[0].value
    assert set(passages["Case"]) == {"BR-2"}  # the housing case is not the officer's to see
    assert list(passages.columns) == ["File", "Page", "Case", "Similarity (0 to 1)", "Passage"]
