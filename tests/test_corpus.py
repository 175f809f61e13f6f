"""The bad-input corpus: every hostile or malformed file refused in one line, in bounded time.

``tests/corpus/`` holds the files (YAML, JSON, TOML: injection attempts, syntax errors,
broken structure, numbers and expressions beyond the limits, reserved names) and
``tests/corpus/expected.tsv`` the exact error each must give. Every file goes through
``solve``, ``optimal``, ``equations`` and ``latex`` in process; a representative subset,
and the special files made here (a FIFO, devices, files over the size limit), go through
the installed ``symbellman`` script in subprocesses held to 10 s and 1 GB each. The
injection attempts would create a file named ``CANARY`` if anything in them ran.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from symbellman.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"
TABLE = CORPUS / "expected.tsv"
COMMANDS = ("solve", "optimal", "equations", "latex")
SECONDS, MEMORY = 10, 2**30


def _expected() -> dict[str, str]:
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, message = line.split("\t")
            rows[name] = message
    return rows


EXPECTED = _expected()


def test_the_table_covers_the_corpus():
    files = {p.name for p in CORPUS.iterdir()} - {TABLE.name}
    assert files == set(EXPECTED)
    assert len(files) >= 150
    kinds = {Path(f).suffix for f in files}
    assert {".yaml", ".json", ".toml"} <= kinds


@pytest.fixture(scope="module")
def copied(tmp_path_factory):
    """One copy of the corpus for the module; the canary must never appear in it."""
    folder = tmp_path_factory.mktemp("run") / "corpus"
    shutil.copytree(CORPUS, folder)
    yield folder
    assert not (folder / "CANARY").exists(), "something in a model file was executed"


@pytest.fixture
def workdir(copied, monkeypatch):
    monkeypatch.chdir(copied)
    yield copied
    assert not (copied / "CANARY").exists(), "something in a model file was executed"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_command_refuses_the_file(name, workdir, capsys):
    for command in COMMANDS:
        start = time.process_time()  # CPU time: a busy machine does not inflate it
        status = main([command, name])
        took = time.process_time() - start
        out, err = capsys.readouterr()
        assert status == 2, (command, out[:200])
        assert err == f"symbellman: error: {name}: {EXPECTED[name]}\n", command
        assert took < SECONDS, command


def _limits():  # run in the child before exec: the bounds are the OS's, not symbellman's
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))


def _run(argv: list[str], cwd: Path) -> tuple[int, str, str, float]:
    """Exit status, output, errors and CPU seconds of the installed script.

    The bound is on CPU time (RLIMIT_CPU), which a busy shared machine does not inflate;
    the wall-clock timeout only catches a run that waits (a FIFO would).
    """
    script = shutil.which("symbellman")
    command = [script] if script else [sys.executable, "-m", "symbellman"]
    child = subprocess.Popen(command + argv, cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, preexec_fn=_limits)
    timer = threading.Timer(12 * SECONDS, child.kill)  # a waiting run; then its status fails
    timer.start()
    try:
        out = child.stdout.read()  # until the child ends; its errors are one short line
        err = child.stderr.read()
        # wait4, not Popen.wait: the child's own CPU time, while other runs go on
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        timer.cancel()
        child.stdout.close()
        child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, out, err, usage.ru_utime + usage.ru_stime


# The files most likely to cost time or memory, and each kind of injection.
SUBSET = ["expr_nested_powers.yaml", "expr_gamma_tower.yaml", "expr_binomial_tower.yaml",
          "expr_many_factors.yaml", "expr_3000_symbols.yaml", "yaml_billion_laughs.yaml",
          "yaml_deep_nesting.yaml", "json_deep.json", "toml_huge_int.toml",
          "inject_import.yaml", "inject_yaml_apply.yaml", "inject_json_code.json",
          "inject_toml_code.toml", "discount_nan.yaml", "expr_arabic_digits.yaml"]


def _special_files(folder: Path) -> dict[str, str]:
    """Files the corpus cannot hold: made here, with the error each must give."""
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "urandom.json").symlink_to("/dev/urandom")
    with open(folder / "huge.yaml", "wb") as f:  # sparse: 30 MB of NUL bytes on paper
        f.truncate(30_000_000)
    not_regular = "this is not a regular file (a device, pipe or socket) (save the model " \
                  "to a file and give its name)"
    return {"fifo.yaml": not_regular, "zero.yaml": not_regular, "urandom.json": not_regular,
            "huge.yaml": "the file has 30,000,000 bytes; the limit is 10,000,000 (raise "
                         "SYMBELLMAN_MAX_FILE_BYTES to read larger models)"}


def test_installed_script_refuses_hostile_files_in_bounded_time_and_memory(workdir):
    expected = {name: EXPECTED[name] for name in SUBSET}
    expected.update(_special_files(workdir))
    # each file through one command, the commands taking turns (in process, above, every
    # file goes through all four): interpreter start-up dominates these runs
    jobs = [(COMMANDS[i % len(COMMANDS)], name) for i, name in enumerate(expected)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # the CI machine has two cores
        results = list(pool.map(lambda job: _run([job[0], job[1]], workdir), jobs))
    for (command, name), (status, out, err, cpu) in zip(jobs, results):
        assert status == 2, (command, name, err[-300:])
        assert err == f"symbellman: error: {name}: {expected[name]}\n", (command, name)
        assert "Traceback" not in err and out == ""
        assert cpu < SECONDS


def test_a_9mb_valid_yaml_file_is_read_within_the_limits(workdir):
    # a big but well-formed file: libyaml reads it in seconds (the pure-Python parser
    # took over 60 s and 1.8 GB on 50 MB); the comment lines make up its size
    text = ("discount: 1/2\nstates: [A]\ntransitions: {A: {to: A, r: 1}}\n"
            + ("# " + "x" * 98 + "\n") * 95_000)
    (workdir / "big.yaml").write_text(text)
    status, out, err, cpu = _run(["solve", "big.yaml"], workdir)
    assert status == 0, err
    assert out.splitlines()[-1].split() == ["A", "2", "2"]  # v(A) = 1 / (1 - 1/2)
    assert cpu < SECONDS


# -- names reach every output language escaped ------------------------------------------
HOSTILE_NAMES = """discount: 1/2
states: ["A\\e[31m", "B\\"]; evil [shape=box]; x -> y [label=\\"", End]
terminal: [End]
actions:
  "A\\e[31m": ["go\\"]; injected [color=red]; z [label=\\""]
  "B\\"]; evil [shape=box]; x -> y [label=\\"": [stop]
transitions:
  "A\\e[31m":
    "go\\"]; injected [color=red]; z [label=\\"": [{to: End, p: 1/2, r: 1}, {to: "A\\e[31m", p: 1/2}]
  "B\\"]; evil [shape=box]; x -> y [label=\\"":
    stop: {to: End}
"""


def test_names_cannot_add_statements_to_the_diagram(tmp_path):
    from symbellman.io import load_model
    from symbellman.render.diagram import state_diagram

    path = tmp_path / "names.yaml"
    path.write_text(HOSTILE_NAMES)
    mdp, _ = load_model(path)
    dot = state_diagram(mdp)
    assert "\x1b" not in dot
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is needed to parse the DOT text")
    # Graphviz's own reading: only our nodes exist, whatever the names say
    plain = subprocess.run(["dot", "-Tplain"], input=dot, capture_output=True, text=True,
                           timeout=30, check=True).stdout
    nodes = {line.split()[1] for line in plain.splitlines() if line.startswith("node ")}
    assert nodes == {"s0", "s1", "s2", "a0_0"}
