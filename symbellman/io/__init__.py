"""Reading models: YAML, JSON and TOML model and policy files, gymnasium envs, NumPy arrays.

Everything a file holds is data: numbers stay the text the file wrote until the exact
expression parser reads them, and nothing in a file is ever run as code.
"""

from .arrays import from_arrays, from_gymnasium
from .model_files import load_model, load_policy, read_model

__all__ = ["load_model", "read_model", "load_policy", "from_gymnasium", "from_arrays"]
