"""QC profiles: which rules run, with which parameters. Built-in profiles are JSON files in ``profiles/``.

A profile file::

    {"name": "netflix-en", "title": "...", "document": "...", "version": "...",
     "language": "en", "fps": "23.976", "extends": "netflix",
     "rules": {"cps": {"max_cps": 20}, "numbers": {}, "ellipsis": null},
     "variants": {"children": {"rules": {"cps": {"max_cps": 17}}}}}

``rules`` switches rules on (``{}`` with their defaults) or off (``null``) on
top of the profile it ``extends``; a rule's ``severity`` may be set there too.
Each variant is a profile of its own, named ``<name>-<variant>``.

The flat keys of the first lint profiles (``max_cps``, ``max_cpl``,
``max_lines``, ``min_duration_ms``, ``max_duration_ms``, ``min_gap_ms``,
``overlaps``) are still read, as overrides of the rules they belong to.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from subkit.errors import OperationError
from subkit.qc._core import Severity, parse_span
from subkit.qc._rules import RULES
from subkit.timing import parse_fps

__all__ = ["Profile", "load_profile", "profile_names"]

_FOLDER = Path(__file__).parent / "profiles"
_SEVERITIES = ("error", "warning", "info")

#: The flat keys of the first lint profiles: each is ``(rule, parameter)``; ``None`` switches the rule off.
LEGACY_KEYS: dict[str, tuple[str, str]] = {
    "max_cps": ("cps", "max_cps"),
    "max_cpl": ("cpl", "max_cpl"),
    "max_lines": ("max-lines", "max_lines"),
    "min_duration_ms": ("min-duration", "min_duration"),
    "max_duration_ms": ("max-duration", "max_duration"),
    "min_gap_ms": ("min-gap", "min_gap"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """A named set of rules with their parameters.

    Attributes:
        name: the profile's name (``netflix-en-children``).
        title: a human title.
        document: the specification or guide it implements.
        version: which version or revision of it.
        language: the BCP 47 language the profile is for, if any.
        fps: the frame rate its frame-based rules assume when the file does not say.
        rules: the active rules, by id, each with every parameter (defaults filled in).
        severities: severities the profile sets instead of the rules' own.
    """

    name: str
    title: str = ""
    document: str = ""
    version: str = ""
    language: str | None = None
    fps: Fraction | None = None
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    severities: Mapping[str, Severity] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The profile as JSON (resolved: every active rule with all its parameters)."""
        return {
            "name": self.name, "title": self.title, "document": self.document, "version": self.version,
            "language": self.language, "fps": str(self.fps) if self.fps is not None else None,
            "rules": {rule: dict(params) for rule, params in self.rules.items()},
            "severities": dict(self.severities),
        }


@cache
def _builtin() -> dict[str, dict[str, Any]]:
    """Every built-in profile definition by name (variants expanded), unresolved."""
    found: dict[str, dict[str, Any]] = {}
    for file in sorted(_FOLDER.glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        variants = data.pop("variants", {})
        found[data["name"]] = data
        for suffix, variant in variants.items():
            found[f"{data['name']}-{suffix}"] = {**data, **variant, "name": f"{data['name']}-{suffix}",
                                                 "extends": data["name"], "rules": variant.get("rules", {})}
    return found


def profile_names() -> list[str]:
    """The names of the built-in profiles, sorted."""
    return sorted(_builtin())


def _parse_fps(value: Any, name: str) -> Fraction:
    try:
        return parse_fps(value)
    except (ValueError, TypeError) as exc:
        raise OperationError(f"profile {name!r}: fps: {exc}") from None


#: The keys a profile object may have.
PROFILE_KEYS = frozenset(("name", "title", "document", "version", "language", "fps", "extends", "rules", "variants",
                          "overlaps", *LEGACY_KEYS))


def _resolve(data: Mapping[str, Any], seen: tuple[str, ...] = ()) -> Profile:
    name = str(data.get("name", "custom"))
    unknown = sorted(set(data) - PROFILE_KEYS)
    if unknown:
        hint = _nearest(unknown[0], PROFILE_KEYS)
        raise OperationError(f"profile {name!r}: unknown key(s) {', '.join(unknown)}{hint} "
                             f"(known: {', '.join(sorted(PROFILE_KEYS))})")
    if name in seen:
        raise OperationError(f"profile {name!r} extends itself (through {' -> '.join(seen)})")
    base = _base_profile(data.get("extends"), name, seen)
    rules = {rule: dict(params) for rule, params in base.rules.items()}
    severities = dict(base.severities)
    _apply_rule_changes(data.get("rules", {}), name, rules, severities)
    _apply_legacy_keys(data, name, rules)
    for rule_id, params in rules.items():
        for key, value in params.items():
            _check_param(rule_id, key, value, name)
    fps = _parse_fps(data["fps"], name) if data.get("fps") is not None else base.fps
    _check_durations(rules, fps, name)
    return Profile(name=name, title=str(data.get("title", base.title)),
                   document=str(data.get("document", base.document)),
                   version=str(data.get("version", base.version)), language=data.get("language", base.language),
                   fps=fps, rules=rules, severities=severities)


def _base_profile(base_name: Any, name: str, seen: tuple[str, ...]) -> Profile:
    """The profile ``name`` extends (resolved), or an empty one."""
    if base_name is None:
        return Profile(name=name)
    definitions = _builtin()
    if base_name not in definitions:
        raise OperationError(
            f"profile {name!r} extends unknown profile {base_name!r} (known: {', '.join(profile_names())})")
    return _resolve(definitions[base_name], (*seen, name))


def _apply_rule_changes(changes: Any, name: str, rules: dict[str, dict[str, Any]],
                        severities: dict[str, Severity]) -> None:
    """Apply a profile's ``rules`` object: ``null`` drops a rule, an object sets parameters and ``severity``."""
    if not isinstance(changes, Mapping):
        raise OperationError(f"profile {name!r}: rules must be an object of rule ids")
    for rule_id, params in changes.items():
        rule = _known_rule(rule_id, name)
        if params is None:
            rules.pop(rule_id, None)
            continue
        if not isinstance(params, Mapping):
            raise OperationError(f"profile {name!r}: rule {rule_id!r} takes an object of parameters or null")
        merged = {**rule.params, **rules.get(rule_id, {})}
        for key, value in params.items():
            if key == "severity":
                if value not in _SEVERITIES:
                    raise OperationError(f"profile {name!r}: {rule_id}.severity must be one of {_SEVERITIES}")
                severities[rule_id] = value
                continue
            _check_param(rule_id, key, value, name)
            merged[key] = value
        rules[rule_id] = merged


def _apply_legacy_keys(data: Mapping[str, Any], name: str, rules: dict[str, dict[str, Any]]) -> None:
    """Apply the flat keys of older profiles (one rule parameter each) and ``overlaps``."""
    for key, (rule_id, param) in LEGACY_KEYS.items():
        if key in data:
            value = data[key]
            if value is None:
                rules.pop(rule_id, None)
            else:
                rules[rule_id] = {**RULES[rule_id].params, **rules.get(rule_id, {}), param: value}
    if "overlaps" in data:
        if not isinstance(data["overlaps"], bool):
            raise OperationError(f"profile {name!r}: overlaps must be true or false")
        if data["overlaps"]:
            rules.setdefault("overlap", {})
        else:
            rules.pop("overlap", None)


def _check_durations(rules: Mapping[str, Mapping[str, Any]], fps: Fraction | None, name: str) -> None:
    """Refuse a minimum duration above the maximum (frames counted at ``fps``, else 23.976)."""
    if "min-duration" in rules and "max-duration" in rules:
        rate = fps or Fraction(24000, 1001)
        low = parse_span(rules["min-duration"]["min_duration"]).ms(rate)
        high = parse_span(rules["max-duration"]["max_duration"]).ms(rate)
        if low > high:
            raise OperationError(f"profile {name!r}: the minimum duration ({low} ms) is above the maximum ({high} ms)")


def _known_rule(rule_id: str, profile: str) -> Any:
    rule = RULES.get(rule_id)
    if rule is None:
        hint = _nearest(rule_id, RULES)
        raise OperationError(f"profile {profile!r}: unknown rule {rule_id!r}{hint}")
    return rule


def _nearest(word: str, choices: Any) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


_SPANS = {"min_duration", "max_duration", "min_gap", "window", "in_offset", "out_offset"}


def _check_param(rule_id: str, key: str, value: Any, profile: str) -> None:
    rule = RULES[rule_id]
    if key not in rule.params:
        raise OperationError(f"profile {profile!r}: rule {rule_id!r} has no parameter {key!r}"
                             f"{_nearest(key, rule.params)} (it takes: {', '.join(rule.params) or 'none'})")
    default = rule.params[key]
    where = f"profile {profile!r}: {rule_id}.{key}"
    if key in _SPANS:
        parse_span(value, name=where)
    elif isinstance(default, bool):
        if not isinstance(value, bool):
            raise OperationError(f"{where} must be true or false, got {value!r}")
    elif isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise OperationError(f"{where} must be a number >= 0, got {value!r}")
    elif isinstance(default, list):
        if not isinstance(value, list):
            raise OperationError(f"{where} must be a list, got {value!r}")
    elif isinstance(default, str) and not isinstance(value, str):
        raise OperationError(f"{where} must be a string, got {value!r}")


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def load_profile(
    source: str | Path | Mapping[str, Any] | Profile | None = None,
    *,
    rules: str | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Profile:
    """A profile by built-in name, from a JSON file or a mapping, with a rule selection and overrides.

    Args:
        source: a built-in name (``netflix-en``), a JSON file, a mapping in the
            file's shape, or a :class:`Profile`; ``None`` is ``"default"``.
        rules: a selection over the profile's rules: ``all`` (every rule of the
            registry), a comma-separated list of ids (exactly those), ``+id``
            to add one and ``-id`` to drop one (``all,-numbers``).
        overrides: parameter values by name (``max_cps``) or as
            ``rule.param`` (``cps.max_cps``); values given as strings are read
            as JSON when they parse (``17``, ``true``) and kept as text otherwise.

    Raises:
        OperationError: an unknown profile, rule or parameter, or a bad value.

    >>> load_profile("netflix-en-children").rules["cps"]["max_cps"]
    17
    >>> sorted(load_profile("relaxed", rules="cps,cpl").rules)
    ['cpl', 'cps']
    """
    if source is None:
        source = "default"
    if isinstance(source, Profile):
        profile = source
    elif isinstance(source, Mapping):
        profile = _resolve({"extends": "default", **source} if "extends" not in source else dict(source))
    else:
        text = str(source)
        definitions = _builtin()
        if text in definitions:
            profile = _resolve(definitions[text])
        else:
            path = Path(source)
            if not path.is_file():
                raise OperationError(f"unknown lint profile {text!r}: not a built-in one{_nearest(text, definitions)}"
                                     f" nor a JSON file (built-in: {', '.join(profile_names())})")
            try:
                data = json.loads(path.read_text(encoding="utf-8-sig"))
            except OSError as exc:
                raise OperationError(f"{text}: cannot read the profile: {exc.strerror or exc}") from None
            except ValueError as exc:
                raise OperationError(f"{text}: not JSON: {exc}") from None
            if not isinstance(data, Mapping):
                raise OperationError(f"{text}: a profile must be a JSON object")
            profile = _resolve({"extends": "default", "name": path.stem, **data})
    if rules:
        profile = _select(profile, rules)
    if overrides:
        profile = _override(profile, overrides)
    return profile


def _select(profile: Profile, selection: str) -> Profile:
    chosen = dict(profile.rules)
    exact: dict[str, Any] | None = None
    for word in (w.strip() for w in selection.split(",")):
        if not word:
            continue
        if word == "all":
            for rule_id, rule in RULES.items():
                chosen.setdefault(rule_id, dict(rule.params))
            continue
        sign, rule_id = (word[0], word[1:]) if word[0] in "+-" else ("", word)
        rule = _known_rule(rule_id, profile.name)
        if sign == "-":
            chosen.pop(rule_id, None)
            if exact is not None:
                exact.pop(rule_id, None)
        elif sign == "+":
            chosen.setdefault(rule_id, dict(rule.params))
        else:
            exact = {} if exact is None else exact
            exact[rule_id] = chosen.get(rule_id, dict(rule.params))
    result = exact if exact is not None else chosen
    return Profile(name=profile.name, title=profile.title, document=profile.document, version=profile.version,
                   language=profile.language, fps=profile.fps, rules=result, severities=profile.severities)


def _override(profile: Profile, overrides: Mapping[str, Any]) -> Profile:
    rules = {rule: dict(params) for rule, params in profile.rules.items()}
    fps = profile.fps
    for key, raw in overrides.items():
        value = _parse_value(raw) if isinstance(raw, str) else raw
        if key == "fps":
            fps = _parse_fps(raw, profile.name)
            continue
        if "." in key:
            rule_id, param = key.split(".", 1)
            targets = [rule_id]
            _known_rule(rule_id, profile.name)
        else:
            param = key
            targets = [rule_id for rule_id in rules if param in RULES[rule_id].params]
            if not targets:
                owners = [rule_id for rule_id, rule in RULES.items() if param in rule.params]
                if owners:
                    targets = owners[:1]
                else:
                    every = {p for rule in RULES.values() for p in rule.params}
                    raise OperationError(f"no rule has a parameter {param!r}{_nearest(param, every)}")
        for rule_id in targets:
            if param not in RULES[rule_id].params:
                hint = _nearest(param, RULES[rule_id].params)
                raise OperationError(f"rule {rule_id!r} has no parameter {param!r}{hint}")
            if isinstance(RULES[rule_id].params[param], str) and not isinstance(value, str):
                value = str(raw)
            _check_param(rule_id, param, value, profile.name)
            rules[rule_id] = {**RULES[rule_id].params, **rules.get(rule_id, {}), param: value}
    return Profile(name=profile.name, title=profile.title, document=profile.document, version=profile.version,
                   language=profile.language, fps=fps, rules=rules, severities=profile.severities)
