"""Worksheet functions for 绩效自评 — pure Python, no Excel, no file I/O.

``FUNCTIONS`` maps every Chinese name and English alias to its callable;
``REGISTRY`` holds the declarations (arguments, Chinese docs, category 绩效评价).
"""

from .errors import InputError
from .numbers import excel_round, to_decimal
from .profile import Profile, default_profile, list_profiles, load_profile
from .registry import BY_NAME, CATEGORY, FUNCTIONS, REGISTRY, Arg, FunctionSpec, spec

__all__ = [
    "Arg", "BY_NAME", "CATEGORY", "FUNCTIONS", "FunctionSpec", "InputError", "Profile", "REGISTRY",
    "default_profile", "excel_round", "list_profiles", "load_profile", "spec", "to_decimal",
]
