"""Reader and writer options from text: ``KEY=VALUE`` pairs (``-r``/``-w`` on the command line, batch manifests).

Every format module declares its options as a dataclass (``ReadOptions``,
``WriteOptions``); :func:`format_options` turns ``KEY=VALUE`` strings into values of the
declared field types, so a new option needs no CLI change. ``subkit formats
--verbose`` lists them.

>>> from subkit import formats
>>> format_options(formats.get("lrc"), "write", ["enhanced=yes", "precision=3"])
{'enhanced': True, 'precision': 3}
>>> format_options(formats.get("ass"), "write", ["canvas=1920x1080"])
{'canvas': (1920, 1080)}
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable
from fractions import Fraction
from typing import Any, Literal

from subkit.errors import ConfigError
from subkit.formats._registry import FormatSpec

__all__ = ["convert_value", "describe_type", "format_options", "option_fields", "takes_fps"]

#: Options every reader or writer has, set by their own CLI flags.
_COMMON = frozenset({"strict", "source"})
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_NONE = frozenset({"none", "null", ""})

Kind = Literal["read", "write"]


def option_fields(spec: FormatSpec, kind: Kind) -> dict[str, Any]:
    """The format-specific options of ``spec``'s reader or writer: name -> type."""
    cls = spec.load().ReadOptions if kind == "read" else spec.load().WriteOptions
    hints = typing.get_type_hints(cls, include_extras=False)
    return {field.name: hints[field.name] for field in dataclasses.fields(cls) if field.name not in _COMMON}


def _members(annotation: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return typing.get_args(annotation)
    return (annotation,)


def _convert_one(text: str, annotation: Any) -> Any:
    """``text`` as a value of ``annotation`` (a single type, not a union); ValueError if it is not one."""
    lowered = text.strip().lower()
    if annotation is type(None):
        if lowered in _NONE:
            return None
        raise ValueError(text)
    if annotation is bool:
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(text)
    if annotation is int:
        return int(text)
    if annotation is float:
        return float(text)
    if annotation is Fraction:
        return Fraction(text.strip())
    if annotation is str:
        return text
    origin = typing.get_origin(annotation)
    if origin is Literal:
        for choice in typing.get_args(annotation):
            if str(choice) == text:
                return choice
        raise ValueError(text)
    if origin is tuple:
        parts = [part for part in text.replace("x", ",").replace("X", ",").split(",")]
        args = typing.get_args(annotation)
        if len(parts) != len(args):
            raise ValueError(text)
        return tuple(_convert_one(part.strip(), arg) for part, arg in zip(parts, args, strict=True))
    raise ValueError(text)


def describe_type(annotation: Any) -> str:
    """A type as the CLI help shows it: ``bool``, ``int | none``, ``'s' | 'ms'``, ``WxH``."""
    names = []
    for member in _members(annotation):
        if typing.get_origin(member) is Literal:
            names.append(" | ".join(repr(choice) for choice in typing.get_args(member)))
        elif typing.get_origin(member) is tuple:
            names.append("WxH" if len(typing.get_args(member)) == 2 else "tuple")
        else:
            names.append(getattr(member, "__name__", str(member)).replace("NoneType", "none"))
    return " | ".join(names)


def convert_value(text: str, annotation: Any) -> Any:
    """``text`` as a value of the (possibly union) type ``annotation``.

    >>> convert_value("none", int | None) is None
    True
    >>> convert_value("29.97", Fraction | float | str | None)
    '29.97'

    Raises:
        ValueError: no member of the union accepts it.
    """
    members = _members(annotation)
    # None first, so "none" is not read as the string "none"; then str where the field takes one,
    # so the format parses the text itself (an fps of "29.97" means 30000/1001, not 2997/100).
    ordered = sorted(members, key=lambda member: (member is not type(None), member is not str))
    for member in ordered:
        try:
            return _convert_one(text, member)
        except (ValueError, ArithmeticError):
            continue
    raise ValueError(f"{text!r} is not {describe_type(annotation)}")


def format_options(spec: FormatSpec, kind: Kind, pairs: Iterable[str]) -> dict[str, Any]:
    """Parse ``KEY=VALUE`` strings into options of ``spec``'s reader or writer.

    Raises:
        ConfigError: not ``KEY=VALUE``, an option the format does not have
            (the message lists those it has), or a value of the wrong type.
    """
    fields = option_fields(spec, kind)
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise ConfigError(f"{kind} option {pair!r}: expected KEY=VALUE")
        if key not in fields:
            known = ", ".join(sorted(fields)) or "none"
            import difflib

            close = difflib.get_close_matches(key, list(fields), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            role = "reader" if kind == "read" else "writer"
            raise ConfigError(f"the {spec.name} {role} has no option {key!r} ({hint}its options: {known})")
        try:
            values[key] = convert_value(text, fields[key])
        except ValueError as exc:
            raise ConfigError(f"{spec.name} {kind} option {key}: {exc}") from None
    return values


def takes_fps(spec: FormatSpec, kind: Kind) -> bool:
    """Whether ``spec``'s reader or writer has an ``fps`` option (frame-based formats)."""
    return "fps" in option_fields(spec, kind)
