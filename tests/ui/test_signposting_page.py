"""The Case page's suggestions of services (ui/signposting.py), driven by AppTest with the real services: the need's
passage is shown marked, the officer ticks services, and the text to copy comes with an audited choice."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from demo.seed import DEMO, seed_directory
from retrieval.ingest.pipeline import Upload
from retrieval.records.access import User
from tests.conftest import register
from tests.ui.conftest import ADMIN, button, texts
from ui.common import plain

ASHA = User("asha", "officer", "benefits", "Asha")


def case_section():
    """The one line the Case page calls, alone on a page."""
    import streamlit as st
    from ui.signposting import show_signposting
    show_signposting(st.session_state["service"].signposting, st.session_state["test_user"],
                     st.session_state["test_case"])


def section(service, reference: str = "BR-1") -> AppTest:
    at = AppTest.from_function(case_section, default_timeout=60)
    at.session_state["service"] = service
    at.session_state["test_user"] = ASHA
    at.session_state["test_case"] = reference
    return at.run()


def test_the_needs_are_shown_with_their_passages_and_the_chosen_services_give_text_to_copy(service):
    seed_directory(service, ADMIN, DEMO)
    at = section(service)
    assert not at.exception and not at.error
    assert plain("Services that may help: this case shows 2 needs (debt and money, housing or homelessness)") in \
        texts(at.markdown)
    assert texts(at.subheader) == ["Debt and money", "Housing or homelessness"]
    marked = [h.proto.body for h in at.get("html")]
    assert any("<mark>arrears</mark>" in body for body in marked)  # the need's words, marked in the note
    assert any("<mark>rent arrears</mark>" in body for body in marked)
    assert any("From note.txt, page 1" in c for c in texts(at.caption))
    labels = [c.label for c in at.checkbox]
    assert len(labels) == 4 and all(label.startswith("Mention ") for label in labels)

    button(at, "Add to the case note").click()
    at.run()
    assert texts(at.warning) == ["Tick at least one service first."]
    assert service.stores.audit.events(actions=("signposting_chosen",)) == []

    next(c for c in at.checkbox if c.label.startswith(plain("Mention National debt advice line (demo entry)"))).check()
    button(at, "Add to the case note").click()
    at.run()
    assert not at.exception and not at.error
    assert texts(at.success) == ["Your choice is recorded. Copy this text into your letter or case note."]
    [note] = at.text_area
    assert note.label == "Text for your letter or case note (select it and copy it)"
    assert "- National debt advice line (demo entry): Freephone 0808 157 0101" in note.value
    assert "Helps with debt and money; a national service." in note.value
    [event] = service.stores.audit.events(case_reference="BR-1", actions=("signposting_chosen",))
    assert event.actor == "asha" and [s.name for s in event.data.services] == ["National debt advice line (demo entry)"]


def test_a_case_showing_no_need_says_so(service):
    register(service, "BR-9", "benefits", "P-9", "Ann Lee")
    service.cases.ingest(ADMIN, "BR-9", [Upload("visit.txt", b"Home visit on 3 March. No concerns about food.\n")])
    at = section(service, "BR-9")
    assert not at.exception
    assert plain("Services that may help: no needs found in this case's documents") in texts(at.markdown)
    assert not at.checkbox and not at.button


def test_another_teams_case_shows_the_refusal_only(service):
    at = section(service, "HS-1")
    assert not at.exception and not at.markdown
    assert texts(at.error)[0].startswith("You cannot open case HS-1")
