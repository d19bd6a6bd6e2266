"""The fast tier never reads the real data (the rule in tests/conftest.py), checked on a small
test session of its own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import NO_DATA_DIR

SESSION = '''
import os

import pytest


@pytest.fixture
def files(data_dir):
    return sorted(data_dir.iterdir())


def test_fast_direct(data_dir):
    pass


def test_fast_through_a_fixture(files):
    pass


@pytest.mark.slow
def test_slow(data_dir):
    assert os.environ["ECONSEC_DATA_DIR"] == str(data_dir)


@pytest.mark.reference
def test_reference(files):
    assert [f.name for f in files] == ["x.csv"]


def test_fast_sees_no_data_dir():
    assert os.environ["ECONSEC_DATA_DIR"] == NO_DATA_DIR and not os.path.exists(NO_DATA_DIR)
'''


def test_only_marked_tests_read_the_real_data(pytester: pytest.Pytester, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "data"
    real.mkdir()
    (real / "x.csv").write_text("a\n1\n")
    monkeypatch.setenv("ECONSEC_DATA_DIR", str(real))
    pytester.makeini("[pytest]\nmarkers =\n    slow: s\n    reference: r\n")
    pytester.makeconftest("from tests.conftest import (_fast_tier_has_no_data_dir, data_dir,  # noqa\n"
                          "                            pytest_runtest_setup)\n")
    pytester.makepyfile(test_session=SESSION.replace("NO_DATA_DIR", repr(str(NO_DATA_DIR))))
    r = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    r.assert_outcomes(passed=3, errors=2)
    r.stdout.fnmatch_lines([
        "*test_fast_direct reads the real data directory (fixture data_dir) but is not marked "
        "slow or reference*",
        "*test_fast_through_a_fixture reads the real data directory*"])
    assert os.environ["ECONSEC_DATA_DIR"] == str(real)  # the inner tests restored it
