"""My cases, and a draft whose tab is closed, in a real browser against the real server.

The server is tests/test_browser.py's (the demo caseload, the small model), on a database named here so the test
can read what the app recorded. My cases at 1280 px: every column in view, nothing cut off, a click anywhere on a
row opens its case, and Tab then Enter on a case's reference opens it, each control passed showing its focus. A
draft whose page is closed while the model works is recorded as stopped, not failed, and leaves the model free;
My cases then says so, with that moment as the case's last activity.
"""
from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect, sync_playwright

from audit.status_table import INTERRUPTED, StatusTable
from database import make_engine
from demo.seed import DEMO_PASSWORD
from schema import audit_events, model_queue_tickets
from tests.test_browser import (ARTEFACTS, CASE, CHROMIUM, FOCUS_RING, _demo_accounts, accessibility_findings,
                                contrast, server)  # noqa: F401 (server: the fixture that starts the app)
from ui.common import when

pytestmark = pytest.mark.browser
ROWS = '[class*="st-key-case_row_"]'
# Whether anything in the list is cut off: a cell whose text is wider than its box, or a row past the main column.
CUT_OFF = """() => {
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  const main = {right: block.getBoundingClientRect().right - parseFloat(getComputedStyle(block).paddingRight)};
  const cells = [...document.querySelectorAll('.st-key-case_list_head p, [class*="st-key-case_row_"] p')];
  const rows = [...document.querySelectorAll('.st-key-case_list_head, [class*="st-key-case_row_"]')];
  return {
    cut: cells.filter(p => p.scrollWidth > p.clientWidth + 1 || p.getBoundingClientRect().right > main.right + 1)
              .map(p => p.textContent),
    list_px: Math.max(...rows.map(r => r.scrollWidth)),
    rightmost_px: Math.round(Math.max(...cells.map(p => p.getBoundingClientRect().right))),
    column_right_px: Math.round(main.right),
  };
}"""

STOP = """() => { const el = document.activeElement;
  return `${el.tagName} ${el.getAttribute('aria-label') || el.textContent.trim().slice(0, 60)}`; }"""


@pytest.fixture(scope="module", autouse=True)
def database(tmp_path_factory):
    """The app's database, named in this process's environment before the server starts (the server fixture
    passes that environment on), so the test can read the drafts and events the app records."""
    url = f"sqlite:///{tmp_path_factory.mktemp('lists-db') / 'casework.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        yield make_engine(url)


@pytest.fixture(scope="module")
def browser(server):
    expect.set_options(timeout=120_000)  # the first request builds the services (embedding model, index)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        yield chromium
        chromium.close()


def settled(page) -> None:
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    expect(page.locator("[data-stale='true']")).to_have_count(0)


def arrived(page, heading: str) -> None:
    """A page change puts focus on the new page's main heading."""
    main_heading = page.locator('[data-testid="stMain"] h1').first
    expect(main_heading).to_contain_text(heading)
    expect(main_heading).to_be_focused()
    settled(page)


def signed_in(browser, server, username: str):
    """A new tab at 1280 by 900 pixels, signed in as `username`, on My cases."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server)
    settled(page)
    page.get_by_role("textbox", name="User name").fill(username)
    page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
    sign_in = page.get_by_role("button", name="Sign in")
    for _ in range(2):  # a press that lands while the new session's websocket settles can be dropped: press again
        sign_in.click()
        try:
            expect(page.get_by_text("Signed in as")).to_be_visible(timeout=30_000)
            break
        except AssertionError:
            settled(page)  # still building the services, perhaps: judge the press only once the run is over
            if not sign_in.count():
                break
    arrived(page, "My cases")
    return page


def test_my_cases_fits_1280_px_and_a_case_opens_by_click_or_by_tab_and_enter(browser, server):
    officer = _demo_accounts()[0]
    page = signed_in(browser, server, officer)
    rows = page.locator(ROWS)
    assert rows.count() == 4  # the benefits team's cases
    fit = page.evaluate(CUT_OFF)
    (ARTEFACTS / "my-cases-width.txt").write_text(json.dumps(fit) + "\n")
    page.screenshot(path=str(ARTEFACTS / "my-cases-1280.png"), full_page=True)
    assert fit["cut"] == [] and fit["rightmost_px"] <= fit["column_right_px"], fit
    assert not accessibility_findings(page, "lists-officer-my-cases")

    row = rows.filter(has_text=CASE)
    box = row.bounding_box()
    row.click(position={"x": box["width"] / 2, "y": box["height"] / 2})  # on the title, not on the link itself
    arrived(page, f"Case {CASE}")

    page.get_by_role("link", name="My cases").click()
    arrived(page, "My cases")
    target, stops = page.get_by_role("link", name=CASE, exact=True), []
    while not target.evaluate("el => el === document.activeElement"):
        assert len(stops) < 40, "Tab never reached the case's link"
        page.keyboard.press("Tab")
        stops.append(page.evaluate(STOP))
        ring = page.evaluate(FOCUS_RING)
        assert ring and contrast(ring["color"]) >= 3, f"no visible focus indicator on {stops[-1]}"
    page.keyboard.press("Enter")
    arrived(page, f"Case {CASE}")
    (ARTEFACTS / "my-cases-keyboard.txt").write_text(
        f"{len(stops)} Tab presses, then Enter, from the My cases heading to case {CASE} (4th row), past:\n"
        + "".join(f"- {stop}\n" for stop in stops))
    page.close()


@pytest.mark.model
def test_a_draft_whose_tab_is_closed_is_recorded_as_stopped_and_frees_the_model(browser, server, database):
    officer = _demo_accounts()[0]
    page = signed_in(browser, server, officer)
    page.locator(ROWS).filter(has_text=CASE).get_by_role("link").click()
    arrived(page, f"Case {CASE}")
    page.get_by_role("tab", name="Summary").click()
    settled(page)
    page.get_by_role("button", name="Draft summary").click()
    # The model has the prompt: it is reading it or writing. (The small model writes its ~60 tokens in about a
    # second; a draft that ends before the tab closes is rightly saved for review, so close before that.)
    expect(page.get_by_text("Writing the summary")).to_be_visible()
    page.close()

    statuses = StatusTable(database)
    for _ in range(1200):  # the stop lands when the model hands over its next token
        if drafts := statuses.drafts(case_reference=CASE):
            break
        time.sleep(0.5)
    assert [d.status for d in drafts] == ["stopped"]
    with database.connect() as conn:
        event = conn.execute(sa.select(audit_events).where(audit_events.c.draft_id == drafts[0].draft_id)).one()
        tickets = conn.execute(sa.select(sa.func.count()).select_from(model_queue_tickets)).scalar_one()
    assert event.action == "draft_failed" and json.loads(event.payload)["error_type"] == INTERRUPTED
    assert tickets == 0  # nobody holds or waits for the model

    page = signed_in(browser, server, officer)
    row = page.locator(ROWS).filter(has_text=CASE)
    assert "Drafting stopped" in row.inner_text()
    assert when(event.recorded_at) in row.inner_text()  # the draft is the case's latest activity
    page.close()
