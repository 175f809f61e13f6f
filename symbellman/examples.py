"""Cited textbook problems, built in code.

Each function returns a fresh :class:`~symbellman.model.MDP`; its docstring names the
source and the reward convention. The YAML files in the project's ``examples/``
folder hold the same models.
"""

from __future__ import annotations

from .model import MDP

__all__ = ["student_mdp"]


def student_mdp(discount=1) -> MDP:
    """David Silver's Student MDP (RL course, Lecture 2, "Example: Student MDP").

    Rewards are on (s, a): studying costs 2, Facebook 1, the pub gives 1, passing
    (studying in Class3) gives 10. Sleep is terminal. The slides use γ = 1.

    >>> mdp = student_mdp()
    >>> mdp.actions("Class3")
    ('pub', 'study')
    """
    return MDP(
        ["Facebook", "Class1", "Class2", "Class3", "Sleep"],
        {
            "Facebook": {"facebook": {"to": "Facebook", "r": -1},
                         "quit": {"to": "Class1", "r": 0}},
            "Class1": {"facebook": {"to": "Facebook", "r": -1},
                       "study": {"to": "Class2", "r": -2}},
            "Class2": {"sleep": {"to": "Sleep", "r": 0},
                       "study": {"to": "Class3", "r": -2}},
            "Class3": {"study": {"to": "Sleep", "r": 10},
                       "pub": [{"to": "Class1", "p": "0.2", "r": 1},
                               {"to": "Class2", "p": "0.4", "r": 1},
                               {"to": "Class3", "p": "0.4", "r": 1}]},
        },
        actions={"Facebook": ["facebook", "quit"], "Class1": ["facebook", "study"],
                 "Class2": ["sleep", "study"], "Class3": ["pub", "study"]},
        terminal=["Sleep"], discount=discount, name="Student MDP",
    )
