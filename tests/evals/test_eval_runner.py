"""The ACI-Bench runner: every method scored, failures recorded and survived, results written."""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from evals import run as runner
from evals.dataset import DEFAULT_DATA, load_encounters
from evals.pipeline import eval_settings
from settings import PROJECT_ROOT, Settings
from summariser.drafting.llm import ChatModel
from tests.conftest import HashingEmbedder
from tests.corpus import missing

DIALOGUE = ("[doctor] hi , how are you ?\n[patient] i have felt tired for about five weeks .\n"
            "[doctor] okay . we will increase your lasix to 80 mg daily .\n")
DRAFT = ("## Background\n- [1] The patient has felt tired for 5 weeks.\n"
         "## Actions and deadlines\n- [1] Lasix goes up to 80 mg daily.\n- [7] Review on 12 June 2025.\n")


FACTS = json.dumps({"facts": [{"sentence": 2, "kind": "circumstance"}, {"sentence": 3, "kind": "decision"}]})
OVERVIEW = json.dumps({"sentences": [{"text": "The patient has felt tired for five weeks.", "facts": ["F1"]}]})


class ScriptedChat(BaseChatModel):
    """Answers a passage with FACTS, an overview request with OVERVIEW, a draft request with DRAFT and the naive
    prompt with a short note; fails on a dialogue saying FAIL."""

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        prompt = messages[-1].content
        if "FAIL" in prompt:
            raise RuntimeError("the model crashed")
        system = messages[0].content if len(messages) > 1 else ""
        if "list the sentences that state a fact" in system:
            answer = FACTS
        elif "You write the opening of a public-service case summary" in system:
            answer = OVERVIEW
        else:
            answer = "Tired for five weeks. Lasix 80 mg." if prompt.startswith("Summarise this") else DRAFT
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=answer))])


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["dataset", "encounter_id", "dialogue", "note"])
        writer.writerows(rows)


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "aci.csv"
    write_csv(path, [("aci", "E1", DIALOGUE, "The patient reports fatigue for 5 weeks. Increase Lasix to 80 mg."),
                     ("aci", "E2", "[doctor] FAIL please .\n[patient] fine .", "Nothing of note today at all."),
                     ("aci", "E3", DIALOGUE, "Not reached: the subset is the first two rows.")])
    return path


def test_a_failed_item_is_recorded_and_the_run_goes_on(tmp_path, data):
    chat = ChatModel(ScriptedChat(), "fake", "scripted", 8192, {"max_output_tokens": 300})
    settings = eval_settings(Settings(), tmp_path / "scratch", "fake")
    results = runner.run_benchmark(settings, data, load_encounters(data, subset=2), runner.METHODS,
                                   embedder=HashingEmbedder(), chat_model=lambda: chat, command="test")
    by = {(r["encounter_id"], r["method"]): r for r in results["items"]}
    assert sorted(by) == [("E1", m) for m in sorted(runner.METHODS)] + [("E2", m) for m in sorted(runner.METHODS)]

    ours = by[("E1", "ours")]
    assert ours["status"] == "ok" and ours["citations"] == 3 and ours["citations_resolved"] == 2
    assert ours["unsourced_fact_list"] == [{"kind": "date", "text": "12 June 2025"}]  # 5 and 80 are in the dialogue
    assert ours["sentences"] == 3 and 0 <= ours["supported_sentences"] <= 3
    assert ours["unsupported_reasons"].get("cites a source that does not exist") == 1
    assert by[("E1", "naive")]["citations"] == 0 and by[("E1", "naive")]["citation_resolved_share"] is None
    assert by[("E1", "naive")]["supported_share"] == 0  # no citations, so nothing is supported
    assert by[("E1", "extractive")]["details"]["lead_sentences"] >= 1
    composed = by[("E1", "composed")]  # read into facts first, then composed: every sentence cites what it rests on
    assert composed["status"] == "ok" and composed["details"]["passages_read"] >= 1
    assert composed["details"]["unread_passages"] == 0 and "reading_seconds" in composed["details"]
    assert composed["citations"] >= 2 and composed["citations_resolved"] == composed["citations"]

    assert by[("E2", "ours")]["status"] == "failed" and "the model crashed" in by[("E2", "ours")]["error"]
    assert by[("E2", "naive")]["status"] == "failed" and "ModelFailed" in by[("E2", "naive")]["error"]
    assert by[("E2", "extractive")]["status"] == "ok"

    summary = results["summary"]
    assert (summary["ours"]["completed"], summary["ours"]["failed"]) == (1, 1)
    assert summary["extractive"]["completed"] == 2
    assert summary["ours"]["citation_resolved_share"] == pytest.approx(2 / 3)
    assert results["comparison"]["naive"]["items"] == 1 and "composed" in results["comparison"]["naive"]["rouge1"]
    assert set(results["comparison"]) == {"ours", "naive", "extractive"}  # each set against the composed draft
    assert results["meta"]["versions"]["model"]["name"] == "scripted"
    assert not Path(results["meta"]["data"]).is_absolute()  # no machine's own path in results
    assert (PROJECT_ROOT / results["meta"]["data"]).resolve() == data.resolve()
    assert results["meta"]["versions"]["template"]["name"] == "case_summary"
    assert results["meta"]["encounters"] == ["E1", "E2"]

    markdown, json_path = runner.write_results(results, tmp_path / "out")
    assert markdown.name.startswith("aci-bench-") and markdown.name.endswith("-fake.md")
    text = markdown.read_text()
    assert "## Failed items" in text and "E2 ours" in text and "Command: `test`" in text
    assert json.loads(json_path.read_text())["summary"]["ours"]["completed"] == 1


def test_bad_data_is_a_plain_message(tmp_path, capsys):
    assert runner.main(["--data", str(tmp_path / "missing.csv"), "--out", str(tmp_path)]) == 2
    assert "could not be read" in capsys.readouterr().err


def test_an_unknown_template_is_a_plain_message(tmp_path, data, capsys):
    code = runner.main(["--data", str(data), "--subset", "1", "--methods", "extractive", "--template", "nope",
                        "--out", str(tmp_path / "out"), "--data-dir", str(tmp_path / "scratch")])
    assert code == 2 and "template" in capsys.readouterr().err and not (tmp_path / "out").exists()


def _in_unit_range(value):
    return value is None or (0 <= value <= 1 and not math.isnan(value))


@pytest.mark.model
def test_one_aci_item_end_to_end_with_the_small_model(tmp_path, monkeypatch, capsys):
    """The real pipeline on the first ACI-Bench item: ingest, Chroma, MiniLM, SmolLM2, grounding check."""
    if not DEFAULT_DATA.exists():
        missing(DEFAULT_DATA)
    from summariser.drafting.model_files import bundled_smollm
    monkeypatch.setenv("CASEWORK_LLM_PROVIDER", "llamacpp")
    monkeypatch.setenv("CASEWORK_LLM_MODEL_PATH", str(bundled_smollm()))
    monkeypatch.setenv("CASEWORK_LLM_CONTEXT_TOKENS", "4096")
    monkeypatch.setenv("CASEWORK_LLM_MAX_OUTPUT_TOKENS", "200")
    out = tmp_path / "results"
    methods = ["ours", "naive", "extractive"]  # composed reads the dialogue first: covered with a fake model above
    assert runner.main(["--subset", "1", "--out", str(out), "--data-dir", str(tmp_path / "scratch"),
                        "--methods", *methods]) == 0
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 2 and written[0].endswith("-llamacpp.json") and written[1].endswith("-llamacpp.md")
    results = json.loads((out / written[0]).read_text())
    first = load_encounters(DEFAULT_DATA, subset=1)[0].encounter_id
    assert [(r["encounter_id"], r["method"], r["status"]) for r in results["items"]] == \
           [(first, m, "ok") for m in methods]
    for record in results["items"]:
        assert all(_in_unit_range(record[k]) for k in ("rouge1", "rouge2", "rougeL", "supported_share",
                                                       "citation_resolved_share"))
        assert record["words"] > 0 and record["seconds"] >= 0 and record["unsourced_facts"] >= 0
        assert record["supported_sentences"] <= record["sentences"]
    extractive = results["items"][2]
    assert extractive["rouge1"] > 0.1  # the dialogue's own words overlap the note
    assert results["meta"]["versions"]["model"]["name"] == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert set(results["summary"]) == set(methods)
    markdown = (out / written[1]).read_text()
    assert "python -m evals.run --subset 1" in markdown and "naive prompt" in markdown
    assert "Results:" in capsys.readouterr().out


def _scored(method: str, grounding: dict) -> dict:
    """One completed item as Benchmark.score records it, with only the grounding counts that matter here."""
    supported, sentences, miscited, elsewhere, _ = runner.grounding_counts(grounding)
    return {"encounter_id": "E1", "method": method, "status": "ok", "rouge1": 0.5, "rouge2": 0.5, "rougeL": 0.5,
            "sentences": sentences, "supported_sentences": supported, "unsupported_citing": miscited,
            "supported_elsewhere": elsewhere, "citations": 0, "citations_resolved": 0, "unsourced_facts": 0,
            "words": 10, "seconds": 1.0}


def test_a_sentence_that_cites_nothing_is_never_supported_elsewhere():
    """The baselines cite nothing; the report gave them 84% and 48% "unsupported, but another source supports
    them" because the checker names a passage for an uncited sentence (where to look)."""
    none = ["It cites no source."]
    uncited = {"sentences": [{"supported": False, "cited": [], "supported_by": 1, "reasons": none},
                             {"supported": False, "cited": [], "supported_by": None, "reasons": none}]}
    wrong = "It is not close in meaning to the passage it cites ([2])."
    ours = {"sentences": [{"supported": False, "cited": [2], "supported_by": 1, "reasons": [wrong]},
                          {"supported": False, "cited": [3], "supported_by": None, "reasons": [wrong]},
                          {"supported": False, "cited": [], "supported_by": 1, "reasons": ["It cites no source."]},
                          {"supported": True, "cited": [1], "supported_by": None, "reasons": []}]}
    assert runner.grounding_counts(uncited)[:4] == (0, 2, 0, 0)
    assert runner.grounding_counts(ours)[:4] == (1, 4, 2, 1)
    summary = runner.summarise([_scored("ours", ours), _scored("naive", uncited)], ("ours", "naive"))
    assert summary["ours"]["supported_elsewhere_share"] == 0.5  # 1 of the 2 that cite something
    assert summary["naive"]["supported_elsewhere_share"] is None  # shown as n/a: nothing cited, nothing miscited
