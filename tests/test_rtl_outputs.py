"""Hebrew and Arabic names on paper: each reads right to left, Arabic letters joined,
inside the left-to-right document (the PDF handout, slides, sheet and key; the plot).

What a reader sees is checked through poppler: ``pdftotext -bbox`` gives each word's
box, so the first word of a two-word Hebrew name must stand to the right of the second,
and the words come out in the order they are drawn (``דחא`` for אחד). The presentation
forms of the Arabic letters are checked by their names in Unicode's database.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import warnings

import pytest

from symbellman.cli import main
from symbellman.text.bidi import visual_order

needs_xelatex = pytest.mark.skipif(
    any(shutil.which(p) is None for p in ("xelatex", "pdffonts", "pdftotext", "dot")),
    reason="needs xelatex (texlive-xetex), poppler and graphviz")

MODEL = """format: 1
name: "מודל ונموذج"
discount: 9/10
states: ["אחד שתיים", "عالم", "Start"]
actions:
  "אחד שתיים": ["ימין", "שמאל"]
  "عالم": ["يمين"]
  "Start": ["go"]
transitions:
  "אחד שתיים":
    "ימין": {to: "عالم", r: 1}
    "שמאל": {to: "Start", r: 2}
  "عالم":
    "يمين": {to: "אחד שתיים", r: 3}
  "Start":
    "go": {to: "אחד שתיים", r: 0}
"""


def _names(text: str) -> list[str]:
    return [unicodedata.name(c) for c in text]


# -- the order and forms matplotlib is given where it lays out nothing itself -------------------
def test_hebrew_runs_are_reversed_and_numbers_in_them_are_not():
    assert visual_order("אחד 23 שתיים") == "םייתש 23 דחא"
    assert visual_order("s1 → אחד, (שתיים)") == "s1 → דחא, (םייתש)"  # each name by itself
    assert visual_order("Class1 café Привет 学习") == "Class1 café Привет 学习"


def test_arabic_letters_take_their_joining_forms():
    # "عالم": ʿayn initial, alif final (it never joins onward), lām initial, mīm final
    assert _names(visual_order("عالم")) == [
        "ARABIC LETTER MEEM FINAL FORM", "ARABIC LETTER LAM INITIAL FORM",
        "ARABIC LETTER ALEF FINAL FORM", "ARABIC LETTER AIN INITIAL FORM"]
    # "بيت": bā' initial, yā' medial, tā' final; one letter alone is isolated
    assert _names(visual_order("بيت")) == [
        "ARABIC LETTER TEH FINAL FORM", "ARABIC LETTER YEH MEDIAL FORM",
        "ARABIC LETTER BEH INITIAL FORM"]
    assert _names(visual_order("ب")) == ["ARABIC LETTER BEH ISOLATED FORM"]
    # lām-alif is one ligature: isolated after a letter that does not join onward
    # (dāl), final after one that does (sīn)
    assert _names(visual_order("دلا")) == ["ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM",
                                          "ARABIC LETTER DAL ISOLATED FORM"]
    assert _names(visual_order("سلا")) == ["ARABIC LIGATURE LAM WITH ALEF FINAL FORM",
                                          "ARABIC LETTER SEEN INITIAL FORM"]
    # a haraka between two letters does not break the joining
    shaped = visual_order("بَت")
    assert _names(shaped)[0] == "ARABIC LETTER TEH FINAL FORM"
    assert _names(shaped)[2] == "ARABIC LETTER BEH INITIAL FORM"


def test_the_plot_labels_follow_what_matplotlib_does(monkeypatch):
    pytest.importorskip("matplotlib")
    from symbellman.render import plots

    monkeypatch.setattr(plots, "_lays_out_right_to_left", lambda: False)
    assert plots._label("אחד $2") == r"דחא \$2"
    monkeypatch.setattr(plots, "_lays_out_right_to_left", lambda: True)
    assert plots._label("אחד $2") == r"אחד \$2"


# -- the PDFs, as a reader sees them ------------------------------------------------------------
def _words(pdf, page: int) -> list[tuple[float, float, str]]:
    """(xMin, yMin, text) of every word on ``page``, as poppler finds them."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                          "-"], capture_output=True, text=True, check=True).stdout
    return [(float(x), round(float(y)), w) for x, y, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]


def _right_to_left(words, first: str, second: str) -> bool:
    """Whether some line has the drawn word ``first`` to the right of ``second``."""
    return any(x1 > x2 for x1, y1, w1 in words if w1 == first
               for x2, y2, w2 in words if w2 == second and y1 == y2)


@needs_xelatex
@pytest.mark.parametrize("extra", [[], ["--slides"], ["--exercise"], ["--lang", "zh"]])
def test_hebrew_and_arabic_names_read_right_to_left_on_paper(tmp_path, capsys, extra):
    model = tmp_path / "rtl.yaml"
    model.write_text(MODEL, encoding="utf-8")
    pdf = tmp_path / "rtl.pdf"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing in the plot would warn
        assert main(["handout", str(model), "-o", str(pdf), *extra]) == 0, \
            capsys.readouterr().err
    if "--exercise" in extra:
        pdf = tmp_path / "rtl-key.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # all embedded
    assert any("DejaVuSans" in line for line in fonts)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True).stdout).group(1))
    words = [w for page in range(1, pages + 1) for w in _words(pdf, page)]
    # "אחד שתיים": אחד is drawn right of שתיים, each word's letters right to left
    assert _right_to_left(words, "דחא", "םייתש")
    # the Arabic name, drawn joined: poppler reads back its presentation forms
    drawn = {w for _x, _y, w in words}
    assert "ﻢﻟﺎﻋ" in drawn  # mīm final, lām initial, alif final, ʿayn initial
    # the diagram (Graphviz) and the title set them too
    assert "Start" in drawn


@needs_xelatex
def test_the_plot_draws_the_names_right_to_left(tmp_path):
    pytest.importorskip("matplotlib")
    from symbellman.core.symbols import gamma
    from symbellman.io import load_model
    from symbellman.render.plots import plot_values
    from symbellman.solve.evaluate import solve_v

    model = tmp_path / "rtl.yaml"
    model.write_text(MODEL, encoding="utf-8")
    mdp, policy = load_model(model)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        symbolic = mdp.replace(discount=gamma)
        plot_values(solve_v(symbolic, policy.bound_to(symbolic)), tmp_path / "p.pdf",
                    title="מודל")
    words = _words(tmp_path / "p.pdf", 1)
    assert _right_to_left(words, "דחא", "םייתש")
    drawn = {w for _x, _y, w in words}
    # matplotlib maps its glyphs back to the letters, drawn right to left: ع ا ل م as
    # م ل ا ع (their joined shapes were looked at in a rendered PNG)
    assert "לדומ" in drawn and "ملاع" in {unicodedata.normalize("NFKC", w) for w in drawn}
