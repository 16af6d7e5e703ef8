"""The pre-commit hook (`.pre-commit-hooks.yaml`), run as a portfolio repository would run it:
`pre-commit try-repo` on a temporary git repository, once with the example portfolio (passes,
the report shown) and once with a deal file broken (fails, the error at its line)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.skipif(not (REPO / ".git").exists() or shutil.which("git") is None,
                                reason="needs git and this project as a git checkout (pre-commit clones it)")


def git(repo, *args):
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=repo, check=True,
                   capture_output=True)


def try_repo(repo, home) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "dealmon-check", "--all-files"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_the_hook_passes_a_good_portfolio_and_fails_a_broken_one(tmp_path):
    repo = tmp_path / "portfolio"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copytree(REPO / "config", repo / "config")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "deals")
    good = try_repo(repo, tmp_path / "pre-commit")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "dealmon check (deal files)" in good.stdout and "Passed" in good.stdout
    assert "anthropic-spacex  active    Anthropic ← SpaceX" in good.stdout  # the report is shown

    deals = repo / "config" / "deals.yaml"
    text = deals.read_text(encoding="utf-8")
    deals.write_text(text.replace("provider: spacex", "provider: spacx", 1), encoding="utf-8")
    git(repo, "add", "-A")
    bad = try_repo(repo, tmp_path / "pre-commit")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "provider: spacex" in row)
    assert f"config/deals.yaml:{line}:15: unknown provider 'spacx' (did you mean 'spacex'?)" in bad.stdout
