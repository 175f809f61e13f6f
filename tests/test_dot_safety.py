"""Hostile names in the Graphviz state diagram (issue 18): a name is a quoted DOT string,
so it can neither end its label nor add a node, an edge or an attribute of its own."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape

import pytest

from symbellman import MDP
from symbellman.render.diagram import state_diagram

NAMES = ['A"; evil [shape=box]; "', "B\\", "C\n}\ndigraph evil {", "<b>D</b>", "E\\\"];x->y;//"]


def hostile_mdp() -> MDP:
    a, b, c, d, e = NAMES
    return MDP([a, b, c, d, e, "End"],
               {a: {b: [(b, "1/2", 1), (c, "1/2", 0)], d: [(d, 1, 2)]},
                b: {e: [("End", 1, 3)]},
                c: {a: [("End", 1, 0)]}, d: {c: [(e, 1, 1)]}, e: {"go": [("End", 1, 1)]}},
               actions={a: [b, d], b: [e], c: [a], d: [c], e: ["go"]}, terminal=["End"],
               discount="9/10", name='M"} digraph x {')


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")
@pytest.mark.parametrize("typeset", [False, True])
def test_dot_reads_exactly_the_models_nodes_and_edges(typeset):
    mdp = hostile_mdp()
    run = subprocess.run(["dot", "-Tjson"], input=state_diagram(mdp, typeset=typeset),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    graph = json.loads(run.stdout)
    nodes = [o["name"] for o in graph.get("objects", [])]
    # one node per state, and one small dot per action with several outcomes (A's first)
    assert sorted(nodes) == sorted([f"s{i}" for i in range(len(mdp.states))] + ["a0_0"])
    outcomes = sum(len(mdp.outcomes(s, a)) for s, a in mdp.state_action_pairs)
    assert len(graph.get("edges", [])) == outcomes + 1  # + the edge into the action's dot
    # each state's label prints its name as spelt (a newline shown as an escape)
    svg = subprocess.run(["dot", "-Tsvg"], input=state_diagram(mdp, typeset=typeset),
                         capture_output=True, text=True, timeout=60).stdout
    texts = [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    for name in (NAMES[0], NAMES[1], NAMES[3], NAMES[4], "C\\n}\\ndigraph evil {"):
        assert name in texts, (name, texts)
