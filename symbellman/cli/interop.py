"""The commands that trade models with other tools: ``import`` (gymnasium) and ``export``
(PRISM, NumPy arrays)."""

from __future__ import annotations

from ..core.errors import ModelError
from ..core.i18n import _
from ..progress import progress
from .arguments import add_command, add_model_arguments, add_options, load


def _keyword(text: str):
    """``is_slippery=false`` -> ``("is_slippery", False)``: booleans, integers, else text."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise ModelError(f"expected NAME=VALUE, got {text!r}", place="import",
                         hint="for example is_slippery=false or map_name=8x8")
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return name, lowered == "true"
    try:
        return name, int(value)
    except ValueError:
        pass
    try:
        return name, float(value)
    except ValueError:
        return name, value


def cmd_import(args) -> int:
    from pathlib import Path

    from ..io.files import check_output
    from ..io.gymnasium import import_gymnasium
    from ..io.writer import FORMATS, write_model

    check_output(args.output)
    if Path(args.output).suffix.lstrip(".").lower() not in FORMATS:
        raise ModelError(f"a model file is written as .yaml, .yml, .json or .toml, not "
                         f"{Path(args.output).name!r}", place="-o",
                         hint=f"write -o {Path(args.output).stem}.yaml")
    kind, sep, env_id = args.source.partition(":")
    if not sep or kind != "gymnasium" or not env_id:
        raise ModelError(f"cannot import {args.source!r}", place="import",
                         hint="write gymnasium:ENV_ID, e.g. gymnasium:FrozenLake-v1")
    keywords = dict(_keyword(k) for k in args.keywords)
    with progress("import"):
        mdp, layout = import_gymnasium(env_id, keywords, discount=args.discount)
        path = write_model(mdp, None, args.output, layout=layout)
    print(f"wrote {path} ({len(mdp.states)} states, {len(mdp.state_action_pairs)} "
          f"state-action pairs{', with a layout' if layout else ''})")
    return 0


def cmd_export(args) -> int:
    from ..io.files import Staged, check_output
    from ..io.prism import prism_properties, to_prism

    if args.output:  # both files, before any work
        model_path = check_output(args.output)
    if args.output and args.to != "arrays":
        props_path = check_output(model_path.with_suffix(".props"))
        if props_path == model_path:
            raise ModelError(f"{args.output}: the model and its properties would be the same "
                             "file", place="-o", hint="name the model FILE.pm")
    mdp, policy = load(args)
    if args.to == "arrays":
        return _export_arrays(mdp, args)
    text = to_prism(mdp, policy, what=args.what, gamma=args.gamma)
    properties = prism_properties(mdp, what=args.what)
    if not args.output:
        # the program alone is a valid model (`> model.pm`); the property follows as a comment
        comment = "".join(line + "\n" if line.startswith("//") else f"// {line}\n"
                          for line in properties.splitlines())
        print(text.rstrip("\n") + "\n\n// the property that asks for the values "
              "(write it to a .props file, or use -o):\n" + comment, end="")
        return 0
    with Staged() as stage:  # both written, or neither
        stage.path(model_path).write_text(text, encoding="utf-8")
        stage.path(props_path).write_text(properties, encoding="utf-8")
    print(_("wrote {path}").format(path=model_path))
    print(_("wrote {path}").format(path=props_path))
    return 0


def _export_arrays(mdp, args) -> int:
    from ..io.npz import write_npz

    if not args.output:
        raise ModelError("NumPy arrays are written to a file", place="export",
                         hint="add -o FILE.npz")
    path = write_npz(mdp, args.output, convention=args.convention)
    print(_("wrote {path}").format(path=path))
    return 0


def add_interop_commands(sub) -> None:
    p = add_command(sub, "import", cmd_import, "a model file from a gymnasium environment",
                    "Write a model file from a registered gymnasium environment with a "
                    "transition table P (FrozenLake, CliffWalking, Taxi), with a grid layout "
                    "where it has one.")
    p.add_argument("source", help="gymnasium:ENV_ID, e.g. gymnasium:FrozenLake-v1")
    p.add_argument("keywords", nargs="*", metavar="NAME=VALUE",
                   help="arguments for gymnasium.make, e.g. is_slippery=false map_name=8x8")
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="the model file: FILE.yaml, FILE.json or FILE.toml")
    add_options(p, {"--discount": ("VALUE", "the discount written to the file (default: the "
                                            "symbol gamma)")})

    p = add_command(sub, "export", cmd_export,
                    "the model for a model checker (PRISM language) or as NumPy arrays",
                    "Write the policy's chain (a dtmc) or the MDP in the PRISM language, with "
                    "discounting as a stop with probability 1 - gamma, and the property that "
                    "asks for the values (check it with Storm or PRISM); or, with --to arrays, "
                    "the model's P and R as a NumPy .npz file in pymdptoolbox's or QuantEcon's "
                    "layout, floats beside the exact values as text.")
    add_model_arguments(p)
    p.add_argument("--to", choices=("prism", "arrays"), default="prism",
                   help="the format: prism (default; read by PRISM and Storm) or arrays "
                        "(FILE.npz)")
    p.add_argument("--convention", choices=("mdptoolbox", "quantecon"), default="mdptoolbox",
                   help="the layout of --to arrays: P[a, s, t] and R[s, a] (mdptoolbox, the "
                        "default) or Q[s, a, t] and R[s, a] (quantecon)")
    p.add_argument("--what", choices=("chain", "mdp"), default="chain",
                   help="the policy's chain (default) or the MDP")
    p.add_argument("--gamma", choices=("constant", "parameter"),
                   help="gamma as a constant with the model's value, or an open parameter "
                        "(default: a constant when the discount is a number)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write FILE (e.g. model.pm) and FILE's .props beside it")
