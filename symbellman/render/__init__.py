"""Output for people: LaTeX, state diagrams, plots and handouts.

Each module imports its optional dependencies (matplotlib, the ``dot`` program, a TeX
engine) inside the functions that need them and raises
:class:`~symbellman.core.errors.MissingDependency` with what to install when one is missing.

- :mod:`.latex`: documents of equations and solutions (``symbellman latex``);
- :mod:`.diagram`: the state diagram as Graphviz DOT, rendered with ``dot``;
- :mod:`.plots`: each state's v_π against γ (matplotlib);
- :mod:`.document`: a handout as a small document (sections of blocks);
- :mod:`.handout`: builds that document and writes the handout (PDF, ``.tex``, Markdown);
- :mod:`.writers`: the LaTeX and Markdown writers of a document;
- :mod:`.tex`: running pdflatex/lualatex and reading its log.
"""
