"""A real browser against the real server: officer uploads a PDF and a scanned letter, drafts with the small
model, approves, and confirms the scan's flag in Incoming correspondence; the supervisor finds the decision in
the audit log. Screenshots of each step go to test-artefacts/browser/.

The officer's part uses the keyboard only (Enter on focused controls, arrow keys between tabs, typing into
fields); the file itself is handed to the file input, as the operating system's file dialog would. Every page
each role sees is checked with axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) in a window as tall as the page, and
fails on a serious or critical finding in the app's own content; findings in Streamlit's own widgets that the app
cannot change are listed, each with its reason, in tests/accessibility-exceptions.json. After every page change
focus must be on the page's main heading, and every control the officer focuses must show a focus indicator of at
least 3:1 contrast.
"""
from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from demo.seed import DEMO_PASSWORD
from summariser.drafting.model_files import bundled_smollm
from tests.conftest import PROJECT, free_port, wait_for
from tests.retrieval.ingest import scans

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = PROJECT / "test-artefacts" / "browser"
CASE = "BR-2025-0203"
EXCEPTIONS = Path(__file__).parent / "accessibility-exceptions.json"
# A cry for help that arrives on paper: scanned, read by OCR when added, first in Incoming correspondence.
CRY = ("Dear Sir, my Universal Credit was stopped in March and I have had nothing to eat for three days. I cannot "
       "see a way out and I have started to think everyone would be better off without me. I don't want to be here "
       "any more.")
HOSTILE_NAME = "![seen](https:evil.example.png) [pay here](https:evil.example) note.txt"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The indicator of the focused control: its own outline, or that of the widget frame it sits in.
FOCUS_RING = """() => {
  let el = document.activeElement;
  for (let hops = 0; el && hops < 4; hops++, el = el.parentElement) {
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth);
    if (style.outlineStyle !== 'none' && width >= 2) return {color: style.outlineColor, width: width};
  }
  return null;
}"""


def contrast(rgb: str, background=(255, 255, 255)) -> float:
    """WCAG contrast ratio of a CSS rgb()/rgba() colour against the page background."""
    def luminance(channels):
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    channels = [float(v) for v in re.findall(r"[\d.]+", rgb)[:3]]
    light, dark = sorted((luminance(channels), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@contextlib.contextmanager
def tall_window(page):
    """The window as tall as the page's content (its height, yielded) while inside: Streamlit scrolls its main
    block, not the document, so a full-page screenshot or an accessibility scan otherwise sees one window's height."""
    size = page.viewport_size
    height = page.evaluate("() => Math.max(document.documentElement.scrollHeight, "
                           "document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0)")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(height + 200, 30_000))})
    try:
        page.wait_for_timeout(300)  # let the layout follow the new height
        yield height
    finally:
        page.set_viewport_size(size)


def accessibility_findings(page, name: str) -> list[str]:
    """Serious and critical axe findings on the page as it is, in a window as tall as its content, less the
    reviewed exceptions; every finding is also written to the artefacts."""
    import json

    from axe_playwright_python.sync_playwright import Axe
    with tall_window(page) as height:
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    exceptions = json.loads(EXCEPTIONS.read_text())
    found, failing = [], []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            where = " ".join(str(t) for t in node["target"])
            found.append({"rule": violation["id"], "impact": node.get("impact") or violation.get("impact"),
                          "target": where, "html": node.get("html", "")[:300]})
            excused = any(e["rule"] == violation["id"] and e["target_contains"] in where for e in exceptions)
            if found[-1]["impact"] in ("serious", "critical") and not excused:
                failing.append(f"{name}: {violation['id']} ({found[-1]['impact']}) at {where}: {violation['help']}")
    (ARTEFACTS / f"axe-{name}.json").write_text(json.dumps({"page_height_px": height, "findings": found}, indent=1))
    return failing


def _demo_accounts():
    import json
    caseload = json.loads((PROJECT / "demo" / "caseload.json").read_text())
    case = next(c for c in caseload["cases"] if c["reference"] == CASE)
    supervisor = next(a for a in caseload["accounts"] if a["role"] == "supervisor" and a["team"] == case["team"])
    admin = next(a for a in caseload["accounts"] if a["role"] == "admin")
    officer_name = next(a["full_name"] for a in caseload["accounts"] if a["username"] == case["officer"])
    return case["officer"], officer_name, supervisor["username"], admin["username"]


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
                                "--browser.gatherUsageStats", "false",
                                "--server.fileWatcherType", "none"],  # an edit elsewhere must not rerun the page
                               cwd=PROJECT, env=env,
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
    officer, officer_name, supervisor, admin = _demo_accounts()
    expect.set_options(timeout=120_000)  # the first request builds the services (embedding model, index)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []  # accessibility findings of every page, reported together at the end
    keys = {"presses": 0}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                          "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(60_000)

        def shot(name: str) -> None:
            with tall_window(page):
                page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)

        def settled() -> None:
            """Wait until Streamlit has finished running the page and no element on it is left over from before:
            mid-run, a count of controls or a box just filled can still change."""
            expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
            expect(page.locator("[data-stale='true']")).to_have_count(0)

        def check(name: str) -> None:
            settled()
            problems.extend(accessibility_findings(page, name))

        def arrived(heading: str) -> None:
            """A page change puts focus on the new page's main heading."""
            main_heading = page.locator('[data-testid="stMain"] h1').first
            expect(main_heading).to_contain_text(heading)
            expect(main_heading).to_be_focused()

        def key(name: str) -> None:
            page.keyboard.press(name)
            keys["presses"] += 1

        def tab_to(target) -> None:
            """Tab forward until `target` has focus; every control passed on the way shows a visible focus ring."""
            for _ in range(150):
                key("Tab")
                focused = page.evaluate("() => document.activeElement && document.activeElement.tagName")
                # A table's cells are drawn on a canvas by Streamlit's data grid, which draws its own focus ring
                # there; its hidden accessible cells carry no CSS outline.
                if focused not in (None, "BODY", "IFRAME", "H1", "TD", "TH"):
                    ring = page.evaluate(FOCUS_RING)
                    described = page.evaluate("() => document.activeElement.outerHTML.slice(0, 160)")
                    assert ring and contrast(ring["color"]) >= 3, f"no visible focus indicator on {described}"
                if target.evaluate("el => el === document.activeElement || el.contains(document.activeElement)"):
                    return
            pytest.fail(f"Tab never reached {target}")

        def sign_in(username: str) -> None:
            page.goto(server)
            settled()  # a fresh session: its first run has drawn the form
            page.get_by_role("textbox", name="User name").fill(username)
            password = page.get_by_role("textbox", name="Password")
            password.fill(DEMO_PASSWORD)
            password.press("Enter")  # keyboard only
            signed_in = page.get_by_text("Signed in as")
            for _ in range(2):  # a press that lands while the new session's websocket is still settling can be
                try:            # dropped by Streamlit with no message: a person presses again, and so does this
                    expect(signed_in).to_be_visible(timeout=30_000)
                    break
                except AssertionError:
                    if page.get_by_role("button", name="Sign in").count():
                        page.get_by_role("button", name="Sign in").click()
            expect(signed_in).to_be_visible()
            arrived("My cases")

        def go_to(link: str, checked_as: str) -> None:
            page.get_by_role("link", name=link).click()
            arrived(link)
            check(checked_as)

        sign_in(officer)
        keys["presses"] = 1  # the Enter that signed in
        check("officer-my-cases")
        shot("01-officer-signed-in")
        tab_to(page.get_by_role("link", name="Case", exact=True))  # in-app navigation keeps the session
        key("Enter")
        arrived("Case")
        settled()
        chooser = page.get_by_role("combobox", name="Case to open")
        tab_to(chooser)
        page.keyboard.type(CASE)
        # Enter picks the highlighted option: wait until typing has brought this case to the top of the list
        expect(page.get_by_role("option").first).to_contain_text(CASE)
        key("Enter")
        expect(chooser).to_have_value(re.compile(CASE))
        tab_to(page.get_by_role("button", name="Open case"))
        key("Enter")
        arrived(f"Case {CASE}")
        check("officer-case-documents")
        tab_to(page.get_by_role("tab", name="Documents", exact=True))
        key("ArrowRight")  # tabs follow the ARIA pattern: arrow keys move between them
        key("ArrowRight")
        expect(page.get_by_role("tab", name="Add documents")).to_be_focused()
        key("Enter")
        settled()
        hostile = tmp_path / HOSTILE_NAME  # a file name written as Markdown: shown as typed, never a link or image
        hostile.write_text("Note of 03/04/2025: Mrs Kowalczyk phoned about the recovery.\n")
        scan = tmp_path / "scanned-letter.png"
        scan.write_bytes(scans.image_file(scans.render(scans.text_pdf([CRY]), 300), "PNG"))
        page.locator("input[type=file]").set_input_files([str(_pdf(tmp_path / "recovery-letter.pdf")), str(hostile),
                                                          str(scan)])
        expect(page.get_by_role("button", name="Remove recovery-letter.pdf")).to_be_visible()  # upload finished
        tab_to(page.get_by_role("button", name="Add files to the case"))
        key("Enter")
        expect(page.get_by_text("recovery-letter.pdf: added")).to_be_visible()
        expect(page.get_by_text(f"{HOSTILE_NAME}: added")).to_be_visible()
        expect(page.get_by_text("scanned-letter.png: added")).to_be_visible()
        expect(page.locator('[data-testid="stMain"] a[href*="evil.example"]')).to_have_count(0)
        expect(page.locator('[data-testid="stMain"] img[src*="evil.example"]')).to_have_count(0)
        settled()
        expect(page.get_by_text(re.compile(r"Reading documents: \d+ of \d+ passages"))).to_be_visible()
        check("officer-case-added")
        shot("02-pdf-added")

        tab_to(page.get_by_role("tab", name="Add documents"))
        for _ in range(2):
            key("ArrowRight")
        expect(page.get_by_role("tab", name="Summary")).to_be_focused()
        key("Enter")
        settled()
        tab_to(page.get_by_role("button", name="Draft summary"))
        (ARTEFACTS / "keyboard-presses-to-draft.txt").write_text(
            f"{keys['presses']} key presses from signing in to the Draft summary button (typing not counted)\n")
        key("Enter")
        expect(page.get_by_text("Waiting for review").first).to_be_visible(timeout=600_000)
        settled()
        check("officer-case-summary")
        shot("03-drafted")
        accept = page.get_by_role("button", name="Accept this sentence with the reason")
        approve = page.get_by_role("button", name="Approve this version")
        if accept.count():  # approval is not offered until every unsupported sentence is answered
            expect(page.get_by_text(re.compile(r"^\d+ sentences? needs? an answer before this draft"))).to_be_visible()
            expect(approve).to_have_count(0)
        while (left := accept.count()):  # every unsupported sentence answered, by keyboard
            reason = page.get_by_role("textbox", name="Reason for keeping this sentence").first
            tab_to(reason)
            page.keyboard.type("Checked against the file.")
            expect(reason).to_have_value("Checked against the file.")
            tab_to(accept.first)  # a form: leaving the box does not rerun the page, so no press is lost
            key("Enter")
            expect(accept).not_to_have_count(left)
            settled()  # the next answer waits for this one's redraw, which would empty a box filled meanwhile
        shot("04-sentences-accepted")
        supervisor_approves = not approve.count()
        if supervisor_approves:  # the sources show signs of vulnerability: the officer sends it to a supervisor
            send = page.get_by_role("button", name="Send to supervisor")
            tab_to(send)
            key("Enter")
            expect(page.get_by_text("The draft is sent to your team's supervisors for approval.").first
                   ).to_be_visible()
        else:
            tab_to(approve)
            key("Enter")
            expect(page.get_by_text("The draft is approved.").first).to_be_visible()

        go_to("Incoming correspondence", "officer-incoming-correspondence")  # the scan's flag, confirmed
        row = page.locator('[data-testid="stExpander"]').filter(has_text="scanned-letter.png")
        expect(row).to_have_count(1)
        if not row.get_by_text("the sentences that drove the score").is_visible():
            row.locator("summary").click()
        expect(row.get_by_text("Why: the sentences that drove the score, highest first.")).to_be_visible()
        row.get_by_role("textbox", name="Reason for your decision (recorded)").fill("Phoned her: she is safe today.")
        row.get_by_role("button", name="Confirm: signs of risk").click()
        expect(page.get_by_text("scanned-letter.png is confirmed as showing signs of risk. Your reason is recorded.")
               ).to_be_visible()
        expect(page.get_by_role("heading", name="Decided recently")).to_be_visible()
        check("officer-incoming-correspondence-decided")
        page.get_by_role("button", name="Sign out").click()

        sign_in(supervisor)
        go_to("Review queue", "supervisor-review-queue")
        if supervisor_approves:
            page.get_by_role("button", name="Open the draft").click()
            arrived(f"Case {CASE}")
            expect(page.get_by_role("heading", name="Latest draft")).to_be_visible()  # the draft, not Documents
            check("supervisor-case-summary")
            page.get_by_role("button", name="Approve this version").click()
            expect(page.get_by_text("The draft is approved.").first).to_be_visible()
        shot("05-approved")
        go_to("Dashboard", "supervisor-dashboard")
        shot("06-dashboard")
        go_to("Audit log", "supervisor-audit-log-before-verify")
        page.get_by_role("button", name="Verify the audit log").click()
        expect(page.get_by_text("The audit log is intact")).to_be_visible()
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
        # Streamlit redraws the page after the verify; expect() retries until the redraw has settled
        expect(page.get_by_role("heading", name="A draft in full")).to_be_visible()
        expect(page.get_by_text(f"Requested by {officer_name}")).to_be_visible()
        expect(page.get_by_text("Approved as the AI drafted it")).to_be_visible()
        check("supervisor-audit-log")
        shot("07-supervisor-audit-log")
        page.get_by_role("button", name="Sign out").click()

        sign_in(admin)
        go_to("Records", "admin-records")
        shot("08-admin-records")
        go_to("Accounts", "admin-accounts")
        go_to("Service directory", "admin-service-directory")
        # the seeded demo directory: its table is drawn on a canvas, and the chooser below it is shown only when
        # the directory holds a current entry
        expect(page.get_by_role("combobox", name="Service to change or retire")).to_be_visible()
        browser.close()
    assert not problems, "Accessibility findings:\n" + "\n".join(problems)
