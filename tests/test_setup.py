"""The quick-start commands' setup weight (issue 11): `make run` installs the runtime only, and
`make test` installs Debian's Chromium only where that is asked for (CI sets ECONSEC_BROWSER).

Checked with `make -n` (print the recipe, run nothing) against a virtualenv path that does not
exist, so every install step is listed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")


def recipe(target: str, tmp_path: Path) -> str:
    r = subprocess.run(["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=ROOT,
                       capture_output=True, text=True, check=True)
    return r.stdout


def test_main_job_installs_the_runtime_only(tmp_path: Path) -> None:
    text = recipe("run", tmp_path)
    installs = [line for line in text.splitlines() if "pip install" in line and "-e" in line]
    assert installs == [f"{tmp_path / 'venv'}/bin/pip install --quiet -c constraints.txt -e ."]
    assert "[dev]" not in text and "apt-get" not in text


def test_test_command_adds_dev_tools_and_guards_the_browser_install(tmp_path: Path) -> None:
    text = recipe("test", tmp_path)
    assert '-e ".[dev]"' in text
    # the only route to apt-get is the ECONSEC_BROWSER guard
    guard = [line for line in text.splitlines() if "browser" in line]
    assert guard and all('-n "$ECONSEC_BROWSER"' in line for line in guard)
    assert "apt-get" not in text


def test_ci_asks_for_the_browser_test() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "export ECONSEC_BROWSER=1" in ci and ci.rstrip().endswith("make test")
