"""The arguments the commands share: the model and its policy, ``--at``, notation, lists."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Sequence

from ..core.errors import ModelError
from ..core.i18n import adopt

if TYPE_CHECKING:
    import sympy


def parse_assignments(items: Sequence[str] | None) -> dict[str, sympy.Expr]:
    """``["gamma=9/10", "alpha=0.5"]`` -> ``{"gamma": 9/10, "alpha": 1/2}``, exactly.

    >>> parse_assignments(["gamma=0.9"])
    {'gamma': 9/10}
    """
    from ..core.expressions import parse_expression  # SymPy: not needed to build the parser

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
    from ..io import load_model, load_policy
    from ..model.policy import with_values
    from .output import print_all_digits

    mdp, policy = load_model(args.model)
    adopt(getattr(mdp.criteria, "lang", None))  # `lang:` speaks for the terminal too
    if getattr(args, "policy", None):
        policy = load_policy(args.policy, mdp)
    # What was read is bounded now (file size, digits, degree): from here on the numbers
    # are symbellman's own exact values, printed in full however long (main() restores).
    print_all_digits()
    return with_values(mdp, policy, parse_assignments(getattr(args, "at", None)))


def load_study(args):
    """The :class:`~symbellman.study.Study` of the model and policy :func:`load` reads:
    what every command computes from, once."""
    from ..study import Study

    return Study(*load(args))


def add_command(sub, name: str, run, summary: str, description: str
                ) -> argparse.ArgumentParser:
    """A subcommand ``name`` that runs ``run(args)``; ``summary`` is its line in ``--help``."""
    p = sub.add_parser(name, help=summary, description=description)
    p.set_defaults(run=run)
    return p


def add_flags(p, flags: dict[str, str]) -> None:
    """On/off options, ``{"--json": help}``, in the order given."""
    for flag, text in flags.items():
        p.add_argument(flag, action="store_true", help=text)


def add_options(p, options: dict[str, tuple[str, str]]) -> None:
    """Options that take text, ``{"--gamma": (metavar, help)}``, in the order given."""
    for option, (metavar, text) in options.items():
        p.add_argument(option, metavar=metavar, help=text)


def add_jobs_argument(p, metavar: str, text: str, *, kind=int) -> None:
    """``--jobs``: how many processes share the work (default 1); ``kind`` reads the number."""
    p.add_argument("--jobs", metavar=metavar, type=kind, default=1, help=text)


def add_model_arguments(p: argparse.ArgumentParser, *, policy: bool = True,
                        many: bool = False) -> None:
    """The model file(s), ``--policy FILE`` (unless ``policy`` is False) and ``--at``."""
    if many:
        p.add_argument("model", nargs="+", help="model files (.yaml, .yml, .json or .toml); "
                                                "with several, --json prints one line each, "
                                                "in order, a failed model's line holding "
                                                "its error (exit status 2 if any failed)")
    else:
        p.add_argument("model", help="model file (.yaml, .yml, .json or .toml)")
    if policy:
        p.add_argument("--policy", metavar="FILE",
                       help="a policy file, instead of the model's own policy")
    p.add_argument("--at", metavar="NAME=VALUE", action="append",
                   help="substitute an exact value first (repeatable), e.g. gamma=9/10")


def add_value_arguments(p: argparse.ArgumentParser) -> None:
    """--digits, --exact and --decimal: how a table of numeric values shows them."""
    p.add_argument("--digits", metavar="N", type=_at_least_one,
                   help="significant digits of the decimal column (default 7)")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--exact", action="store_true",
                       help="show only the exact values (no decimal column)")
    shown.add_argument("--decimal", action="store_true",
                       help="show only the decimals (for values with many digits)")


def add_notation_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--style", choices=("sutton-barto", "silver"), default="sutton-barto",
                   help="Sutton & Barto's r(s, a, s') (default) or David Silver's R^a_s")
    p.add_argument("--states", choices=("name", "index"), default="name",
                   help="states as upright names (default) or as s_1, s_2, ...")
    p.add_argument("--terminals", choices=("auto", "symbol", "zero", "omit"),
                   default="auto", help="how terminal successors show (default: auto)")


def notation_from(args):
    from ..equations.discounted import Notation

    return Notation(style=args.style, states=args.states, terminals=args.terminals)


def comma_list(text: str | None) -> list[str]:
    """``"a, b,c"`` -> ``["a", "b", "c"]`` (empty for None)."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def gammas(text: str | None) -> list | None:
    if not text:
        return None
    from ..core.expressions import parse_expression

    values = []
    for item in text.split(","):
        value = parse_expression(item.strip(), place="--gamma")
        if value.free_symbols or not (0 <= value <= 1):
            raise ModelError(f"--gamma expects numbers between 0 and 1, got {item.strip()!r}",
                             place="--gamma", hint="for example --gamma 0,0.9,1")
        values.append(value)
    return values


def _at_least_one(text: str) -> int:
    from ..core.limits import MAX_SHOWN_DIGITS

    number = whole_number(text)
    if number < 1:
        raise argparse.ArgumentTypeError("expected at least 1 digit")
    if number > MAX_SHOWN_DIGITS:
        raise argparse.ArgumentTypeError(
            f"at most {MAX_SHOWN_DIGITS} digits, not {number} (the exact column has every "
            "digit: --exact shows it alone)")
    return number


def whole_number(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)
