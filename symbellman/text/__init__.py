"""How a value is written: exact numbers as decimals and display text, the canonical
printed form of a closed form, and the line-breaking typesetter. Above core, below
everything that has a model.
"""
