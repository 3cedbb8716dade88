"""The format table: one :class:`FormatSpec` row per format, implementations imported lazily.

To add a format: write ``subkit/formats/<name>.py`` following the contract in
:mod:`subkit.formats._base`, add a row here, a fixtures folder
``fixtures/<name>/``, tests ``tests/formats/test_<name>.py`` (with a
round-trip property) and a page ``docs/formats/<name>.md``. The row's
``signature`` (see :class:`FormatSpec`) must hold wherever the new ``sniff``
says yes: detection asks only the formats whose signature the file has, so
that detecting a file imports only the modules that may read it.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from types import ModuleType

__all__ = ["FORMATS", "NEVER", "FormatSpec"]

#: The signature of a format that content never identifies (its extension or name does).
NEVER = "(?!)"


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """One registered format.

    Attributes:
        name: the identifier (registry key, module name, ``--from``/``--to`` value).
        title: a human name.
        module: dotted module path of the implementation.
        extensions: file extensions, lowercase with the dot, preferred first.
        aliases: other names accepted for it.
        binary: whether the reader takes bytes rather than text.
        can_read, can_write: which directions are implemented.
        signature: a regular expression (``bytes`` for binary formats) that
            the head of a file must contain (``re.search``) for the format's
            own ``sniff`` to be asked: a cheap necessary condition, so that
            detection imports only the modules of formats that may match.
            ``None``: always ask. A test checks on every fixture that ``sniff``
            never says yes where the signature says no.
    """

    name: str
    title: str
    module: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    binary: bool = False
    can_read: bool = True
    can_write: bool = True
    signature: str | bytes | None = None

    def load(self) -> ModuleType:
        """Import and return the implementation module."""
        return importlib.import_module(self.module)

    def may_match(self, head: str | bytes) -> bool:
        """Whether ``head`` has the format's signature (so that its ``sniff`` is worth asking)."""
        return self.signature is None or re.search(self.signature, head) is not None  # type: ignore[arg-type]


# Signatures shared by several rows (see FormatSpec.signature); each is a necessary condition of those
# formats' sniffers, checked over the fixtures by tests/test_detection_signatures.py.
# A time's last digit then an arrow, in a file that does not start with WEBVTT.
_SRT_TIMING = r"\A(?!\s*(?i:webvtt))[\s\S]*?\d[ \t]*(?:-+[ \t]*>|—+>|–+>|=+>|→)"
_SUBSTATION = r"\A[\ufeff\s]*\["  # the first line is a section header
_TT_ROOT = r"<(?:[A-Za-z_][\w.\-]*:)?tt[\s>/]"  # a tt root element
_ISO_BMFF = rb"\A[\s\S]{4}(?:ftyp|styp|moov|moof|sidx|free|emsg)"  # the first box of an MP4 file or segment
# Prose: something other than white space, and none of the marks of another format nor control characters.
_PROSE = r"\A(?=[\s\S]*\S)(?![\s\S]*(?:-->|[{}<>\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|WEBVTT|Scenarist_SCC|\[Script Info\]))"


#: Every built-in format, in the order ``subkit formats`` lists them. Where several formats share an
#: extension, the first of them is that extension's default (``for_path``, and ``detect`` when no
#: content matches): ``.sub`` is MicroDVD, ``.stl`` EBU STL, ``.txt`` a transcript, ``.json`` Whisper.
FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec("srt", "SubRip", "subkit.formats.srt", (".srt",), aliases=("subrip",),
               signature=_SRT_TIMING),
    FormatSpec("webvtt", "WebVTT", "subkit.formats.webvtt", (".vtt", ".webvtt"), aliases=("vtt",),
               signature=r"\A[\ufeff \t\r\n]*(?i:webvtt)"),
    FormatSpec("ass", "Advanced SubStation Alpha (v4.00+)", "subkit.formats.ass", (".ass",), signature=_SUBSTATION),
    FormatSpec("ssa", "SubStation Alpha (v4.00)", "subkit.formats.ssa", (".ssa",),
               signature=r"(?i)\[v4 styles\]|scripttype[ \t]*:[ \t]*v?4\.00(?!\+)"),
    FormatSpec("ttml", "TTML / IMSC1 text profile", "subkit.formats.ttml", (".ttml", ".xml"),
               aliases=("imsc", "imsc1", "smpte_tt"), signature=_TT_ROOT),
    FormatSpec("dfxp", "DFXP (TTML 2006 draft namespace)", "subkit.formats.dfxp", (".dfxp",), signature=_TT_ROOT),
    FormatSpec("ebu_tt_d", "EBU-TT-D (EBU Tech 3380)", "subkit.formats.ebu_tt_d", (".ebuttd.xml", ".ebu-tt-d.xml"),
               aliases=("ebuttd", "ebu_tt"), signature=_TT_ROOT),
    FormatSpec("itt", "iTunes Timed Text (TTML, SMPTE time base)", "subkit.formats.itt", (".itt",), signature=NEVER),
    FormatSpec("sami", "SAMI (Synchronized Accessible Media Interchange)", "subkit.formats.sami",
               (".smi", ".sami"), signature=r"(?i)<\s*sami[\s>]"),
    FormatSpec("sbv", "YouTube SBV", "subkit.formats.sbv", (".sbv",), signature=r"\A\s*\d{1,2}:\d\d:\d\d\.\d{3},"),
    FormatSpec("microdvd", "MicroDVD (frame-based)", "subkit.formats.microdvd", (".sub",), signature=r"\A\s*\{"),
    FormatSpec("subviewer", "SubViewer 2.0", "subkit.formats.subviewer", (".sub",), aliases=("subviewer2",),
               signature=r"\A\s*(?:\[(?i:information|subtitle)\]|-?\d\d:\d\d:\d\d\.\d\d,)"),
    FormatSpec("subviewer1", "SubViewer 1.0", "subkit.formats.subviewer1", (".sub",), signature=r"(?i)START SCRIPT"),
    FormatSpec("mpl2", "MPL2 (deciseconds)", "subkit.formats.mpl2", (".mpl2",), signature=r"\A\s*\[[ \t]*-?\d"),
    FormatSpec("tmplayer", "TMPlayer", "subkit.formats.tmplayer", (".tmp",), aliases=("tmp",),
               signature=r"\A\s*-?\d{1,2}:\d{1,2}:\d{1,2}(?:,\d+)?[:=]"),
    FormatSpec("lrc", "LRC lyrics (and enhanced LRC)", "subkit.formats.lrc", (".lrc",),
               signature=r"\A\s*\ufeff?\[(?:-?\d+:\d\d|(?:ar|ti|al|by|au|re|ve|length|offset|la):)"),
    FormatSpec("ebu_stl", "EBU STL (Tech 3264, binary)", "subkit.formats.ebu_stl", (".stl",), aliases=("stl",),
               binary=True, signature=rb"\A[\s\S]{3}STL\d\d\.01"),
    FormatSpec("spruce_stl", "Spruce / DVD Studio Pro STL (text)", "subkit.formats.spruce_stl", (".stl",),
               aliases=("dvdsp_stl",), signature=r"\A\s*(?:\d{1,2}:\d{1,2}:\d{1,2}[:;.]\d{1,3}[ \t]*,|\$|//)"),
    FormatSpec("scc", "Scenarist SCC (CEA-608)", "subkit.formats.scc", (".scc",),
               signature=r"\A\s*(?:(?i:scenarist_scc)|\d{1,2}:\d{1,2}:\d{1,2}[:;.,]\d{1,3}\s+[0-9a-fA-F]{3})"),
    FormatSpec("mcc", "MacCaption MCC (CEA-708 CDP, 608 captions)", "subkit.formats.mcc", (".mcc",),
               signature=r"\A\s*(?i:file format=maccaption_mcc)"),
    FormatSpec("cheetah_cap", "Cheetah CAP (binary)", "subkit.formats.cheetah_cap", (".cap",), binary=True,
               signature=rb"\A\xea\x22[\x00-\x03]"),
    FormatSpec("transcript", "Plain-text transcript", "subkit.formats.transcript", (".txt",), aliases=("text",),
               signature=_PROSE),
    FormatSpec("qt_text", "QuickTime Text", "subkit.formats.qt_text", (".txt",), aliases=("qttext",),
               signature=r"\A\s*\{\s*(?i:qttext)\s*\}"),
    FormatSpec("avid_ds", "Avid DS / SubCap caption text", "subkit.formats.avid_ds", (".txt",),
               aliases=("subcap",), signature=r"(?i)<\s*begin subtitles\s*>"),
    FormatSpec("avid_dvd", "Avid DVD", "subkit.formats.avid_dvd", (".txt",),
               signature=r"(?m)^\d+\t\d\d[:.,]\d\d[:.,]\d\d[:.,]\d\d\t\d\d[:.,]\d\d[:.,]\d\d[:.,]\d\d"),
    FormatSpec("transcript_csv", "Timed transcript (CSV/TSV)", "subkit.formats.transcript_csv", (".csv", ".tsv"),
               aliases=("csv", "tsv"), signature=r"\A[^\n]*[,\t]"),
    FormatSpec("whisper_json", "Whisper JSON (openai-whisper)", "subkit.formats.whisper_json",
               (".whisper.json", ".json"), aliases=("whisper",), signature=r'\A\s*\{[\s\S]*"segments"'),
    FormatSpec("rev_json", "Rev transcript JSON", "subkit.formats.rev_json", (".rev.json", ".json"),
               aliases=("rev",), signature=r'\A\s*\{[\s\S]*"monologues"'),
    FormatSpec("mp4_wvtt", "WebVTT in fragmented MP4 (ISO/IEC 14496-30 wvtt)", "subkit.formats.mp4_wvtt",
               (".mp4", ".m4s", ".cmft", ".m4v"), aliases=("wvtt", "fmp4_webvtt"), binary=True, signature=_ISO_BMFF),
    FormatSpec("mp4_stpp", "TTML/IMSC in fragmented MP4 (ISO/IEC 14496-30 stpp)", "subkit.formats.mp4_stpp",
               (".mp4", ".m4s", ".cmft"), aliases=("stpp", "fmp4_ttml"), binary=True, signature=_ISO_BMFF),
    FormatSpec("facebook_srt", "Facebook SubRip (name.ll_CC.srt)", "subkit.formats.facebook_srt", (),
               aliases=("facebook",), signature=NEVER),
    FormatSpec(
        "subkit_json",
        "subkit JSON (lossless model)",
        "subkit.formats.subkit_json",
        (".subkit.json", ".subkit-json"),
        aliases=("subkit-json", "json-model"),
        signature=r'\A\s*\{\s*"subkit"',
    ),
)
