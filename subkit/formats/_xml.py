"""The one way subkit parses XML: a hardened lxml parser and its error translation.

Every XML format (the TTML family, SAMI where it is XML-like) reads its input
through :func:`parse_xml`, never through ``lxml`` directly, so that the same
defences hold everywhere:

* entity declarations are refused before lxml sees the text: no internal
  entity expansion (the "billion laughs" bomb) and no external entities
  (``<!ENTITY e SYSTEM "file:///...">``), whatever libxml2 would do with them;
* the parser never loads a DTD, never touches the network and never resolves
  entities (``resolve_entities=False``, ``no_network=True``, ``load_dtd=False``);
* ``huge_tree`` stays off, which keeps libxml2's own limits on text node size
  and on nesting (256 levels); :data:`MAX_DEPTH` is the documented limit and
  absurd nesting fails fast with a located :class:`~subkit.errors.ParseError`;
* ``str`` input is parsed as UTF-8 whatever its XML declaration says (the text
  was decoded already, by :mod:`subkit._io`).

lxml is imported inside the functions: ``import subkit`` must not load it.

>>> root = parse_xml("<tt><body/></tt>", format="ttml")
>>> root.tag
'tt'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from subkit.errors import ParseError

__all__ = ["MAX_ATTRIBUTES", "MAX_DEPTH", "etree", "limit_attributes", "parse_xml", "xml_parser"]

#: The most attributes one element may carry; lxml's ``attrib.items()`` costs time quadratic in
#: their number, and no subtitle format needs more than a few dozen.
MAX_ATTRIBUTES = 1000

#: The deepest element nesting accepted (libxml2's limit when ``huge_tree`` is off).
MAX_DEPTH = 256

# An entity declaration anywhere in the internal subset; XML names are case-sensitive,
# but a lower-case spelling is refused too (libxml2 in recover mode is forgiving).
_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_ENCODING_DECL = re.compile(rb"^(\s*<\?xml[^>]*?)\sencoding\s*=\s*(['\"])[^'\"]*\2", re.IGNORECASE)


def etree() -> Any:
    """The ``lxml.etree`` module, imported on first use.

    Raises:
        ParseError: lxml is not installed.
    """
    try:
        from lxml import etree as lxml_etree  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - lxml is a declared dependency
        raise ParseError("XML formats need lxml: pip install lxml", format="xml") from exc
    return lxml_etree


def xml_parser(*, recover: bool = False) -> Any:
    """A new hardened ``lxml.etree.XMLParser`` (parsers are not thread-safe: one per parse).

    Args:
        recover: let libxml2 repair malformed markup instead of stopping at the first error.
    """
    return etree().XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=recover,
        remove_blank_text=False,
        collect_ids=False,
        encoding="utf-8",
    )


def _to_bytes(data: str | bytes) -> bytes:
    if isinstance(data, str):
        raw = data.lstrip("\ufeff").encode("utf-8")
        # The text is already decoded: a declared encoding would only mislead the parser.
        return _ENCODING_DECL.sub(rb"\1", raw, count=1)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    return data


def parse_xml(
    data: str | bytes,
    *,
    format: str,
    source: str | None = None,
    recover: bool = False,
    on_recover: Any = None,
) -> Any:
    """Parse ``data`` with the hardened parser and return the root element.

    Args:
        data: the document (``str``, or UTF-8 ``bytes``).
        format: the format identifier for error messages.
        source: the file name for error messages.
        recover: when the markup is not well-formed, parse again in libxml2's
            recovery mode instead of failing (lenient readers).
        on_recover: called as ``on_recover(message, line)`` before recovering,
            so that the reader records a diagnostic (or raises in strict mode).

    Raises:
        ParseError: entity declarations, nesting deeper than :data:`MAX_DEPTH`,
            or markup that is not well-formed (and cannot be recovered); the
            error carries the line.
    """
    raw = _to_bytes(data)
    found = _ENTITY_DECL.search(raw)
    if found:
        line = raw.count(b"\n", 0, found.start()) + 1
        raise ParseError(
            "entity declarations are not accepted (entity expansion and external entities are refused)",
            format=format,
            source=source,
            line=line,
        )
    lxml_etree = etree()
    try:
        root = lxml_etree.fromstring(raw, xml_parser())
    except lxml_etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else 1
        message = str(exc.msg or exc).split(" (line", 1)[0]
        deep = "depth" in message.lower()
        if recover and not deep:
            if on_recover is not None:
                on_recover(f"malformed XML: {message}", line)
            try:
                root = lxml_etree.fromstring(raw, xml_parser(recover=True))
            except lxml_etree.XMLSyntaxError:
                root = None
            if root is not None:
                return root
        if deep:
            message = f"elements nested deeper than {MAX_DEPTH} levels"
        raise ParseError(f"not well-formed XML: {message}", format=format, source=source, line=line) from None
    except (ValueError, TypeError) as exc:  # lxml refuses some inputs outright (e.g. NUL bytes)
        raise ParseError(f"not well-formed XML: {exc}", format=format, source=source, line=1) from None
    if root is None:  # pragma: no cover - fromstring returns an element or raises
        raise ParseError("no XML root element", format=format, source=source, line=1)
    return root


def limit_attributes(root: Any, warn: Callable[[str, str, int | None], None]) -> None:
    """Clear the attributes of every element that has more than :data:`MAX_ATTRIBUTES`.

    lxml reads one element's attribute values in time quadratic in their count
    (200,000 attributes on one element: minutes), so such an element keeps
    none of them; ``warn(message, action, line)`` records it (and raises in
    strict mode). Counting and clearing stay linear.

    Raises:
        ParseError: when ``warn`` raises it (strict readers).
    """
    for el in root.iter():
        count = len(el.attrib)
        if count > MAX_ATTRIBUTES:
            warn(f"element with {count} attributes (more than {MAX_ATTRIBUTES})", "ignored its attributes",
                 el.sourceline or 1)
            el.attrib.clear()
