"""The ``symbellman`` command: load a model file, make one library call, print the result.

``main(argv) -> int`` is the whole program; it is also what the tests call. Errors a
user can cause (:class:`~symbellman.core.errors.SymbellmanError`) are turned into one line on
standard error and exit status 2, here and nowhere else. Each group of commands has its
module: :mod:`.solving` (solve, optimal), :mod:`.printing` (equations, latex),
:mod:`.documents` (handout), :mod:`.interop` (import, export); :mod:`.arguments` and
:mod:`.output` hold what they share.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Sequence

from ..version import __version__
from ..core.i18n import _, resolve, using
from ..core.errors import SolveError, SymbellmanError
from ..core.limits import (ENVIRONMENT, Limits, bounded_run, current as current_limits,
                           out_of_memory)
from .arguments import (add_command, add_flags, add_jobs_argument, add_model_arguments,
                        add_notation_arguments, add_options, add_value_arguments, whole_number)
from .checking import add_check_command
from .criteria import add_criteria_arguments
from .interop import add_interop_commands
from .td import add_td_command

__all__ = ["main", "build_parser", "reference", "MATRIX_STATES", "SMALL_MODEL"]

# The parser is built from light modules only (no SymPy): `symbellman --help` answers at
# once. Each command's own module is imported when that command runs, by these loaders.


def cmd_solve(args) -> int:
    from .solving import cmd_solve as run
    return run(args)


def cmd_optimal(args) -> int:
    from .solving import cmd_optimal as run
    return run(args)


def cmd_equations(args) -> int:
    from .printing import cmd_equations as run
    return run(args)


def cmd_latex(args) -> int:
    from .printing import cmd_latex as run
    return run(args)


def cmd_handout(args) -> int:
    from .documents import cmd_handout as run
    return run(args)


def __getattr__(name: str):
    """``MATRIX_STATES`` and ``SMALL_MODEL``, read from their commands' modules on use."""
    if name == "MATRIX_STATES":
        from .printing import MATRIX_STATES
        return MATRIX_STATES
    if name == "SMALL_MODEL":
        from .solving import SMALL_MODEL
        return SMALL_MODEL
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _safe_text(text: str) -> str:
    from ..core.names import safe_text

    return safe_text(text)


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake on the command line reported in one line (exit status 2)."""

    def error(self, message: str):
        self.exit(2, _safe_text(f"{self.prog}: error: {message} (see {self.prog} --help)")
                  + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="symbellman",
        description="Derive, solve and typeset Bellman equations exactly.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = add_command(sub, "solve", cmd_solve, "v_pi and q_pi of the model's policy, exactly",
                    "Print v_pi and q_pi of the model's policy as exact values (numeric "
                    "discount) or closed forms in it.")
    add_model_arguments(p, many=True)
    add_flags(p, {"--json": "print one JSON object (see the spec)"})
    add_jobs_argument(p, "N", "solve several models in N processes at once (default 1)")
    add_criteria_arguments(p, solve=True)
    add_options(p, {"--what": ("v|q", "what is computed and written: v (v_pi only), q "
                                      "(q_pi only) or v,q (the default)")})
    add_value_arguments(p)

    p = add_command(sub, "equations", cmd_equations, "the Bellman expectation equations",
                    "Print the Bellman expectation equations of v_pi and q_pi, the "
                    "half-steps joining them and the matrix form.")
    add_model_arguments(p)
    add_flags(p, {"--latex": "print LaTeX instead of text",
                  "--json": "print each equation's right-hand side as exact text, in JSON"})
    add_notation_arguments(p)
    add_criteria_arguments(p, equations=True)

    p = add_command(sub, "latex", cmd_latex, "LaTeX of the equations and solutions",
                    "Print the model's Bellman equations and their solution as LaTeX "
                    "(align* blocks that need amsmath).")
    add_model_arguments(p)
    add_options(p, {
        "--what": ("LIST", "comma-separated parts: v,q,halfsteps,matrix,solution,optimal "
                           "(default: all), and grid: the values and optimal arrows drawn on "
                           "the model's layout grid (TikZ)"),
        "--only": ("STATES", "comma-separated states whose equations and closed forms print "
                             "(in full, however long); default: every state, with closed "
                             "forms longer than a few lines summarised"),
        "--gamma": ("LIST", "discounts at which a summarised closed form shows its value "
                            "(default: 0.9)")})
    add_flags(p, {"--standalone": "a complete document (article with amsmath) instead of "
                                  "a fragment"})
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    add_notation_arguments(p)

    p = add_command(sub, "handout", cmd_handout,
                    "a teaching handout (PDF, .tex or Markdown) or an interactive page (.html)",
                    "Write a handout: the model, its state diagram, the equations, the exact "
                    "solution, a plot, the optimal policy and worked steps. Every format needs "
                    "matplotlib (the 'handout' extra) and .html also latex2mathml (the 'html' "
                    "extra); a PDF needs a TeX engine (pdflatex, or xelatex with CJK fonts for "
                    "Chinese and other scripts); without Graphviz's dot the state diagram is "
                    "left out, with a note.")
    add_model_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="the handout: FILE.pdf, FILE.tex or FILE.md; FILE.html is an "
                        "interactive page (sliders, stepping; one offline file)")
    add_options(p, {"--gamma": ("LIST", "discounts for the table of values, e.g. 0,0.9,1")})
    add_flags(p, {"--exercise": "leave the answers blank and write the key to FILE-key.EXT",
                  "--slides": "write Beamer slides of the same content (FILE.pdf or FILE.tex)"})
    add_options(p, {"--closed-forms": ("STATES", "print the closed forms in gamma of these "
                                                 "states however long, e.g. r0c0,r0c1 (all of "
                                                 "them are in FILE-closed-forms.json, or "
                                                 "with --exercise in the key's "
                                                 "FILE-key-closed-forms.json)")})
    p.add_argument("--variants", metavar="N", type=whole_number,
                   help="write N sheets FILE-1.EXT, ... whose numbers are drawn from the "
                        "model's 'vary' ranges (with --exercise, each with its key)")
    p.add_argument("--seed", metavar="S", type=whole_number, default=0,
                   help="the seed that draws the variants (default 0): the same seed "
                        "gives the same sheets")
    add_jobs_argument(p, "J", "write the variants with J processes (0: one per CPU; default 1)",
                      kind=whole_number)
    add_notation_arguments(p)

    p = add_command(sub, "optimal", cmd_optimal, "v*, q* and the optimal actions, exactly",
                    "Solve the Bellman optimality equations exactly: v*, q* and every "
                    "optimal action at a numeric discount; for a symbolic discount (or "
                    "--over SYMBOL) the pieces of the range with their optimal policies and "
                    "exact breakpoints.")
    add_model_arguments(p, policy=False)
    add_options(p, {
        "--over": ("SYMBOL", "the variable of the pieces: gamma (the default when the "
                             "discount is a symbol) or a parameter, with the others given "
                             "by --at"),
        "--range": ("LOW,HIGH", "the range of the variable (default 0,1; write "
                                "--range=-5,5 when LOW is negative)")})
    add_flags(p, {"--json": "print one JSON object (see the spec)"})
    add_criteria_arguments(p, solve=False)
    add_value_arguments(p)
    add_td_command(sub, add_command, add_model_arguments, add_flags, add_value_arguments)
    add_interop_commands(sub)
    add_check_command(sub)
    _add_run_limits(parser, sub)
    return parser


def _add_run_limits(parser: argparse.ArgumentParser, sub) -> None:
    """--timeout, --max-memory and --lang, before or after the command's name."""
    for i, p in enumerate([parser, *sub.choices.values()]):
        default = None if i == 0 else argparse.SUPPRESS  # a command's own copy wins if given
        p.add_argument("--timeout", metavar="SECONDS", type=_positive(float), default=default,
                       help="stop with an error after SECONDS (default: "
                            f"${ENVIRONMENT['timeout']}, else no limit)")
        p.add_argument("--max-memory", metavar="MB", type=_positive(int), default=default,
                       help=f"memory ceiling of the run (default: "
                            f"${ENVIRONMENT['memory_mb']}, else {Limits().memory_mb})")
        p.add_argument("--lang", metavar="LANG", default=default,
                       help="the language of the words, e.g. zh (default: the model file's "
                            "lang, else $SYMBELLMAN_LANG, else en)")


def _positive(kind):
    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
        return value
    return convert


def reference() -> str:
    """The command-line reference in Markdown, made from ``--help`` (docs/cli.md)."""
    import os

    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "88"  # argparse wraps to the terminal: fix it for the docs
    try:
        return _reference(build_parser())
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def _reference(parser) -> str:
    parts = ["# Command-line reference", "",
             "Generated from `symbellman --help` by `python -m symbellman.cli`; "
             "do not edit by hand.", "", "```", parser.format_help().rstrip(), "```"]
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        parts += ["", f"## symbellman {name}", "", "```", sub.format_help().rstrip(), "```"]
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:  # `symbellman` alone: what it can do, not an error
        parser.print_help()
        return 0
    args = parser.parse_args(argv)
    from .output import SafeStream, digit_limit, set_digit_limit

    digits = digit_limit()
    stdout = sys.stdout
    sys.stdout = SafeStream(stdout)
    try:
        limits = current_limits()
        memory = args.max_memory if args.max_memory is not None else limits.memory_mb
        timeout = args.timeout if args.timeout is not None else limits.timeout
        lang = getattr(args, "lang", None)
        resolve(lang)  # a language without a catalog (or a bad SYMBELLMAN_LANG): exit 2
        with bounded_run(timeout=timeout, memory_mb=memory), _stopped_cleanly(), \
                using(lang):
            return args.run(args)
    except SymbellmanError as exc:
        from .messages import said

        message = said(exc, getattr(args, "lang", None))  # in the reader's language
        if isinstance(exc, SolveError) and getattr(args, "model", None):
            message = f"{args.model}: {message}"  # e.g. γ = 1 on a policy that never ends
        _error(message, getattr(args, "lang", None))
        return 2
    except MemoryError:
        _error(out_of_memory(memory))
        return 2
    except KeyboardInterrupt:
        print(f"symbellman: {_('interrupted')}", file=sys.stderr)
        return 130
    except _Terminated:
        print(f"symbellman: {_('terminated')}", file=sys.stderr)
        return 143
    except BrokenPipeError:
        return 0
    finally:
        sys.stdout = stdout
        set_digit_limit(digits)


class _Terminated(BaseException):
    """SIGTERM arrived: unwind, so that files being written are removed, not left half."""


@contextlib.contextmanager
def _stopped_cleanly():
    """While a command runs, SIGTERM (``kill``, a job's time limit) unwinds it like ^C.

    Every output is written to a temporary file renamed into place at the end
    (:mod:`symbellman.io.files`); unwinding removes the temporaries, so a stopped run
    leaves neither a half-written file nor a stray one.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    import os

    owner = os.getpid()

    def stop(signum, frame):
        if os.getpid() != owner:  # a worker process forked from this one: end as usual
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _error(message: str, lang: str | None = None) -> None:
    # one line, whatever a file name or a state name holds
    from .messages import error_line  # SymPy-free --help: loaded on the first error

    print(error_line(message, lang), file=sys.stderr)
