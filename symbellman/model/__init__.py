"""Model and files in: the MDP and its outcomes, policies, the induced chain (P_pi, r_pi),
criteria, a grid's layout, the shipped examples and exercise variants. Above core, text
and linalg; io/ (model files) is the same layer.
"""
