"""A test that needs the shared corpus finds it from the environment or the project root, and fails in CI
when it is missing rather than skipping silently."""
from __future__ import annotations

import pytest

from tests.corpus import PROJECT_ROOT, corpus_dir, corpus_path, in_ci


def test_the_corpus_is_beside_the_project_unless_the_environment_says_otherwise(tmp_path):
    assert corpus_dir({}) == PROJECT_ROOT.parent / "shared" / "corpus"
    assert corpus_dir({"CASEWORK_CORPUS_DIR": str(tmp_path)}) == tmp_path


@pytest.mark.parametrize("value, expected", [("true", True), ("1", True), ("yes", True), ("", False),
                                             ("false", False), ("0", False)])
def test_ci_is_any_value_but_an_explicit_no(value, expected):
    assert in_ci({"CI": value}) is expected
    assert in_ci({}) is False


def test_a_present_file_is_returned(tmp_path):
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "data.csv").write_text("a,b\n")
    assert corpus_path("set/data.csv", {"CASEWORK_CORPUS_DIR": str(tmp_path)}) == tmp_path / "set" / "data.csv"


def test_a_missing_file_skips_with_its_path_and_the_variable_to_set(tmp_path):
    with pytest.raises(pytest.skip.Exception) as skipped:
        corpus_path("set/data.csv", {"CASEWORK_CORPUS_DIR": str(tmp_path)})
    assert str(tmp_path / "set" / "data.csv") in str(skipped.value) and "CASEWORK_CORPUS_DIR" in str(skipped.value)


def test_a_missing_file_fails_in_ci(tmp_path):
    with pytest.raises(pytest.fail.Exception) as failed:
        corpus_path("set/data.csv", {"CASEWORK_CORPUS_DIR": str(tmp_path), "CI": "true"})
    assert str(tmp_path / "set" / "data.csv") in str(failed.value)
