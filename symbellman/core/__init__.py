"""The bottom layer: what every other layer uses and that imports nothing of the package
above it: errors, limits, the safe expression parser, names made safe for each output,
symbols, state-keyed tables and ranges, and the language of the words (i18n).
"""
