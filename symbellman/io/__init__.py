"""Models in and out: YAML, JSON and TOML model and policy files, gymnasium envs, NumPy arrays.

Everything a file holds is data: numbers stay the text the file wrote until the exact
expression parser reads them, and nothing in a file is ever run as code.
"""

from .arrays import ModelArrays, from_arrays, to_arrays
from .gymnasium import from_gymnasium
from .model_files import load_model, load_policy, parse_model_text, read_model
from .writer import model_data, write_model

__all__ = ["load_model", "read_model", "load_policy", "parse_model_text", "from_gymnasium",
           "from_arrays", "to_arrays", "ModelArrays", "write_model", "model_data"]
