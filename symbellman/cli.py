"""The ``symbellman`` command: load a model file, make one library call, print the result.

``main(argv) -> int`` is the whole program; it is also what the tests call. Errors a
user can cause (:class:`~symbellman.errors.SymbellmanError`) are turned into one line on
standard error and exit status 2, here and nowhere else.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

import sympy

from . import __version__
from .errors import ModelError, SolveError, SymbellmanError
from .expressions import parse_expression, safe_text
from .limits import ENVIRONMENT, Limits, bounded_run, current as current_limits, out_of_memory

__all__ = ["main"]

#: Up to this many non-terminal states, closed forms are printed factored.
SMALL_MODEL = 12
#: ``equations`` prints the dense matrix form up to this many non-terminal states.
MATRIX_STATES = 60


# -- shared helpers for subcommands --------------------------------------------------------------
def parse_assignments(items: Sequence[str] | None) -> dict[str, sympy.Expr]:
    """``["gamma=9/10", "alpha=0.5"]`` -> ``{"gamma": 9/10, "alpha": 1/2}``, exactly.

    >>> parse_assignments(["gamma=0.9"])
    {'gamma': 9/10}
    """
    values = {}
    for item in items or ():
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ModelError(f"--at expects name=value, got {item!r}", place="--at",
                             hint="for example --at gamma=9/10")
        values[name] = parse_expression(text, place=f"--at {name}")
        if values[name].free_symbols:
            raise ModelError(f"the value of {name} must be a number", place="--at")
    return values


def load(args) -> tuple:
    """The model and policy named by the common arguments, with ``--at`` values put in."""
    from .io import load_model, load_policy

    mdp, policy = load_model(args.model)
    if getattr(args, "policy", None):
        policy = load_policy(args.policy, mdp)
    # What was read is bounded now (file size, digits, degree): from here on the numbers
    # are symbellman's own exact values, printed in full however long (main() restores).
    _print_all_digits()
    values = parse_assignments(getattr(args, "at", None))
    if "gamma" in values and not mdp.discount.free_symbols:
        # the discount is already a number: --at gamma=... replaces it
        mdp = mdp.replace(discount=values.pop("gamma"))
        policy = policy.subs(mdp, {})
    if values:
        mdp2 = mdp.subs(values)
        policy = policy.subs(mdp2, values)
        mdp = mdp2
    return mdp, policy


def _decimal(expr: sympy.Expr, digits: int = 6) -> str:
    """A short decimal for a table; trailing zeros go from the digits, never the exponent.

    >>> _decimal(sympy.Rational(1, 8)), _decimal(sympy.Integer(10)**30 - 1)
    ('0.125', '1.000000000e+30')
    """
    if expr.free_symbols:
        return ""
    if expr == 0:
        return "0"
    text = str(sympy.Float(expr, digits + 4).round(digits))
    mantissa, e, exponent = text.partition("e")
    if "." in mantissa and not e:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return mantissa + e + exponent


def _table(rows: list[list[str]], header: list[str]) -> str:
    rows = [[safe_text(str(c)) for c in r] for r in rows]  # widths of what is shown
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


class _Progress:
    """Progress on standard error for solves that take over a second (terminals only)."""

    def __init__(self, stream=None, delay: float = 1.0):
        import time

        self._clock = time.monotonic
        self._start = self._clock()
        self._delay = delay
        self._stream = stream or sys.stderr
        self._shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._clock() - self._start < self._delay:
            return
        self._shown = True
        self._stream.write(f"\rsymbellman: {stage} {done}/{total}   ")
        self._stream.flush()

    def __enter__(self):
        from .linalg import reporting

        if not self._stream.isatty():
            self._context = None
            return self
        self._context = reporting(self)
        self._context.__enter__()
        return self

    def __exit__(self, *exc):
        if self._context is not None:
            self._context.__exit__(*exc)
        if self._shown:
            self._stream.write("\r" + " " * 60 + "\r")
            self._stream.flush()
        return False


def _strings(function) -> dict:
    return {k: function.text(k) for k in function.keys()}


# -- subcommands -------------------------------------------------------------------------------
def cmd_solve(args) -> int:
    from .evaluate import solve_q, solve_v

    mdp, policy = load(args)
    with _Progress():
        v = solve_v(mdp, policy)
        q = None if mdp.is_mrp else solve_q(mdp, policy, v=v)
    if args.json:
        out = {"model": mdp.name, "discount": str(mdp.discount), "v": _strings(v)}
        if q is not None:
            out["q"] = {s: {a: q.text((s, a)) for a in mdp.actions(s)}
                        for s in mdp.nonterminal}
        print(json.dumps(out, indent=2))
        return 0
    title = mdp.name or args.model
    print(f"{title}: v_pi under the {policy.kind} policy, discount {mdp.discount}")
    print()
    numeric = not mdp.discount.free_symbols
    if numeric:
        print(_table([[s, str(v[s]), _decimal(v[s])] for s in mdp.states],
                     ["state", "v_pi (exact)", "decimal"]))
        if q is not None:
            print()
            print(_table([[s, a, str(q[s, a]), _decimal(q[s, a])]
                          for s, a in mdp.state_action_pairs],
                         ["state", "action", "q_pi (exact)", "decimal"]))
    else:
        # factored forms read best, but factoring costs seconds on big models
        show = (lambda f, k: str(f.factored(k))) if len(mdp.nonterminal) <= SMALL_MODEL \
            else (lambda f, k: f.text(k))
        for s in mdp.states:
            print(f"v_pi({s}) = {show(v, s)}")
        if q is not None:
            print()
            for s, a in mdp.state_action_pairs:
                print(f"q_pi({s}, {a}) = {show(q, (s, a))}")
    return 0


def cmd_equations(args) -> int:
    from . import equations as eqs

    mdp, policy = load(args)
    notation = _notation(args)
    families = [("Bellman expectation equations for v_pi",
                 eqs.expectation_equations(mdp, policy, kind="v", notation=notation))]
    if not mdp.is_mrp:
        families.append(("Bellman expectation equations for q_pi",
                         eqs.expectation_equations(mdp, policy, kind="q", notation=notation)))
        families.append(("The half-steps joining them",
                         eqs.half_steps(mdp, policy, notation=notation)))
    n = len(mdp.nonterminal)
    if n <= MATRIX_STATES:
        families.append(("Matrix form", eqs.matrix_form(mdp, policy, notation=notation)))
    for i, (title, family) in enumerate(families):
        if i:
            print()
        if args.latex:
            print(f"% {title}")
            print(sympy.latex(family))
        else:
            print(f"{title}:")
            print(sympy.sstr(family))
    if n > MATRIX_STATES:
        print()
        print(f"{'% ' if args.latex else ''}Matrix form: not shown for {n} states (a dense "
              f"{n} x {n} matrix; it is shown up to {MATRIX_STATES} states)")
    return 0


def _add_notation_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--style", choices=("sutton-barto", "silver"), default="sutton-barto",
                   help="Sutton & Barto's r(s, a, s') (default) or David Silver's R^a_s")
    p.add_argument("--states", choices=("name", "index"), default="name",
                   help="states as upright names (default) or as s_1, s_2, ...")
    p.add_argument("--terminals", choices=("auto", "symbol", "zero", "omit"),
                   default="auto", help="how terminal successors show (default: auto)")


def _notation(args):
    from .equations import Notation

    return Notation(style=args.style, states=args.states, terminals=args.terminals)


def check_output(output: str) -> None:
    """Refuse an output path whose folder is missing, before any work is done.

    >>> check_output("/no/such/folder/x.tex")
    Traceback (most recent call last):
    ...
    symbellman.errors.SymbellmanError: /no/such/folder/x.tex: the folder /no/such/folder does not exist (create it first, or write somewhere else)
    """
    from pathlib import Path

    folder = Path(output).parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise SymbellmanError(f"{safe_text(output)}: the folder {safe_text(str(folder))} {what} "
                              f"(create it first, or write somewhere else)")
    if Path(output).is_dir():
        raise SymbellmanError(f"{safe_text(output)}: is a folder; give a file name")


def _write_or_print(text: str, output: str | None) -> None:
    if output:
        from pathlib import Path

        check_output(output)
        try:
            Path(output).write_text(safe_text(text, lines=True), encoding="utf-8")
        except OSError as err:
            raise SymbellmanError(f"{safe_text(output)}: cannot write: "
                                  f"{err.strerror or err}") from None
    else:
        print(text, end="" if text.endswith("\n") else "\n")


def cmd_latex(args) -> int:
    from .render.latex import WHAT, latex_document

    if args.output:
        check_output(args.output)
    mdp, policy = load(args)
    what = [w.strip() for w in args.what.split(",") if w.strip()] if args.what else list(WHAT)
    _write_or_print(latex_document(mdp, policy, what, standalone_document=args.standalone,
                                   notation=_notation(args)), args.output)
    return 0


def _gammas(text: str | None) -> list | None:
    if not text:
        return None
    values = []
    for item in text.split(","):
        value = parse_expression(item.strip(), place="--gamma")
        if value.free_symbols or not (0 <= value <= 1):
            raise ModelError(f"--gamma expects numbers between 0 and 1, got {item.strip()!r}",
                             place="--gamma", hint="for example --gamma 0,0.9,1")
        values.append(value)
    return values


def cmd_handout(args) -> int:
    from .render.handout import write_handout

    check_output(args.output)
    mdp, policy = load(args)
    result = write_handout(mdp, policy, args.output, gammas=_gammas(args.gamma),
                           exercise=args.exercise, notation=_notation(args))
    for path in result["files"]:
        print(f"wrote {path}")
    for note in result["notes"]:
        print(f"note: {note}", file=sys.stderr)
    return 0


def _range(text: str | None) -> tuple:
    if not text:
        return 0, 1
    parts = text.split(",")
    if len(parts) != 2:
        raise ModelError(f"--range expects LOW,HIGH, got {text!r}", place="--range",
                         hint="for example --range 0,1")
    values = tuple(parse_expression(x.strip(), place="--range") for x in parts)
    if any(v.free_symbols for v in values):
        raise ModelError("--range expects two numbers", place="--range")
    return values


def _actions(policy) -> dict:
    return {s: list(actions) for s, actions in policy.items()}


def cmd_optimal(args) -> int:
    from .optimal import optimal, optimal_pieces

    mdp, _ = load(args)
    over = args.over
    if over == "gamma" and not mdp.discount.free_symbols:
        # --over gamma on a model with a numeric discount: vary the discount instead
        mdp = mdp.replace(discount=sympy.Symbol("gamma"))
    if over is None and not isinstance(mdp.discount, sympy.Symbol):
        if args.range:
            raise ModelError("--range needs a variable: a symbolic discount or --over",
                             place="--range")
        with _Progress():
            best = optimal(mdp)
        return _print_optimal(mdp, best, args)
    low, high = _range(args.range)
    with _Progress():
        pieces = optimal_pieces(mdp, over=over, low=low, high=high)
    return _print_pieces(mdp, pieces, args)


def _print_optimal(mdp, best, args) -> int:
    if args.json:
        out = {"model": mdp.name, "discount": str(mdp.discount),
               "v_star": _strings(best.v_star),
               "q_star": {s: {a: best.q_star.text((s, a)) for a in mdp.actions(s)}
                          for s in mdp.nonterminal},
               "policy": _actions(best.policy)}
        print(json.dumps(out, indent=2))
        return 0
    print(f"{mdp.name or args.model}: the optimum at discount {mdp.discount} "
          f"({best.iterations} exact policy iterations, certificate "
          f"{'holds' if best.certificate().holds else 'FAILS'})")
    print()
    print(_table([[s, str(best.v_star[s]), _decimal(best.v_star[s]),
                   ", ".join(best.policy.get(s, ()))] for s in mdp.states],
                 ["state", "v* (exact)", "decimal", "optimal actions"]))
    print()
    print(_table([[s, a, str(best.q_star[s, a]), _decimal(best.q_star[s, a])]
                  for s, a in mdp.state_action_pairs],
                 ["state", "action", "q* (exact)", "decimal"]))
    return 0


def _print_pieces(mdp, pieces, args) -> int:
    x = pieces.variable
    if args.json:
        out = {"model": mdp.name, "discount": str(mdp.discount), "variable": str(x),
               "pieces": [{"from": str(p.start), "to": str(p.end),
                           "from_decimal": p.start_decimal, "to_decimal": p.end_decimal,
                           "policy": _actions(p.policy),
                           "tie": None if p.tie is None else _actions(p.tie),
                           "verified_at": str(p.point),
                           "v_star": _strings(p.v_star),
                           "q_star": {s: {a: p.q_star.text((s, a)) for a in mdp.actions(s)}
                                      for s in mdp.nonterminal}}
                          for p in pieces],
               "blackwell": None if pieces.blackwell is None else _actions(pieces.blackwell)}
        print(json.dumps(out, indent=2))
        return 0
    print(f"{mdp.name or args.model}: the optimum for {x} in [{pieces.low}, {pieces.high}): "
          f"{len(pieces)} piece{'s' if len(pieces) != 1 else ''}")
    small = len(mdp.nonterminal) <= SMALL_MODEL
    for i, p in enumerate(pieces):
        print()
        print(f"piece {i + 1}: {p.start} <= {x} < {p.end}   "
              f"(~ {p.start_decimal} to {p.end_decimal}; certified at {x} = {p.point})")
        tie = [] if p.tie is None else [f"tie at {x} = {p.end_decimal}"]
        rows = [[s, ", ".join(p.policy[s]), *([", ".join(p.tie[s])] if tie else []),
                 str(p.v_star.factored(s)) if small else p.v_star.text(s)]
                for s in mdp.nonterminal]
        print(_table(rows, ["state", "optimal actions", *tie, f"v*({x})"]))
    if pieces.blackwell is not None:
        print()
        print("Blackwell-optimal (optimal for every discount close to 1): "
              + "; ".join(f"{s}: {', '.join(a)}" for s, a in pieces.blackwell.items()))
    return 0


# -- the parser ----------------------------------------------------------------------------------
def _add_model_arguments(p: argparse.ArgumentParser, *, at: bool = True) -> None:
    p.add_argument("model", help="model file (.yaml, .yml, .json or .toml)")
    p.add_argument("--policy", metavar="FILE",
                   help="a policy file, instead of the model's own policy")
    if at:
        p.add_argument("--at", metavar="NAME=VALUE", action="append",
                       help="substitute an exact value first (repeatable), e.g. gamma=9/10")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symbellman",
        description="Derive, solve and typeset Bellman equations exactly.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("solve", help="v_pi and q_pi of the model's policy, exactly",
                       description="Print v_pi and q_pi of the model's policy as exact "
                                   "values (numeric discount) or closed forms in it.")
    _add_model_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object (see the spec)")
    p.set_defaults(run=cmd_solve)

    p = sub.add_parser("equations", help="the Bellman expectation equations",
                       description="Print the Bellman expectation equations of v_pi and "
                                   "q_pi, the half-steps joining them and the matrix form.")
    _add_model_arguments(p)
    p.add_argument("--latex", action="store_true", help="print LaTeX instead of text")
    _add_notation_arguments(p)
    p.set_defaults(run=cmd_equations)

    p = sub.add_parser("latex", help="LaTeX of the equations and solutions",
                       description="Print the model's Bellman equations and their solution "
                                   "as LaTeX (align* blocks that need amsmath).")
    _add_model_arguments(p)
    p.add_argument("--what", metavar="LIST",
                   help="comma-separated parts: v,q,halfsteps,matrix,solution,optimal "
                        "(default: all)")
    p.add_argument("--standalone", action="store_true",
                   help="a complete document (article with amsmath) instead of a fragment")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    _add_notation_arguments(p)
    p.set_defaults(run=cmd_latex)

    p = sub.add_parser("handout", help="a teaching handout (PDF, .tex or Markdown)",
                       description="Write a handout: the model, its state diagram, the "
                                   "equations, the exact solution, a plot, the optimal "
                                   "policy and worked steps. PDF needs pdflatex and dot.")
    _add_model_arguments(p)
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="the handout: FILE.pdf, FILE.tex or FILE.md")
    p.add_argument("--gamma", metavar="LIST",
                   help="discounts for the table of values, e.g. 0,0.9,1")
    p.add_argument("--exercise", action="store_true",
                   help="leave the answers blank and write the key to FILE-key.EXT")
    _add_notation_arguments(p)
    p.set_defaults(run=cmd_handout)

    p = sub.add_parser("optimal", help="v*, q* and the optimal actions, exactly",
                       description="Solve the Bellman optimality equations exactly: v*, q* "
                                   "and every optimal action at a numeric discount; for a "
                                   "symbolic discount (or --over SYMBOL) the pieces of the "
                                   "range with their optimal policies and exact breakpoints.")
    p.add_argument("model", help="model file (.yaml, .yml, .json or .toml)")
    p.add_argument("--at", metavar="NAME=VALUE", action="append",
                   help="substitute an exact value first (repeatable), e.g. gamma=9/10")
    p.add_argument("--over", metavar="SYMBOL",
                   help="the variable of the pieces: gamma (the default when the discount is "
                        "a symbol) or a parameter, with the others given by --at")
    p.add_argument("--range", metavar="LOW,HIGH",
                   help="the range of the variable (default 0,1; write --range=-5,5 "
                        "when LOW is negative)")
    p.add_argument("--json", action="store_true", help="print one JSON object (see the spec)")
    p.set_defaults(run=cmd_optimal)
    _add_run_limits(parser, sub)
    return parser


def _add_run_limits(parser: argparse.ArgumentParser, sub) -> None:
    """--timeout and --max-memory, before or after the command's name."""
    for i, p in enumerate([parser, *sub.choices.values()]):
        default = None if i == 0 else argparse.SUPPRESS  # a command's own copy wins if given
        p.add_argument("--timeout", metavar="SECONDS", type=_positive(float), default=default,
                       help="stop with an error after SECONDS (default: "
                            f"${ENVIRONMENT['timeout']}, else no limit)")
        p.add_argument("--max-memory", metavar="MB", type=_positive(int), default=default,
                       help=f"memory ceiling of the run (default: "
                            f"${ENVIRONMENT['memory_mb']}, else {Limits().memory_mb})")


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
    args = parser.parse_args(argv)
    digits = _digit_limit()
    stdout = sys.stdout
    sys.stdout = _SafeStream(stdout)
    try:
        limits = current_limits()
        memory = args.max_memory if args.max_memory is not None else limits.memory_mb
        timeout = args.timeout if args.timeout is not None else limits.timeout
        with bounded_run(timeout=timeout, memory_mb=memory):
            return args.run(args)
    except SymbellmanError as exc:
        message = str(exc)
        if isinstance(exc, SolveError) and getattr(args, "model", None):
            message = f"{args.model}: {message}"  # e.g. γ = 1 on a policy that never ends
        _error(message)
        return 2
    except MemoryError:
        _error(out_of_memory(memory))
        return 2
    except KeyboardInterrupt:
        print("symbellman: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        sys.stdout = stdout
        _set_digit_limit(digits)


def _error(message: str) -> None:
    # one line, whatever a file name or a state name holds
    print(f"symbellman: error: {safe_text(message)}", file=sys.stderr)


class _SafeStream:
    """Standard output that shows control characters in what it prints as escapes.

    A state named ``"\\x1b[2J"`` must not clear the terminal, and a lone surrogate
    (which UTF-8 cannot encode) must not crash the printing of the results.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(safe_text(text, lines=True))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _digit_limit() -> int | None:
    get = getattr(sys, "get_int_max_str_digits", None)  # Python >= 3.11 (and patched 3.10)
    return get() if get else None


def _set_digit_limit(digits: int | None) -> None:
    if digits is not None:
        sys.set_int_max_str_digits(digits)


def _print_all_digits() -> None:
    """Let symbellman's own exact integers print in full, past Python's 4,300 digits.

    Python's limit guards text-to-int conversion of untrusted input; a model's text is
    read before this is called (and bounded by the limits), so only symbellman's own
    exact results are converted while it is lifted; :func:`main` restores it.
    """
    _set_digit_limit(0 if _digit_limit() is not None else None)


if __name__ == "__main__":  # python -m symbellman.cli > docs/cli.md
    sys.stdout.write(reference())
