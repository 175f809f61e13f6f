"""The Bellman equations: one Family record per Bellman family, the per-state and matrix
equations in textbook order (discounted, finite horizon, average reward), their layout
and elimination. Above the model.
"""
