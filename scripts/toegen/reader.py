# SPDX-License-Identifier: Apache-2.0
"""Typed reading of TOML tables with errors collected, not raised: each names the file, the
entry (register, counter, param ...) and the problem. Shared by load.py and load_defs.py."""
from __future__ import annotations

import re
import tomllib

from .model import MapError


class Loader:
    """Reads tables of a TOML document, collecting errors as "<file>: <where>: <what>"."""

    def __init__(self, path: str):
        self.path = path
        self.errors: list[str] = []

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"{self.path}: {where}: {msg}")

    def keys(self, where: str, table: dict, required: tuple, optional: tuple) -> bool:
        ok = True
        for k in table:
            if k not in required and k not in optional:
                allowed = ", ".join(required + optional)
                self.err(where, f"unknown key '{k}' (allowed: {allowed})")
                ok = False
        for k in required:
            if k not in table:
                self.err(where, f"missing required key '{k}'")
                ok = False
        return ok

    def int_(self, where: str, table: dict, key: str, default=None, lo=None, hi=None):
        v = table.get(key, default)
        if v is None:
            return None
        if type(v) is not int:  # bool is an int subclass; refuse it too
            self.err(where, f"'{key}' must be an integer, got {v!r}")
            return None
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            self.err(where, f"'{key}' = {v} is out of range [{lo}, {hi}]")
            return None
        return v

    def str_(self, where: str, table: dict, key: str, default=None):
        v = table.get(key, default)
        if v is None:
            return None
        if not isinstance(v, str):
            self.err(where, f"'{key}' must be a string, got {v!r}")
            return None
        return v

    def list_(self, where: str, table: dict, key: str) -> list:
        v = table.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            self.err(where, f"'{key}' must be an array of tables")
            return []
        return v

    def name(self, where: str, table: dict, regex: re.Pattern, what: str):
        n = self.str_(where, table, "name")
        if n is not None and not regex.match(n):
            self.err(where, f"{what} name '{n}' must match {regex.pattern}")
        return n

    def bool_(self, where: str, table: dict, key: str, default: bool = False) -> bool:
        v = table.get(key, default)
        if not isinstance(v, bool):
            self.err(where, f"'{key}' must be true or false, got {v!r}")
            return default
        return v


def read_toml(path: str, display_name: str) -> dict:
    """The parsed document; MapError naming the file if it cannot be read or parsed."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as e:
        raise MapError([f"{display_name}: cannot read: {e.strerror}"]) from None
    except tomllib.TOMLDecodeError as e:
        raise MapError([f"{display_name}: TOML syntax error: {e}"]) from None
