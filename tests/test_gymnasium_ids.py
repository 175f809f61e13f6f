"""``symbellman import gymnasium:ID`` makes registered gymnasium environments only.

``gymnasium.make("module:Env-v0")`` imports ``module`` before it looks the id up, and a
registered entry point names a module to import: either would run code that the user
never meant to run (issue 18: ``gymnasium:this:X-v0`` printed the Zen of Python). A
canary module in the current folder writes a file when it is imported; after each
refused id the file must not exist, the module must not be imported, and
``gymnasium.make`` must not have been called at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from symbellman.cli import main

gym = pytest.importorskip("gymnasium")

CANARY = """\
from pathlib import Path
Path({marker!r}).write_text("imported")
"""


@pytest.fixture
def canary(tmp_path, monkeypatch):
    """A module ``symbellman_canary`` in the current folder (and on sys.path) that
    writes ``marker`` when imported; yields the marker's path."""
    marker = tmp_path / "canary-ran"
    (tmp_path / "symbellman_canary.py").write_text(CANARY.format(marker=str(marker)))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("symbellman_canary", None)
    yield marker
    sys.modules.pop("symbellman_canary", None)


@pytest.fixture
def make_calls(monkeypatch):
    """Every call of gymnasium.make, recorded (and still made)."""
    calls = []
    real = gym.make

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(gym, "make", spy)
    return calls


@pytest.mark.parametrize("env_id", [
    "symbellman_canary:X-v0",             # a module in the current folder
    "symbellman_canary:FrozenLake-v1",    # ... in front of a registered id
    "this:X-v0",                          # a module of the standard library (issue 18)
])
def test_an_id_with_a_module_part_is_refused_before_anything_is_imported(
        env_id, canary, make_calls, tmp_path, capsys):
    sys.modules.pop("this", None)
    assert main(["import", f"gymnasium:{env_id}", "-o", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert "module part" in err and err.count("\n") == 1 and "Traceback" not in err
    assert not canary.exists()
    assert "symbellman_canary" not in sys.modules and "this" not in sys.modules
    assert make_calls == []
    assert not (tmp_path / "x.yaml").exists()


def test_an_unregistered_id_is_refused_before_make(canary, make_calls, tmp_path, capsys):
    assert main(["import", "gymnasium:symbellman_canary", "-o", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert "no registered environment 'symbellman_canary'" in err
    assert make_calls == [] and not canary.exists()


def test_a_registered_id_whose_entry_point_is_elsewhere_is_refused(canary, make_calls,
                                                                     tmp_path, capsys):
    gym.register(id="SymbellmanCanary-v0", entry_point="symbellman_canary:Env")
    try:
        assert main(["import", "gymnasium:SymbellmanCanary-v0",
                     "-o", str(tmp_path / "x.yaml")]) == 2
    finally:
        del gym.envs.registry["SymbellmanCanary-v0"]
    err = capsys.readouterr().err
    assert "not one of gymnasium's own" in err and "symbellman_canary:Env" in err
    assert make_calls == [] and not canary.exists()


def test_a_registered_id_is_still_made(make_calls, tmp_path, capsys):
    out = tmp_path / "lake.yaml"
    assert main(["import", "gymnasium:FrozenLake-v1", "-o", str(out)]) == 0
    assert len(make_calls) == 1 and out.exists()
    # made from the registry's own spec, never from the text the user typed
    assert make_calls[0][0] is gym.envs.registry["FrozenLake-v1"]


def test_the_installed_command_does_not_run_a_module_of_the_current_folder(canary, tmp_path):
    # python -m puts the current folder first on sys.path, as the report did
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([sys.executable, "-m", "symbellman", "import",
                          "gymnasium:symbellman_canary:X-v0", "-o", "x.yaml"],
                         cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1
    assert not canary.exists()
    assert not Path(tmp_path / "x.yaml").exists()
