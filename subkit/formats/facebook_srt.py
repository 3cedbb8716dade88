"""Facebook SubRip: an ordinary SRT body in a file named ``<name>.<ll_CC>.srt``.

Facebook takes a caption file's language from its name: ``video.en_US.srt``,
``clip.cs_CZ.srt``. The locale is a lowercase ISO 639-1 language, an
underscore and an uppercase ISO 3166-1 country. Reading and writing are
SRT's (:mod:`subkit.formats.srt`); what this module adds is the ``language``
write option, validated, and :func:`output_path`, which ``subkit convert``
uses to name its output.

The locale comes from the ``language`` option, else from the document's
language when that is a BCP 47 tag with a region (``en-US`` becomes
``en_US``).

>>> normalize_locale("en-us"), locale_of_path("movie.cs_CZ.srt")
('en_US', 'cs_CZ')
>>> output_path("out/movie.srt", "en_US")
'out/movie.en_US.srt'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import PurePath

from subkit.formats import srt
from subkit.model import Document, LossReport

__all__ = [
    "FEATURES",
    "LOWERING",
    "NAME",
    "ReadOptions",
    "WriteOptions",
    "locale_of_path",
    "normalize_locale",
    "output_path",
    "read",
    "sniff",
    "write",
]

NAME = "facebook_srt"

#: What the writer can express: SRT's features.
FEATURES = srt.FEATURES
#: How documents are lowered: SRT's way (its writer runs the stage).
LOWERING = srt.LOWERING

_LOCALE = re.compile(r"([A-Za-z]{2})[-_]([A-Za-z]{2})")
_IN_NAME = re.compile(r"\.([a-z]{2}_[A-Z]{2})\.srt$")


def normalize_locale(value: str) -> str:
    """``ll_CC`` from ``ll_CC``, ``ll-CC`` or any case of them.

    Raises:
        ValueError: ``value`` is not a language-country pair.
    """
    match = _LOCALE.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"not a Facebook locale (ll_CC, e.g. en_US): {value!r}")
    return f"{match.group(1).lower()}_{match.group(2).upper()}"


def locale_of_path(path: str) -> str | None:
    """The locale in a file name such as ``movie.en_US.srt``, or ``None``."""
    match = _IN_NAME.search(os.path.basename(path))
    return match.group(1) if match else None


def output_path(path: str, locale: str) -> str:
    """``path`` with ``.<locale>`` before ``.srt`` (added when missing, replaced when different).

    A name ending in ``.srt`` (or in ``.facebook_srt``, the name ``--out-dir``
    makes for a format without an extension of its own) loses that ending first.

    Raises:
        ValueError: ``locale`` is not a language-country pair.
    """
    locale = normalize_locale(locale)
    folder, name = os.path.split(path)
    for ending in (".srt", f".{NAME}"):
        if name.lower().endswith(ending):
            name = name[: -len(ending)]
            break
    found = re.search(r"\.([a-z]{2}_[A-Z]{2})$", name)
    if found:
        name = name[: found.start()]
    return str(PurePath(folder) / f"{name}.{locale}.srt")


def document_locale(doc: Document, option: str | None) -> str | None:
    """The locale to name the file with: the option, else the document's language when it has a region."""
    if option is not None:
        return normalize_locale(option)
    if doc.language:
        try:
            return normalize_locale(doc.language)
        except ValueError:
            return None
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(srt.ReadOptions):
    """Facebook SRT reader options (SRT's)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(srt.WriteOptions):
    """Facebook SRT writer options.

    Attributes:
        language: the Facebook locale (``en_US``; ``en-US`` is accepted) the
            file is named with; checked here, used by ``subkit convert``.
    """

    language: str | None = None

    def __post_init__(self) -> None:
        if self.language is not None:
            object.__setattr__(self, "language", normalize_locale(self.language))


def sniff(head: str) -> bool:
    """Never: the body is plain SRT (the locale lives in the file name), so SRT claims it."""
    return False


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse the SRT body (see :func:`subkit.formats.srt.read`).

    Raises:
        ParseError: as the SRT reader.
    """
    doc = srt.read(data, options=options)
    return doc.replace(source_format=NAME)


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Write the SRT body (see :func:`subkit.formats.srt.write`).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped.
    """
    return srt.write(doc, options=options, report=report)
