"""The format table: one :class:`FormatSpec` row per format, implementations imported lazily.

To add a format: write ``subkit/formats/<name>.py`` following the contract in
:mod:`subkit.formats._base`, add a row here, a fixtures folder
``fixtures/<name>/``, tests ``tests/formats/test_<name>.py`` (with a
round-trip property) and a page ``docs/formats/<name>.md``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

__all__ = ["FORMATS", "FormatSpec"]


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
    """

    name: str
    title: str
    module: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    binary: bool = False
    can_read: bool = True
    can_write: bool = True

    def load(self) -> ModuleType:
        """Import and return the implementation module."""
        return importlib.import_module(self.module)


#: Every built-in format, in the order ``subkit formats`` lists them. Where several formats share an
#: extension, the first of them is that extension's default (``for_path``, and ``detect`` when no
#: content matches): ``.sub`` is MicroDVD, ``.stl`` EBU STL, ``.txt`` a transcript, ``.json`` Whisper.
FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec("srt", "SubRip", "subkit.formats.srt", (".srt",), aliases=("subrip",)),
    FormatSpec("webvtt", "WebVTT", "subkit.formats.webvtt", (".vtt", ".webvtt"), aliases=("vtt",)),
    FormatSpec("ass", "Advanced SubStation Alpha (v4.00+)", "subkit.formats.ass", (".ass",)),
    FormatSpec("ssa", "SubStation Alpha (v4.00)", "subkit.formats.ssa", (".ssa",)),
    FormatSpec("ttml", "TTML / IMSC1 text profile", "subkit.formats.ttml", (".ttml", ".xml"),
               aliases=("imsc", "imsc1", "smpte_tt")),
    FormatSpec("dfxp", "DFXP (TTML 2006 draft namespace)", "subkit.formats.dfxp", (".dfxp",)),
    FormatSpec("ebu_tt_d", "EBU-TT-D (EBU Tech 3380)", "subkit.formats.ebu_tt_d", (".ebuttd.xml", ".ebu-tt-d.xml"),
               aliases=("ebuttd", "ebu_tt")),
    FormatSpec("itt", "iTunes Timed Text (TTML, SMPTE time base)", "subkit.formats.itt", (".itt",)),
    FormatSpec("sami", "SAMI (Synchronized Accessible Media Interchange)", "subkit.formats.sami",
               (".smi", ".sami")),
    FormatSpec("sbv", "YouTube SBV", "subkit.formats.sbv", (".sbv",)),
    FormatSpec("microdvd", "MicroDVD (frame-based)", "subkit.formats.microdvd", (".sub",)),
    FormatSpec("subviewer", "SubViewer 2.0", "subkit.formats.subviewer", (".sub",), aliases=("subviewer2",)),
    FormatSpec("subviewer1", "SubViewer 1.0", "subkit.formats.subviewer1", (".sub",)),
    FormatSpec("mpl2", "MPL2 (deciseconds)", "subkit.formats.mpl2", (".mpl2",)),
    FormatSpec("tmplayer", "TMPlayer", "subkit.formats.tmplayer", (".tmp",), aliases=("tmp",)),
    FormatSpec("lrc", "LRC lyrics (and enhanced LRC)", "subkit.formats.lrc", (".lrc",)),
    FormatSpec("ebu_stl", "EBU STL (Tech 3264, binary)", "subkit.formats.ebu_stl", (".stl",), aliases=("stl",),
               binary=True),
    FormatSpec("spruce_stl", "Spruce / DVD Studio Pro STL (text)", "subkit.formats.spruce_stl", (".stl",),
               aliases=("dvdsp_stl",)),
    FormatSpec("scc", "Scenarist SCC (CEA-608)", "subkit.formats.scc", (".scc",)),
    FormatSpec("mcc", "MacCaption MCC (CEA-708 CDP, 608 captions)", "subkit.formats.mcc", (".mcc",)),
    FormatSpec("cheetah_cap", "Cheetah CAP (binary)", "subkit.formats.cheetah_cap", (".cap",), binary=True),
    FormatSpec("transcript", "Plain-text transcript", "subkit.formats.transcript", (".txt",), aliases=("text",)),
    FormatSpec("qt_text", "QuickTime Text", "subkit.formats.qt_text", (".txt",), aliases=("qttext",)),
    FormatSpec("avid_ds", "Avid DS / SubCap caption text", "subkit.formats.avid_ds", (".txt",),
               aliases=("subcap",)),
    FormatSpec("avid_dvd", "Avid DVD", "subkit.formats.avid_dvd", (".txt",)),
    FormatSpec("transcript_csv", "Timed transcript (CSV/TSV)", "subkit.formats.transcript_csv", (".csv", ".tsv"),
               aliases=("csv", "tsv")),
    FormatSpec("whisper_json", "Whisper JSON (openai-whisper)", "subkit.formats.whisper_json",
               (".whisper.json", ".json"), aliases=("whisper",)),
    FormatSpec("rev_json", "Rev transcript JSON", "subkit.formats.rev_json", (".rev.json", ".json"),
               aliases=("rev",)),
    FormatSpec("mp4_wvtt", "WebVTT in fragmented MP4 (ISO/IEC 14496-30 wvtt)", "subkit.formats.mp4_wvtt",
               (".mp4", ".m4s", ".cmft", ".m4v"), aliases=("wvtt", "fmp4_webvtt"), binary=True),
    FormatSpec("mp4_stpp", "TTML/IMSC in fragmented MP4 (ISO/IEC 14496-30 stpp)", "subkit.formats.mp4_stpp",
               (".mp4", ".m4s", ".cmft"), aliases=("stpp", "fmp4_ttml"), binary=True),
    FormatSpec("facebook_srt", "Facebook SubRip (name.ll_CC.srt)", "subkit.formats.facebook_srt", (),
               aliases=("facebook",)),
    FormatSpec(
        "subkit_json",
        "subkit JSON (lossless model)",
        "subkit.formats.subkit_json",
        (".subkit.json", ".subkit-json"),
        aliases=("subkit-json", "json-model"),
    ),
)
