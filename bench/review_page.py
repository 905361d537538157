"""The officer's review of a draft in a real browser, on the default model: a draft composed from checked facts
beside the older direct draft from passages, on case BR-2025-0203, in one run (issue 12's figures).

Seeds the demo caseload into a temporary data folder and reads BR-2025-0203's passages into facts with the
default model, in this process, with the same job a worker runs. That folder is then copied, so each side starts
from the same records and facts and no earlier draft changes the page. For each side an app server is started on
its own copy (the default model; CASEWORK_DRAFT_FROM=facts, then passages), and Chromium at 1280 by 900 px
signs in as the case's officer, opens the case, drafts its summary from the Summary tab and waits for it. Then:

- the Summary tab's page height, as tests/test_browser.py's accessibility_findings measures it (with its
  serious axe findings), as the officer first sees the draft and again once it is decided;
- the sentences the draft has, how many are supported, and how many need an answer;
- the review itself, done and counted action by action: every unsupported sentence answered the quickest way
  the page offers (cite the source that supports it, when one is named; otherwise click the reason box, type a
  reason and click "Accept"), then the decision ("Approve this version", or "Send to supervisor" when a
  supervisor must approve). Clicks and key presses (each typed character is one) are counted separately, from
  the draft being ready to the decision being confirmed; reading a sentence's passage would add one click each.

Saves full-page screenshots of each side's review as first seen (docs/screenshots/review-composed.png and
review-direct.png) and prints the figures as JSON. Takes about 20 minutes on 2 cores, most of it the direct draft.
Run:
    .venv/bin/python bench/review_page.py
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from settings import PROJECT_ROOT, Settings  # noqa: E402
from summariser.drafting.model_files import QWEN_FILE  # noqa: E402
from summariser.wiring import build_reading  # noqa: E402
from tests.conftest import free_port, wait_for  # noqa: E402
from tests.test_browser import ARTEFACTS, CASE, CHROMIUM, _demo_accounts, accessibility_findings  # noqa: E402
from tests.test_browser_lists import ROWS, settled, signed_in  # noqa: E402
from ui.draft_review import DONE  # noqa: E402

SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
SIDES = {"composed": "facts", "direct": "passages"}  # CASEWORK_DRAFT_FROM of each side
REASON = "Checked against the file."
DRAFT_TIMEOUT_MS = 20 * 60_000
SUPPORTED = re.compile(r"(\d+) of (\d+) sentences? supported by the passages they cite")


def default_environment() -> None:
    """Nothing from the caller's shell may choose another model, database or queue: this run uses the defaults
    on its own folders. Children (the seeding, the servers) inherit this."""
    for name in [n for n in os.environ if n.startswith("CASEWORK_")] + ["DATABASE_URL", "CHROMA_URL"]:
        os.environ.pop(name, None)


def seed_and_read(data_dir: Path) -> dict:
    """The demo caseload, and the case's passages read into facts, as a worker would read them."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "cli.py", "--operator", "seed-demo"], cwd=PROJECT_ROOT, check=True,
                   capture_output=True, env=dict(os.environ, CASEWORK_DATA_DIR=str(data_dir)))
    seeded = time.perf_counter() - started
    jobs = build_reading(Settings(data_dir=data_dir))
    jobs.huey.flush()  # seeding queued every case's passages: only this case's are needed, and in this run
    documents = jobs.records.documents(jobs.records.case(CASE))
    queued = jobs.enqueue_documents(d.id for d in documents)
    started = time.perf_counter()
    jobs.run_queued(lambda ran: print(f"  read {ran} of {queued} passages", end="\r", file=sys.stderr, flush=True))
    progress = jobs.progress(documents)
    jobs.store.engine.dispose()  # the folder is copied next: no connection may hold it
    return {"seed_seconds": round(seeded, 1), "passages": progress.total, "read": progress.done,
            "failed": progress.failed, "read_seconds": round(time.perf_counter() - started, 1)}


def copy_data(source: Path, target: Path) -> None:
    """A second, independent data folder; the assembled model (1.1 GB, only ever read) is linked, not copied."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("models"))
    model = source / "models" / QWEN_FILE
    if model.exists():
        (target / "models").mkdir()
        os.link(model, target / "models" / QWEN_FILE)


def start_app(data_dir: Path, draft_from: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, CASEWORK_DATA_DIR=str(data_dir), CASEWORK_DRAFT_FROM=draft_from)
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                "--server.address", "127.0.0.1", "--server.headless", "true",
                                "--browser.gatherUsageStats", "false",
                                "--server.fileWatcherType", "none"],  # an edit elsewhere must not show "File change"
                               cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/_stcore/health", process)
    return process, url


def wait_until(page, done, what: str, seconds: float = 180) -> None:
    """Wait for the page to show the result of an action; an error shown instead stops the run, with its text."""
    errors = page.get_by_test_id("stAlertContentError")
    before = errors.count()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            settled(page)
            return
        if errors.count() > before:
            raise SystemExit(f"{what}: the page showed an error: {errors.last.inner_text()}")
        page.wait_for_timeout(200)
    raise SystemExit(f"{what}: nothing happened within {seconds:.0f} s")


def page_height(page, name: str) -> dict:
    """The page's height and its serious axe findings, measured by the browser test's own function."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    failing = accessibility_findings(page, name)
    height = json.loads((ARTEFACTS / f"axe-{name}.json").read_text())["page_height_px"]
    return {"height_px": height, "serious_axe_findings": len(failing)}


def full_page_shot(page, path: Path, height: int) -> None:
    """Streamlit scrolls its main block, not the document, so Playwright's full_page shot is one window tall:
    the window is made as tall as the page for the shot instead."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(height, 30_000))})
    try:
        page.wait_for_timeout(500)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)


def open_case(page) -> None:
    settled(page)
    page.locator(ROWS).filter(has_text=CASE).get_by_role("link").click()
    expect(page.locator('[data-testid="stMain"] h1').first).to_contain_text(f"Case {CASE}")
    settled(page)


def draft(page, side: str) -> float:
    """Draft the summary from the Summary tab, the way this side's server drafts by default; its seconds."""
    page.get_by_role("tab", name="Summary").click()
    settled(page)
    direct = page.get_by_test_id("stCheckbox").filter(has_text="Give the model the passages").locator("input")
    if direct.is_checked() != (side == "direct"):
        raise SystemExit(f"the {side} server does not draft that way by default: check CASEWORK_DRAFT_FROM")
    started = time.perf_counter()
    page.get_by_role("button", name="Draft summary").click()
    ready = page.get_by_text("Waiting for review").or_(page.get_by_text("Drafting failed"))
    expect(ready.first).to_be_visible(timeout=DRAFT_TIMEOUT_MS)
    seconds = time.perf_counter() - started
    settled(page)
    return seconds


def review(page) -> dict:
    """Answer every open sentence and decide the draft, counting each click and key press as it is made."""
    counted = {"clicks": 0, "key_presses": 0, "cited": 0, "accepted": 0}

    def click(control) -> None:
        control.click()
        counted["clicks"] += 1

    accept = page.get_by_role("button", name="Accept this sentence with the reason")
    cite = page.get_by_role("button", name=re.compile(r"^Cite source \[\d+\] for this sentence instead"))
    started = time.perf_counter()
    while (left := accept.count()):  # every open sentence has its own Accept button, cited or not
        if cite.count():
            click(cite.first)
            counted["cited"] += 1
        else:
            click(page.get_by_role("textbox", name="Reason for keeping this sentence").first)
            page.keyboard.type(REASON)
            counted["key_presses"] += len(REASON)
            click(accept.first)
            counted["accepted"] += 1
        wait_until(page, lambda: accept.count() != left, "answering a sentence")
    approve = page.get_by_role("button", name="Approve this version")
    send = page.get_by_role("button", name="Send to supervisor")
    expect(approve.or_(send).first).to_be_visible()
    decision = "approve" if approve.count() else "send"
    click(approve if decision == "approve" else send)
    confirmation = page.get_by_text(DONE[decision]).first
    wait_until(page, confirmation.is_visible, "deciding the draft")
    counted["decision"] = {"approve": "approved", "send": "sent to a supervisor"}[decision]
    counted["review_seconds"] = round(time.perf_counter() - started, 1)
    return counted


def measure_side(page, side: str, result: dict) -> None:
    """Draft and review on one side, filling `result` as each figure is known (a failure keeps those before it)."""
    open_case(page)
    result["draft_seconds"] = round(draft(page, side), 1)
    if page.get_by_text("Drafting failed").count():
        result["failed"] = page.get_by_test_id("stAlertContentError").first.inner_text()
        return
    label = page.get_by_text(SUPPORTED).first.inner_text()  # the expander of sentences that are supported
    supported, sentences = map(int, SUPPORTED.search(label).groups())
    result |= {"sentences": sentences, "supported": supported,
               "need_an_answer": page.get_by_role("button", name="Accept this sentence with the reason").count()}
    result["summary_tab"] = page_height(page, f"review-{side}")
    full_page_shot(page, SCREENSHOTS / f"review-{side}.png", result["summary_tab"]["height_px"])
    result["review"] = review(page)
    result["summary_tab_decided"] = page_height(page, f"review-{side}-decided")


def main() -> None:
    default_environment()
    expect.set_options(timeout=120_000)  # the first request builds the services (embedding model, index)
    officer = _demo_accounts()[0]
    started = time.perf_counter()
    figures = {"case": CASE, "model": "default (bundled Qwen2.5-Coder-1.5B)", "window": "1280x900"}
    with tempfile.TemporaryDirectory(prefix="review-page-") as folder:
        composed_data, direct_data = Path(folder) / "composed", Path(folder) / "direct"
        figures["reading"] = seed_and_read(composed_data)
        print(f"\nread: {figures['reading']}", file=sys.stderr, flush=True)
        copy_data(composed_data, direct_data)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            for side, data_dir in (("composed", composed_data), ("direct", direct_data)):
                process, url = start_app(data_dir, SIDES[side])  # one server at a time: the model needs both cores
                figures[side] = {}
                page = signed_in(browser, url, officer)  # at 1280 by 900 pixels, on My cases
                page.set_default_timeout(120_000)
                try:
                    measure_side(page, side, figures[side])
                except (Exception, SystemExit) as problem:  # one run: keep the other side's figures
                    figures[side]["error"] = f"{type(problem).__name__}: {problem}"
                    ARTEFACTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(ARTEFACTS / f"review-{side}-error.png"))
                finally:
                    page.close()
                    process.terminate()
                    process.wait(timeout=30)
                print(f"{side}: {figures[side]}", file=sys.stderr, flush=True)
            browser.close()
    figures["run_seconds"] = round(time.perf_counter() - started)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
