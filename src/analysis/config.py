"""Rules as data: the seed defaults in ``defaults.toml`` merged with ``<data>/config.toml``.

Why: weights, points, pay base and thresholds change by management decision, not by release.
A manager edits a TOML file; code only ever reads the merged result.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.errors import ConfigError, toml_error
from analysis.paths import PACKAGE_DIR

DEFAULTS_FILE = PACKAGE_DIR / "defaults.toml"
CONFIG_NAME = "config.toml"


def _merge(base: dict[str, Any], override: Mapping[str, Any], *, extend_lists: bool) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value, extend_lists=extend_lists)
        elif extend_lists and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + [v for v in value if v not in out[key]]
        else:
            out[key] = copy.deepcopy(value)
    return out


#: Sections whose lists a data folder's config.toml extends instead of replacing.
_EXTENDED = ("aliases", "roles", "call_aliases", "complaint_aliases")


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge two rule dicts; ``override`` wins. Alias and role lists are extended, not replaced."""
    merged = _merge(
        dict(base),
        {k: v for k, v in override.items() if k not in _EXTENDED},
        extend_lists=False,
    )
    for section in _EXTENDED:
        if section in override:
            merged[section] = _merge(merged.get(section, {}), override[section], extend_lists=True)
    return merged


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict; a :class:`ConfigError` naming the file and line if it does not parse."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(path, exc) from None


def load_defaults() -> dict[str, Any]:
    """The seed rules shipped with the package."""
    return read_toml(DEFAULTS_FILE)


def load_config(
    data_dir: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Defaults, then ``<data_dir>/config.toml`` if present, then ``overrides`` (for tests)."""
    cfg = load_defaults()
    if data_dir is not None:
        user = Path(data_dir) / CONFIG_NAME
        if user.is_file():
            own = read_toml(user)
            cfg = merge(cfg, own)
            cfg["user_aliases"] = copy.deepcopy(own.get("aliases", {}))
            for section in ("call_aliases", "complaint_aliases"):
                cfg[f"user_{section}"] = copy.deepcopy(own.get(section, {}))
    if overrides:
        cfg = merge(cfg, overrides)
        if "aliases" in overrides:
            cfg["user_aliases"] = {**cfg.get("user_aliases", {}), **overrides["aliases"]}
        for section in ("call_aliases", "complaint_aliases"):
            if section in overrides:
                own = {**cfg.get(f"user_{section}", {}), **overrides[section]}
                cfg[f"user_{section}"] = own
    return cfg


def scorecard_rules(cfg: Mapping[str, Any], period: str) -> dict[str, Any]:
    """The scorecard and pay rules in force for ``period`` ("YYYY-MM").

    Each ``[[scorecard.changes]]`` entry with ``from`` ≤ period is applied in order, so a rule
    change in July scores July onwards and leaves the months before it as they were.
    """
    sc = cfg.get("scorecard", {})
    rules: dict[str, Any] = {
        "presales": copy.deepcopy(sc.get("presales", {})),
        "aftersales": copy.deepcopy(sc.get("aftersales", {})),
        "pay": copy.deepcopy(cfg.get("pay", {})),
    }
    changes = sorted(sc.get("changes", []), key=lambda c: str(c.get("from", "")))
    for change in changes:
        start = str(change.get("from", ""))
        if start and start <= period:
            body = {k: v for k, v in change.items() if k != "from"}
            rules = _merge(rules, body, extend_lists=False)
    return rules


__all__ = ["ConfigError", "load_config", "load_defaults", "merge", "read_toml", "scorecard_rules"]
