"""A real browser against the real server: officer uploads a PDF, drafts with the small model, approves;
the supervisor finds the decision in the audit log. Screenshots of each step go to test-artefacts/browser/.

The officer's part uses the keyboard only (Enter on focused controls, typing into fields); the file itself
is handed to the file input, as the operating system's file dialog would.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from demo.seed import DEMO_PASSWORD
from summariser.drafting.model_files import bundled_smollm
from tests.conftest import PROJECT, free_port, wait_for

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = PROJECT / "test-artefacts" / "browser"
CASE = "BR-2025-0203"


def _demo_accounts():
    import json
    caseload = json.loads((PROJECT / "demo" / "caseload.json").read_text())
    case = next(c for c in caseload["cases"] if c["reference"] == CASE)
    supervisor = next(a for a in caseload["accounts"] if a["role"] == "supervisor" and a["team"] == case["team"])
    return case["officer"], supervisor["username"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI: make test installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    data = tmp_path_factory.mktemp("browser-data")
    env = dict(os.environ, CASEWORK_DATA_DIR=str(data), CASEWORK_LLM_MODEL_PATH=str(bundled_smollm()),
               CASEWORK_LLM_CONTEXT_TOKENS="4096", CASEWORK_LLM_MAX_OUTPUT_TOKENS="160",
               CASEWORK_DRAFT_FROM="passages")  # no reading worker runs beside this server
    if os.environ.get("CASEWORK_BROWSER_DEFAULT_MODEL"):  # for measuring the app with the real default model
        for key in ("CASEWORK_LLM_MODEL_PATH", "CASEWORK_LLM_CONTEXT_TOKENS", "CASEWORK_LLM_MAX_OUTPUT_TOKENS"):
            env.pop(key)
    subprocess.run([sys.executable, "cli.py", "--operator", "seed-demo"], cwd=PROJECT, env=env,
                   check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                "--server.address", "127.0.0.1", "--server.headless", "true",
                                "--browser.gatherUsageStats", "false"], cwd=PROJECT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/_stcore/health", process)
    yield url
    with open(f"/proc/{process.pid}/status") as status:  # the app's peak memory, kept with the screenshots
        peak = next(line for line in status if line.startswith("VmHWM"))
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "server-peak-memory.txt").write_text(peak)
    process.terminate()
    process.wait(timeout=20)


def _pdf(path: Path) -> Path:
    from fpdf import FPDF
    pdf = FPDF()
    for text in ("Letter of 02/04/2025: the overpayment of 1,203.40 pounds will be recovered at 40 pounds a week.",
                 "Page two: Mrs Kowalczyk may ask for a mandatory reconsideration by 02/05/2025."):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


@pytest.mark.browser
@pytest.mark.model
def test_officer_drafts_and_approves_supervisor_sees_it(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright
    officer, supervisor = _demo_accounts()
    expect.set_options(timeout=120_000)  # the first request builds the services (embedding model, index)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)

        def shot(name: str) -> None:
            page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)

        def settled() -> None:
            """Wait until Streamlit has finished running the page and no element on it is left over from before:
            mid-run, a count of controls or a box just filled can still change."""
            expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
            expect(page.locator("[data-stale='true']")).to_have_count(0)

        def sign_in(username: str) -> None:
            page.goto(server)
            page.get_by_role("textbox", name="User name").fill(username)
            password = page.get_by_role("textbox", name="Password")
            password.fill(DEMO_PASSWORD)
            password.press("Enter")  # keyboard only
            expect(page.get_by_text("Signed in as")).to_be_visible()

        sign_in(officer)
        shot("01-officer-signed-in")
        page.get_by_role("link", name="Case", exact=True).press("Enter")  # in-app navigation keeps the session
        # "My cases" has a chooser of the same name: wait until the Case page has replaced it
        expect(page.get_by_role("heading", name="Case", exact=True)).to_be_visible()
        settled()
        chooser = page.get_by_role("combobox", name="Case to open")
        chooser.focus()
        chooser.fill(CASE)
        # Enter picks the highlighted option: wait until typing has brought this case to the top of the list
        expect(page.get_by_role("option").first).to_contain_text(CASE)
        chooser.press("Enter")
        expect(chooser).to_have_value(re.compile(CASE))
        page.get_by_role("button", name="Open case").press("Enter")
        expect(page.get_by_role("heading", name=f"Case {CASE}")).to_be_visible()
        page.get_by_role("tab", name="Add documents").press("Enter")
        page.locator("input[type=file]").set_input_files(str(_pdf(tmp_path / "recovery-letter.pdf")))
        expect(page.get_by_role("button", name="Remove recovery-letter.pdf")).to_be_visible()  # upload finished
        page.get_by_role("button", name="Add files to the case").press("Enter")
        expect(page.get_by_text("recovery-letter.pdf: added")).to_be_visible()
        settled()
        expect(page.get_by_text(re.compile(r"Reading documents: \d+ of \d+ passages"))).to_be_visible()
        shot("02-pdf-added")

        page.get_by_role("tab", name="Summary").press("Enter")
        page.get_by_role("button", name="Draft summary").press("Enter")
        expect(page.get_by_text("Waiting for review").first).to_be_visible(timeout=600_000)
        shot("03-drafted")
        expect(page.get_by_text("Your decision")).to_be_visible()  # the sentence checks are drawn above it
        accept = page.get_by_role("button", name="Accept this sentence with the reason")
        if accept.count():  # approval waits for every unsupported sentence to be answered, and says so
            page.get_by_role("button", name="Approve this version").press("Enter")
            refusal = r"^(\d+ sentence\(s\) of this version are not supported|A supervisor must approve this draft, because)"
            expect(page.get_by_text(re.compile(refusal))).to_be_visible()
        settled()
        while (left := accept.count()):  # every unsupported sentence answered, by keyboard
            reason = page.get_by_role("textbox", name="Reason for keeping this sentence").first
            reason.fill("Checked against the file.")
            expect(reason).to_have_value("Checked against the file.")
            accept.first.press("Enter")  # focus moves to the button, which commits the text first
            expect(accept).not_to_have_count(left)
            settled()  # the next answer waits for this one's redraw, which would empty a box filled meanwhile
        shot("04-sentences-accepted")
        page.get_by_role("button", name="Approve this version").press("Enter")
        approved = page.get_by_text("The draft is approved.")
        needs_supervisor = page.get_by_text(re.compile(r"^A supervisor must approve this draft, because"))
        expect(approved.or_(needs_supervisor).first).to_be_visible()
        supervisor_approves = not approved.is_visible()
        page.get_by_role("button", name="Sign out").click()

        sign_in(supervisor)
        if supervisor_approves:  # the sources show signs of vulnerability: the officer could not approve
            page.get_by_role("link", name="Review queue").press("Enter")
            page.get_by_role("button", name="Open its case").press("Enter")
            expect(page.get_by_role("heading", name=f"Case {CASE}")).to_be_visible()
            page.get_by_role("tab", name="Summary").press("Enter")
            page.get_by_role("button", name="Approve this version").press("Enter")
            expect(page.get_by_text("The draft is approved.")).to_be_visible()
        shot("05-approved")
        page.get_by_role("link", name="Dashboard").click()
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        shot("06-dashboard")
        page.get_by_role("link", name="Audit log").click()
        expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
        page.get_by_role("button", name="Verify the audit log").click()
        expect(page.get_by_text("The audit log is intact")).to_be_visible()
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
        # Streamlit redraws the page after the verify; expect() retries until the redraw has settled
        expect(page.get_by_role("heading", name="A draft in full")).to_be_visible()
        expect(page.get_by_text(f"Requested by {officer}")).to_be_visible()
        expect(page.get_by_text("Approved as the AI drafted it")).to_be_visible()
        shot("07-supervisor-audit-log")
        browser.close()
