"""The command line end to end: seed the demo, ingest a folder, draft with a real small model, decide, verify."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import cli
from summariser.drafting.model_files import bundled_smollm


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEWORK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CASEWORK_LLM_MODEL_PATH", str(bundled_smollm()))
    monkeypatch.setenv("CASEWORK_LLM_CONTEXT_TOKENS", "4096")
    monkeypatch.setenv("CASEWORK_LLM_MAX_OUTPUT_TOKENS", "200")
    runner = CliRunner()

    def run(*args: str, obj=None, input=None) -> tuple[int, str, str]:
        result = runner.invoke(cli.cli, ["--user", "test.admin", *args], obj=obj, input=input)
        return result.exit_code, result.stdout, result.stderr
    return run


@pytest.mark.model
def test_the_cli_covers_the_whole_core(run, tmp_path):
    code, out, _ = run("seed-demo")
    assert code == 0 and "Loaded the demo caseload: 14 cases." in out and "casework-demo" in out
    code, out, _ = run("seed-demo")
    assert code == 0 and "was not loaded again" in out

    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "call.txt").write_text("02/02/2026 - Phone call: Ms Harrowby asked about her payment date.\n")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\ntruncated")
    code, out, err = run("ingest", "BR-2025-0141", str(folder))
    assert code == 3  # one file was refused, and said so
    assert re.search(r"added\s+call\.txt", out) and re.search(r"refused\s+scan\.pdf: .+", out)
    assert "Adding to BR-2025-0141" in err  # the progress bar

    code, out, err = run("draft", "BR-2025-0141")
    assert code == 0 and "[Writing the summary]" in err
    draft_id = re.search(r"Draft ([0-9a-f]{32}) for case BR-2025-0141: pending", out).group(1)
    code, out, _ = run("pending")
    assert draft_id in out
    code, out, _ = run("reject", draft_id, "--reason", "Too short to be useful")
    assert code == 0 and "is now rejected" in out
    code, out, err = run("approve", draft_id)
    assert code == 2 and "already rejected" in err

    # a second draft, taken all the way: every unsupported sentence answered, approved, exported, anchored
    code, out, _ = run("draft", "BR-2025-0141")
    draft_id = re.search(r"Draft ([0-9a-f]{32}) for case BR-2025-0141: pending", out).group(1)
    code, out, _ = run("show", draft_id)
    assert code == 0 and re.search(r"Grounding: \d+ of \d+ sentence\(s\) supported", out)
    for sentence_id in dict.fromkeys(re.findall(r"NOT SUPPORTED ([0-9a-f]{12})", out)):
        code, out, err = run("accept", draft_id, sentence_id, "--reason", "Checked against the file.")
        assert code == 0 and out.startswith("Accepted: "), err
    code, out, err = run("approve", draft_id)
    assert code == 0 and "is now approved" in out, err
    code, out, _ = run("versions", draft_id)
    assert out.startswith("version 1: AI draft by test.admin")
    code, out, err = run("evidence", draft_id, "--out-dir", str(tmp_path / "packs"))
    assert code == 0 and (tmp_path / "packs" / f"evidence-{draft_id[:8]}.html").exists()
    code, out, _ = run("head")
    anchor = out.splitlines()[0]
    code, out, _ = run("verify", "--against", anchor)
    assert code == 0 and "intact" in out and "nothing up to it was changed" in out


def test_unknown_case_is_a_plain_error(run):
    code, _, err = run("draft", "NO-SUCH-CASE")
    assert code == 2 and "There is no case with reference NO-SUCH-CASE." in err


def test_an_unexpected_failure_gives_an_incident_id_not_a_traceback(run):
    def broken(settings):
        raise RuntimeError("the disk is on fire")
    code, out, err = run("cases", obj=cli.Session(build=broken))
    assert code == 1 and re.search(r"Something went wrong \(incident [0-9a-f]{8}\)", err)
    assert "on fire" not in out + err.splitlines()[-1]


def test_add_user_reads_the_password_and_the_account_can_sign_in(run, make_service):
    services = make_service()
    session = cli.Session(build=lambda settings: services)
    code, out, err = run("add-user", "morgan", "--full-name", "Morgan Lee", "--role", "supervisor",
                         "--team", "benefits", obj=session, input="a long password\n")
    assert code == 0 and "Saved account morgan (supervisor, team benefits)." in out, err
    assert services.accounts.sign_in("morgan", "a long password").role == "supervisor"
    assert [e.actor for e in services.stores.audit.events(actions=("account_saved",))] == ["test.admin"]
    code, _, err = run("add-user", "x", "--full-name", "X", "--role", "chief", "--team", "t", obj=session,
                       input="a long password\n")
    assert code == 2 and "'chief' is not one of" in err
