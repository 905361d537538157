"""My cases: the team's cases, each row a link to its case, with its summary's status and last activity as the log
has them; a long list comes in pages. Opening a case by click or keyboard is tests/test_browser_lists.py."""
from __future__ import annotations

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from retrieval.records.access import User
from tests.conftest import register
from tests.ui.conftest import new_app, open_page, sign_in, texts
from ui.common import when

ASHA = User("asha", "officer", "benefits")
HEADINGS = ["**Case**", "**Person**", "**Title**", "**Summary**", "**Last activity**"]


def listed(at) -> dict[str, list[str]]:
    """The rows as the user reads them, by the query their link opens the case page with: the link's text, then
    the person, title, summary and last activity."""
    cells = [m.value for m in at.main.markdown]
    assert cells[:len(HEADINGS)] == HEADINGS
    rows = [cells[len(HEADINGS) + 4 * n:len(HEADINGS) + 4 * (n + 1)] for n in range(len(at.main.page_link))]
    assert all(link.proto.page == "case" for link in at.main.page_link)
    return {link.proto.query_string: [link.value, *row] for link, row in zip(at.main.page_link, rows)}


def test_my_cases_lists_the_teams_cases_each_a_link_to_its_case(service):
    at = sign_in(new_app(service), "asha")
    rows = listed(at)
    assert [row[:4] for row in rows.values()] == [["BR-1", "Jane Jones", "Case BR-1", "No summary yet"],
                                                  ["BR-2", "Jane Jones", "Case BR-2", "No summary yet"]]
    assert list(rows) == ["case=BR-1", "case=BR-2"]  # housing's HS-1 is not hers to see
    at.text_input[0].input("br-2").run()
    assert list(listed(at)) == ["case=BR-2"]
    assert texts(at.caption) == ["Showing 1 of 2 cases. Select a case, or press Enter on its reference, to open it."]
    at = open_page(at, "ui/case.py", case="BR-2")  # where its link goes
    assert not at.exception and texts(at.title) == ["Case BR-2: Case BR-2"]


@pytest.mark.parametrize("closed", ["while the model writes", "as the checks begin"])
def test_a_draft_whose_page_is_closed_is_listed_as_stopped_at_that_time(service, closed):
    def page_closed(*args) -> None:  # what Streamlit raises in the run of a page that was closed
        raise StopException()

    with pytest.raises(StopException):
        if closed == "while the model writes":
            service.drafting.draft(ASHA, "BR-1", on_token=page_closed, direct=True)
        else:  # after the model's last word, before the draft is saved
            service.drafting.draft(ASHA, "BR-1", direct=True, on_stage=lambda stage: stage.startswith(
                "Checking") and page_closed())
    [stopped] = [e for e in service.stores.audit.events() if e.action == "draft_failed"]
    rows = listed(sign_in(new_app(service), "asha"))
    assert rows["case=BR-1"][3:] == ["Drafting stopped", when(stopped.recorded_at)]
    assert rows["case=BR-2"][3] == "No summary yet"


def test_a_long_list_comes_in_pages(service):
    for number in range(27):
        register(service, f"BR-{100 + number}")
    at = sign_in(new_app(service), "asha")
    first = list(listed(at))
    assert len(first) == 25
    assert texts(at.caption)[0].startswith("Showing 29 of 29 cases, 1 to 25 on this page.")
    at.pagination[0].set_value(2).run()
    second = list(listed(at))
    assert texts(at.caption)[0].startswith("Showing 29 of 29 cases, 26 to 29 on this page.")
    assert len(second) == 4 and set(first + second) == {f"case={c.overview.case.reference}"
                                                          for c in service.cases.cases(ASHA)}
