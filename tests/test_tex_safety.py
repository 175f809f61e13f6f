"""LaTeX output and the TeX engine, tried with hostile names (issue 18).

Two layers, each tested on its own:

* every name is escaped in every LaTeX context (handout, slides, exercise sheet and key,
  ``symbellman latex``), so a name such as ``\\input{FILE}`` or ``$\\write18{...}$``
  prints as it is spelt: the PDF's text holds the name, never the file's contents;
* the engine itself runs with shell escape off and kpathsea's paranoid file reading
  (``openin_any=p``), so even unescaped TeX can neither run a command nor read a file
  outside its folder: tested by handing :func:`compile_pdf` such TeX directly.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from symbellman.cli import main
from symbellman.render.tex import TexError, compile_pdf, engine_command

pytestmark = pytest.mark.skipif(shutil.which("pdflatex") is None or
                                shutil.which("pdftotext") is None,
                                reason="needs pdflatex and pdftotext")

SECRET = "SECRETWORD42"
ENGINES = [e for e in ("pdflatex", "xelatex", "lualatex") if shutil.which(e)]
DOCUMENT = "\\documentclass{article}\n\\begin{document}\n%s\n\\end{document}\n"


@pytest.fixture
def secret(tmp_path):
    """A file outside the TeX folder that TeX would happily \\input by default."""
    path = tmp_path / "outside" / "secret.tex"
    path.parent.mkdir()
    path.write_text(SECRET + "\n")
    return path


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


# -- the engine ---------------------------------------------------------------------------------
def test_every_run_has_shell_escape_off():
    command = engine_command("pdflatex", r"\input{handout.tex}")
    assert "-no-shell-escape" in command
    assert not any("shell-escape" in c and c != "-no-shell-escape" for c in command)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_engine_reads_no_file_by_absolute_path(engine, secret, tmp_path):
    with pytest.raises(TexError, match="not found|Not reading|openin_any"):
        compile_pdf(DOCUMENT % ("\\input{%s}" % secret), tmp_path / "a.pdf", engine=engine)
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_the_engine_reads_no_file_above_its_folder(engine, tmp_path):
    # the TeX folder is a fresh temporary folder: climb to the root, then down to /etc
    with pytest.raises(TexError):
        compile_pdf(DOCUMENT % r"\input{../../../../../../../../etc/passwd}",
                    tmp_path / "a.pdf", engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_openin_of_an_outside_file_finds_it_closed(engine, secret, tmp_path):
    body = (r"\newread\probe\immediate\openin\probe=%s "
            r"\ifeof\probe FILE-CLOSED\else FILE-OPEN\fi" % secret)
    compile_pdf(DOCUMENT % body, tmp_path / "a.pdf", engine=engine)
    text = pdf_text(tmp_path / "a.pdf")
    assert "FILE-CLOSED" in text and "FILE-OPEN" not in text


@pytest.mark.parametrize("engine", ENGINES)
def test_write18_runs_nothing(engine, tmp_path):
    marker = tmp_path / "pwned"
    log = compile_pdf(DOCUMENT % (r"\immediate\write18{touch %s}done" % marker),
                      tmp_path / "a.pdf", engine=engine)
    assert not marker.exists()
    assert "disabled" in log.text or "runsystem" not in log.text


# -- names through every LaTeX output ---------------------------------------------------------------
def hostile_model(tmp_path, secret) -> str:
    r"""States and actions whose names are TeX: \input of the secret, \write18, a brace
    that would close a group, an & that would align, % that would comment the line out."""
    marker = tmp_path / "pwned"
    text = f"""\
name: 'Evil \\input{{{secret}}} %c'
discount: 9/10
states: ['\\input{{{secret}}}', '$\\immediate\\write18{{touch {marker}}}$', 'x}}y{{z', End]
terminal: [End]
actions:
  '\\input{{{secret}}}': ['a&b#c', '100%']
  '$\\immediate\\write18{{touch {marker}}}$': ['go~^']
  'x}}y{{z': ['\\\\']
transitions:
  '\\input{{{secret}}}':
    'a&b#c': [{{to: '$\\immediate\\write18{{touch {marker}}}$', p: 1/2, r: 1}}, {{to: End, p: 1/2, r: 0}}]
    '100%': {{to: 'x}}y{{z', r: 2}}
  '$\\immediate\\write18{{touch {marker}}}$':
    'go~^': {{to: End, r: 3}}
  'x}}y{{z':
    '\\\\': {{to: End, r: 4}}
"""
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("extra", [[], ["--slides"], ["--exercise"]],
                         ids=["handout", "slides", "exercise"])
def test_hostile_names_print_as_spelt_in_every_pdf(extra, tmp_path, secret, capsys):
    model = hostile_model(tmp_path, secret)
    out = tmp_path / "out.pdf"
    assert main(["handout", model, *extra, "-o", str(out)]) == 0, capsys.readouterr().err
    pdfs = [out] + ([tmp_path / "out-key.pdf"] if extra == ["--exercise"] else [])
    for pdf in pdfs:
        text = pdf_text(pdf)
        assert SECRET not in text
        assert f"\\input{{{secret}}}" in text.replace("\n", "")  # the name, as spelt
        assert "x}y{z" in text
    assert not (tmp_path / "pwned").exists()


def test_hostile_names_in_the_latex_command(tmp_path, secret, capsys):
    model = hostile_model(tmp_path, secret)
    tex = tmp_path / "l.tex"
    assert main(["latex", model, "--standalone", "-o", str(tex)]) == 0
    source = tex.read_text(encoding="utf-8")
    # every comment line is one line: a name cannot end it and start TeX of its own
    assert all("\\input" not in line or "\\textbackslash{}input" in line or
               line.startswith("%") for line in source.splitlines())
    compile_pdf(source, tmp_path / "l.pdf")
    text = pdf_text(tmp_path / "l.pdf")
    assert SECRET not in text and "x}y{z" in text
    assert not (tmp_path / "pwned").exists()


def test_a_newline_in_a_name_cannot_leave_a_latex_comment(tmp_path, capsys):
    path = tmp_path / "nl.yaml"
    path.write_text('states: ["A\\n\\\\input{x}", B]\nterminal: [B]\ndiscount: 1/2\n'
                    'transitions: {"A\\n\\\\input{x}": [{to: B, r: 1}]}\n', encoding="utf-8")
    assert main(["latex", str(path), "--what", "matrix"]) == 0
    out = capsys.readouterr().out
    comments = [line for line in out.splitlines() if line.startswith("%")]
    assert comments and all("\\n" in c for c in comments if "over" in c)
    assert not any(line.startswith("\\input") for line in out.splitlines())
