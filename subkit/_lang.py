"""Language tags: BCP 47 (RFC 5646) checks for the options that write one into a file."""

from __future__ import annotations

__all__ = ["check_language_tag"]


def check_language_tag(tag: str, *, name: str = "language") -> str:
    """``tag`` when it is a valid BCP 47 tag (``en``, ``pt-BR``, ``zh-Hant-TW``, ``es-419``).

    Validity is checked against the IANA subtag registry (through ``langcodes``):
    a well-formed tag whose language subtag does not exist (``xx``) is refused too.

    Raises:
        ValueError: not a valid tag; the message names ``name`` and suggests a fix where one is obvious.

    >>> check_language_tag("pt-BR")
    'pt-BR'
    """
    import langcodes

    text = tag.strip()
    if "_" in text and langcodes.tag_is_valid(text.replace("_", "-")):
        raise ValueError(f"{name}: {tag!r} is a locale, not a BCP 47 tag: write {text.replace('_', '-')!r}")
    if not text or any(c.isspace() for c in text) or not langcodes.tag_is_valid(text):
        raise ValueError(f"{name}: {tag!r} is not a BCP 47 language tag (e.g. en, pt-BR, zh-Hant, es-419)")
    return text


def writer_language(tag: str | None, format: str) -> str | None:
    """The ``language`` writer option of ``format``, checked as a BCP 47 tag (``None`` passes).

    Raises:
        ConfigError: not a valid tag (``en_US`` is told to be ``en-US``).
    """
    if tag is None:
        return None
    from subkit.errors import ConfigError

    try:
        return check_language_tag(tag, name=f"{format} writer option language")
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
