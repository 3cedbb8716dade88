"""EBU STL (Tech 3264-1991, ``.stl``, binary): reader and writer.

A file is a 1024-byte GSI block (general subtitle information, ASCII digits
and text in the CPN code page) followed by 128-byte TTI blocks (one subtitle,
or one part of a long one). Each TTI block holds the subtitle group (SGN),
number (SN), extension block number (EBN), cumulative status (CS), in and out
timecodes (TCI/TCO, binary h m s f), vertical position (VP), justification
(JC), comment flag (CF) and 112 bytes of text (TF); see
:mod:`subkit.formats._stl_text` for the text.

How it maps to the model:

* every GSI field is kept in ``Document.header`` as ``ebu_stl.<FIELD>``
  (``ebu_stl.CPN``, ``ebu_stl.DFC``, ... ``ebu_stl.UDA``, trailing blanks
  removed); ``Document.frame_rate`` comes from DFC, ``language`` from LC, ``title``
  from OPT;
* the extension blocks of a subtitle are joined into one cue; user-data
  blocks (EBN ``FE``) are skipped;
* times are frames at the DFC rate minus the timecode origin, which by
  default (``timecode_origin="auto"``) is TCP when TCS is ``1`` and no
  subtitle starts before it; the subtracted origin is kept as
  ``ebu_stl.timecode_origin`` so that a write adds it back;
* VP and JC give a 9-point alignment (top, middle or bottom third of MNR rows
  by the centre of the text; JC 1 left, 3 right, 0 and 2 centre; bottom
  centre, the usual place, is left as the default placement); the exact
  values stay in ``Cue.extra`` (``ebu_stl.vp``, ``ebu_stl.jc``) with CS
  (``ebu_stl.cs``), SGN (``ebu_stl.sgn``), double height
  (``ebu_stl.double_height``) and the open-subtitle box (``ebu_stl.box``);
* CF=1 makes a comment cue.

Diagnostics name the block: ``line`` is the block number, 0 for the GSI block
and 1 for the first TTI block, and the message gives the byte offset.

>>> import subkit
>>> from subkit.model import Cue, Document, content_from_text
>>> doc = Document(cues=(Cue(start_ms=1000, end_ms=2400, content=content_from_text("Hello")),))
>>> data = subkit.dumps(doc, "ebu_stl", creation_date="260101")
>>> len(data), data[3:11]
(1152, b'STL25.01')
>>> back = subkit.loads(data, format="ebu_stl")
>>> back.cues[0].plain_text(), back.cues[0].start_ms, back.cues[0].end_ms, back.cues[0].extra["ebu_stl.vp"]
('Hello', 1000, 2400, '22')
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._iso6937 import CHARSETS, Charset
from subkit.formats._lower import Lowering, lower
from subkit.formats._stl_text import decode_text_field, encode_rows
from subkit.model import NOWHERE, ContentItem, Cue, Document, LineBreak, LossReport, Placement, Run
from subkit.timing import frames_to_ms, frames_to_timecode, ms_to_frames, parse_fps, timecode_to_frames

__all__ = [
    "FEATURES", "GSI_FIELDS", "LANGUAGES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write",
]

NAME = "ebu_stl"

#: What the writer can express.
FEATURES = frozenset({"italic", "underline", "color", "background", "alignment", "comment"})
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: Times count from the timecode origin, on the frame grid: the writer clamps them there (``negative-time``
#: before the origin, ``time-range`` past 99 hours).
LOWERING = Lowering(negative="keep")

#: GSI fields in file order: (abbreviation, byte offset, length).
GSI_FIELDS: tuple[tuple[str, int, int], ...] = (
    ("CPN", 0, 3), ("DFC", 3, 8), ("DSC", 11, 1), ("CCT", 12, 2), ("LC", 14, 2),
    ("OPT", 16, 32), ("OET", 48, 32), ("TPT", 80, 32), ("TET", 112, 32), ("TN", 144, 32), ("TCD", 176, 32),
    ("SLR", 208, 16), ("CD", 224, 6), ("RD", 230, 6), ("RN", 236, 2),
    ("TNB", 238, 5), ("TNS", 243, 5), ("TNG", 248, 3), ("MNC", 251, 2), ("MNR", 253, 2),
    ("TCS", 255, 1), ("TCP", 256, 8), ("TCF", 264, 8), ("TND", 272, 1), ("DSN", 273, 1), ("CO", 274, 3),
    ("PUB", 277, 32), ("EN", 309, 32), ("ECD", 341, 32), ("UDA", 448, 576),
)  # fmt: skip

GSI_SIZE = 1024
TTI_SIZE = 128
TF_SIZE = 112

#: Code pages Tech 3264 allows for the GSI block.
CODE_PAGES = ("437", "850", "860", "863", "865")

#: DFC values and the frame rates they mean. STL30.01 is read as exactly 30 fps, as Tech 3264 says.
FRAME_RATES: dict[str, Fraction] = {
    "STL23.01": Fraction(24000, 1001),
    "STL24.01": Fraction(24),
    "STL25.01": Fraction(25),
    "STL30.01": Fraction(30),
    "STL50.01": Fraction(50),
    "STL60.01": Fraction(60),
}

#: LC language codes (Tech 3264 appendix 3) and their BCP 47 tags.
LANGUAGES: dict[str, str] = {
    "01": "sq", "02": "br", "03": "ca", "04": "hr", "05": "cy", "06": "cs", "07": "da", "08": "de",
    "09": "en", "0A": "es", "0B": "eo", "0C": "et", "0D": "eu", "0E": "fo", "0F": "fr", "10": "fy",
    "11": "ga", "12": "gd", "13": "gl", "14": "is", "15": "it", "16": "se", "17": "la", "18": "lv",
    "19": "lb", "1A": "lt", "1B": "hu", "1C": "mt", "1D": "nl", "1E": "no", "1F": "oc", "20": "pl",
    "21": "pt", "22": "ro", "23": "rm", "24": "sr", "25": "sk", "26": "sl", "27": "fi", "28": "sv",
    "29": "tr", "2A": "nl-BE", "2B": "wa",
    "45": "zu", "46": "vi", "47": "uz", "48": "ur", "49": "uk", "4A": "th", "4B": "te", "4C": "tt",
    "4D": "ta", "4E": "tg", "4F": "sw", "50": "srn", "51": "so", "52": "si", "53": "sn", "54": "sh",
    "56": "ru", "57": "qu", "58": "ps", "59": "pa", "5A": "fa", "5B": "pap", "5C": "or", "5D": "ne",
    "5E": "nd", "5F": "mr", "60": "mo", "61": "ms", "62": "mg", "63": "mk", "64": "lo", "65": "ko",
    "66": "km", "67": "kk", "68": "kn", "69": "ja", "6A": "id", "6B": "hi", "6C": "he", "6D": "ha",
    "6E": "gn", "6F": "gu", "70": "el", "71": "ka", "72": "ff", "73": "prs", "74": "cv", "75": "zh",
    "76": "my", "77": "bg", "78": "bn", "79": "be", "7A": "bm", "7B": "az", "7C": "as", "7D": "hy",
    "7E": "ar", "7F": "am",
}  # fmt: skip
_LANGUAGE_CODES = {tag.lower(): code for code, tag in LANGUAGES.items()}

_TIMECODE = re.compile(r"^(\d\d)[:;.]?(\d\d)[:;.]?(\d\d)[:;.]?(\d\d)$")


def _check_timecode(value: str | None, what: str) -> None:
    if value is not None and value not in ("auto", "tcp", "none") and not _TIMECODE.match(value.strip()):
        raise ValueError(f"{what} must be 'auto', 'tcp', 'none' or HH:MM:SS:FF, got {value!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """EBU STL reader options.

    Attributes:
        fps: read the timecodes at this rate instead of the DFC's
            (``"25"``, ``"29.97"``, ``"30000/1001"``, ``23.976``,
            ``Fraction(24000, 1001)``); ``None``: the DFC's.
        timecode_origin: what is subtracted from every timecode: ``"auto"``
            (TCP when TCS is ``1`` and no subtitle starts before TCP, else
            nothing), ``"tcp"`` (always TCP), ``"none"``, or a timecode
            ``HH:MM:SS:FF``.
    """

    fps: str | float | Fraction | None = None
    timecode_origin: str = "auto"

    def __post_init__(self) -> None:
        if self.fps is not None:
            parse_fps(self.fps)
        _check_timecode(self.timecode_origin, "timecode_origin")


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """EBU STL writer options. ``None`` takes the document's value, then the GSI kept in its header.

    Attributes:
        fps: 23.976, 24, 25, 30 (29.97 is written as 30), 50 or 60, as anything
            :func:`subkit.timing.parse_fps` reads; ``None``: the document's rate
            when STL has it, else 25.
        code_page: CPN of the GSI block: 437, 850 (default), 860, 863 or 865.
        character_table: CCT of the text: ``00`` ISO 6937 (default), ``01`` Cyrillic,
            ``02`` Arabic, ``03`` Greek, ``04`` Hebrew.
        display_standard: DSC: ``" "`` undefined, ``"0"`` open subtitles,
            ``"1"`` teletext level 1 (default), ``"2"`` teletext level 2.
        language: a BCP 47 tag or a two-digit LC code.
        title: the original programme title (OPT).
        max_chars: MNC, characters per row (default 40).
        max_rows: MNR, rows (default 23).
        timecode_origin: ``HH:MM:SS:FF`` added to every time and written as TCP.
        double_height: teletext rows in double height (default: as read, else yes).
        creation_date: CD as ``YYMMDD`` (default: as read, else today).
    """

    fps: str | float | Fraction | None = None
    code_page: str | None = None
    character_table: str | None = None
    display_standard: str | None = None
    language: str | None = None
    title: str | None = None
    max_chars: int | None = None
    max_rows: int | None = None
    timecode_origin: str | None = None
    double_height: bool | None = None
    creation_date: str | None = None

    def __post_init__(self) -> None:
        if self.fps is not None and _dfc_for(parse_fps(self.fps)) is None:
            raise ValueError(f"EBU STL has no frame rate {self.fps!r} (23.976, 24, 25, 30, 50, 60)")
        if self.code_page is not None and self.code_page not in CODE_PAGES:
            raise ValueError(f"code_page must be one of {', '.join(CODE_PAGES)}")
        if self.character_table is not None and self.character_table not in CHARSETS:
            raise ValueError("character_table must be 00, 01, 02, 03 or 04")
        if self.display_standard is not None and self.display_standard not in (" ", "0", "1", "2"):
            raise ValueError("display_standard must be ' ', '0', '1' or '2'")
        if self.language is not None and _language_code(self.language) is None:
            raise ValueError(f"no LC code for language {self.language!r}")
        if self.max_chars is not None and not 1 <= self.max_chars <= 99:
            raise ValueError("max_chars must be 1-99")
        if self.max_rows is not None and not 1 <= self.max_rows <= 99:
            raise ValueError("max_rows must be 1-99")
        if self.timecode_origin is not None and not _TIMECODE.match(self.timecode_origin.strip()):
            raise ValueError("timecode_origin must be HH:MM:SS:FF")
        if self.creation_date is not None and not re.fullmatch(r"\d{6}", self.creation_date):
            raise ValueError("creation_date must be YYMMDD")


def sniff(head: bytes) -> bool:
    """True when ``head`` starts with a GSI block: ``STLnn.01`` at byte 3 and 1024 bytes or more.

    The code page is not checked (files with junk there exist); the DFC
    pattern alone already excludes every text format.
    """
    if len(head) < GSI_SIZE:
        return False
    dfc = head[3:11]
    return dfc[:3] == b"STL" and dfc[3:5].isdigit() and dfc[5:8] == b".01"


def _language_code(value: str) -> str | None:
    """The LC code of a BCP 47 tag (or of two hex digits already: tags win, so ``de`` is German)."""
    lowered = value.lower()
    code = _LANGUAGE_CODES.get(lowered) or _LANGUAGE_CODES.get(lowered.split("-")[0])
    if code is None and re.fullmatch(r"[0-9A-Fa-f]{2}", value):
        return value.upper()
    return code


def _dfc_for(rate: Fraction) -> str | None:
    if rate == Fraction(30000, 1001):
        return "STL30.01"
    for dfc, value in FRAME_RATES.items():
        if value == rate:
            return dfc
    return None


def _nominal(rate: Fraction) -> Fraction:
    """The rate the h:m:s:f labels count at (23.976 counts 24 labels a second)."""
    return Fraction(round(rate))


def placement_of(vp: int, jc: int, max_rows: int, height: int) -> Placement:
    """The 9-point alignment of text at row ``vp`` that is ``height`` rows high.

    The text's centre row picks the top, middle or bottom third of
    ``max_rows``; JC 1 is left, 3 right, 0 and 2 centre. Bottom centre is
    the default placement (no alignment).
    """
    rows = max_rows if 1 <= max_rows <= 99 else 23
    twice_centre = 2 * vp + max(height, 1) - 1
    if 3 * twice_centre <= 2 * rows:
        base = 7
    elif 3 * twice_centre > 4 * rows:
        base = 1
    else:
        base = 4
    align = base + {1: 0, 3: 2}.get(jc, 1)
    # Bottom centre is every player's default: leave it unset, so conversions carry no needless alignment.
    return NOWHERE if align == 2 else Placement(align=align)


def _vp_for(align: int | None, max_rows: int, height: int) -> int:
    """The VP that :func:`placement_of` reads back as ``align``'s vertical third."""
    if align in (7, 8, 9):
        return 1
    if align in (4, 5, 6):
        return max(1, (max_rows - height) // 2 + 1)
    return max(1, max_rows - height + 1)


# ----------------------------------------------------------------------------- reading


@dataclass(slots=True)
class _Subtitle:
    """A subtitle as found in its TTI blocks (extension blocks joined)."""

    block: int
    sgn: int
    sn: int
    cs: int
    tci: tuple[int, int, int, int]
    tco: tuple[int, int, int, int]
    vp: int
    jc: int
    cf: int
    text: bytearray = field(default_factory=bytearray)


#: Bytes that take no cell on screen: open-subtitle codes, unused space (and 6937 diacritics).
_ZERO_WIDTH = bytes([*range(0x80, 0x86), 0x8F])
_ZERO_WIDTH_6937 = _ZERO_WIDTH + bytes(range(0xC1, 0xD0))


def _where(block: int) -> str:
    offset = 0 if block == 0 else GSI_SIZE + (block - 1) * TTI_SIZE
    return f"{'GSI block' if block == 0 else f'TTI block {block}'} (byte offset {offset})"


def _read_gsi(data: bytes, sink: DiagnosticSink) -> tuple[dict[str, str], str]:
    """The GSI fields as text, and the codec used for them."""
    cpn = data[0:3].decode("ascii", "replace")
    if cpn not in CODE_PAGES:
        sink.warn(f"{_where(0)}: CPN {cpn!r} is not a code page of Tech 3264", "read the GSI text as code page 850",
                  line=0)
        codec = "cp850"
    else:
        codec = f"cp{cpn}"
    fields: dict[str, str] = {}
    for name, offset, length in GSI_FIELDS:
        raw = data[offset : offset + length]
        text = raw.decode(codec, "replace") if name != "CPN" else cpn
        fields[name] = text.rstrip(" \x00")
    return fields, codec


def _number(text: str) -> int | None:
    """The value of ASCII digits, else ``None`` (``str.isdigit`` also accepts superscripts)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _int_field(fields: Mapping[str, str], name: str) -> int | None:
    return _number(fields.get(name, ""))


def read(data: bytes, *, options: ReadOptions) -> Document:
    """Parse an EBU STL file.

    Raises:
        ParseError: the data is not an STL file (no GSI block), or (strict) any flaw.
    """
    sink = DiagnosticSink(NAME, options)
    if not data:
        return Document(source_format=NAME)
    if not sniff(data[:GSI_SIZE]):
        raise sink.fail("not an EBU STL file: no GSI block (bytes 3-10 should read STLnn.01, 1024 bytes at least)",
                        line=0)
    fields, _codec = _read_gsi(data, sink)
    header = {f"{NAME}.{name}": value for name, value in fields.items() if value}
    header[f"{NAME}.DSC"] = data[11:12].decode("ascii", "replace")  # a blank DSC means "undefined": keep it

    # Frame rate.
    dfc = fields["DFC"]
    rate = FRAME_RATES.get(dfc)
    if rate is None:
        sink.warn(f"{_where(0)}: unknown DFC {dfc!r}", "read the timecodes at 25 fps", line=0)
        rate = Fraction(25)
    if options.fps is not None:
        rate = parse_fps(options.fps)
    nominal = _nominal(rate)

    dsc = data[11:12].decode("ascii", "replace")
    if dsc not in (" ", "0", "1", "2"):
        sink.warn(f"{_where(0)}: unknown DSC {dsc!r}", "read it as undefined (open subtitles)", line=0)
    cct = fields["CCT"]
    charset = CHARSETS.get(cct)
    if charset is None:
        sink.warn(f"{_where(0)}: unknown CCT {cct!r}", "read the text as ISO 6937 (CCT 00)", line=0)
        charset = CHARSETS["00"]
    lc = fields["LC"].strip().upper()
    language = LANGUAGES.get(lc)
    if lc and lc != "00" and language is None:
        sink.warn(f"{_where(0)}: unknown LC language code {lc!r}", "left the language unset", line=0)
    max_chars = _int_field(fields, "MNC")
    if max_chars is None:
        sink.warn(f"{_where(0)}: MNC {fields['MNC']!r} is not a number", "assumed 40 characters per row", line=0)
        max_chars = 40
    max_rows = _int_field(fields, "MNR")
    if max_rows is None or not 1 <= max_rows <= 99:
        sink.warn(f"{_where(0)}: MNR {fields['MNR']!r} is not a row count", "assumed 23 rows", line=0)
        max_rows = 23

    subtitles = _read_blocks(data, fields, sink)
    origin = _origin(fields, subtitles, nominal, options, sink)
    if origin:
        header[f"{NAME}.timecode_origin"] = _label(origin, nominal)

    cues: list[Cue] = []
    teletext = dsc in ("1", "2")
    for subtitle in subtitles:
        cue = _cue(subtitle, charset, rate, nominal, origin, max_chars, max_rows, teletext, sink)
        cues.append(cue)
    title = fields["OPT"].strip() or None
    return Document(
        cues=tuple(cues),
        header=header,
        language=language,
        title=title,
        frame_rate=rate,
        diagnostics=tuple(sink.items),
        source_format=NAME,
    )


def _read_blocks(data: bytes, fields: Mapping[str, str], sink: DiagnosticSink) -> list[_Subtitle]:
    """Every subtitle of the TTI blocks, extension blocks joined, user data skipped."""
    body = len(data) - GSI_SIZE
    count, spare = divmod(body, TTI_SIZE)
    if spare:
        sink.warn(f"file size {len(data)} is not 1024 + 128 x n: {spare} byte(s) after the last whole TTI block",
                  "ignored them", line=count + 1)
    tnb = _int_field(fields, "TNB")
    if tnb != count:
        sink.warn(f"{_where(0)}: TNB says {fields['TNB'] or '(blank)'} TTI blocks, the file holds {count}",
                  "read every block to the end of the file", line=0)
    subtitles: list[_Subtitle] = []
    current: _Subtitle | None = None
    for number in range(1, count + 1):
        start = GSI_SIZE + (number - 1) * TTI_SIZE
        block = data[start : start + TTI_SIZE]
        sgn, sn, ebn, cs = block[0], block[1] | (block[2] << 8), block[3], block[4]
        if ebn == 0xFE:
            continue  # user data: nothing for the model
        if 0xF0 <= ebn <= 0xFD:
            sink.warn(f"{_where(number)}: reserved EBN {ebn:02X}", "skipped the block", line=number)
            continue
        if current is not None and current.sn != sn:
            sink.warn(f"{_where(number)}: subtitle {current.sn} has extension blocks but no last block (EBN FF)",
                      "ended it at the previous block", line=number)
            subtitles.append(current)
            current = None
        if current is None:
            current = _Subtitle(
                block=number, sgn=sgn, sn=sn, cs=cs,
                tci=(block[5], block[6], block[7], block[8]), tco=(block[9], block[10], block[11], block[12]),
                vp=block[13], jc=block[14], cf=block[15],
            )  # fmt: skip
        text = block[16:]
        # Unused space fills the end of a block; extension blocks may be padded too.
        current.text += text.rstrip(b"\x8f")
        if ebn == 0xFF:
            subtitles.append(current)
            current = None
    if current is not None:
        sink.warn(f"{_where(current.block)}: subtitle {current.sn} has extension blocks but no last block (EBN FF)",
                  "ended it at the end of the file", line=current.block)
        subtitles.append(current)
    tns = _int_field(fields, "TNS")
    if tns is not None and tns != len(subtitles):
        sink.warn(f"{_where(0)}: TNS says {tns} subtitles, the blocks hold {len(subtitles)}", "kept them all", line=0)
    if count and not subtitles and not sink.strict:
        sink.warn(f"{_where(1)}: no subtitle in the TTI blocks (all user data or reserved)", "read no cue", line=1)
    return subtitles


def _label(frames: int, nominal: Fraction) -> str:
    h, m, s, f = frames_to_timecode(frames, nominal)
    return f"{h:02d}:{m:02d}:{s:02d}:{f:02d}"


def _frames(tc: tuple[int, int, int, int], nominal: Fraction) -> int:
    h, m, s, f = tc
    return timecode_to_frames(h, m, s, f, nominal)


def _origin(
    fields: Mapping[str, str], subtitles: list[_Subtitle], nominal: Fraction, options: ReadOptions,
    sink: DiagnosticSink,
) -> int:
    """How many frames to subtract from every timecode."""
    choice = options.timecode_origin
    if choice == "none":
        return 0
    if choice not in ("auto", "tcp"):
        match = _TIMECODE.match(choice.strip())
        assert match is not None  # checked by ReadOptions
        h, m, s, f = (int(g) for g in match.groups())
        return timecode_to_frames(h, m, s, f, nominal)
    tcp = fields["TCP"]
    match = _TIMECODE.match(tcp.strip())
    if match is None:
        if tcp.strip():
            sink.warn(f"{_where(0)}: TCP {tcp!r} is not a timecode HHMMSSFF", "subtracted nothing", line=0)
        return 0
    h, m, s, f = (int(g) for g in match.groups())
    origin = timecode_to_frames(h, m, s, f, nominal)
    if choice == "tcp":
        return origin
    if fields["TCS"] != "1" or origin == 0:
        return 0
    earliest = min((_frames(s.tci, nominal) for s in subtitles if s.cf != 1), default=origin)
    if earliest < origin:
        sink.warn(f"{_where(0)}: subtitles start before TCP {tcp}", "did not subtract TCP from the timecodes",
                  line=0)
        return 0
    return origin


def _cue(
    subtitle: _Subtitle, charset: Charset, rate: Fraction, nominal: Fraction, origin: int, max_chars: int,
    max_rows: int, teletext: bool, sink: DiagnosticSink,
) -> Cue:
    number = subtitle.block
    where = _where(number)
    for name, tc in (("TCI", subtitle.tci), ("TCO", subtitle.tco)):
        h, m, s, f = tc
        if m > 59 or s > 59 or f >= nominal:
            sink.warn(f"{where}: {name} {h:02d}:{m:02d}:{s:02d}:{f:02d} has a field out of range",
                      "added the fields up", line=number)
    start = frames_to_ms(_frames(subtitle.tci, nominal) - origin, rate)
    end = frames_to_ms(_frames(subtitle.tco, nominal) - origin, rate)
    if end < start:
        sink.error(f"{where}: TCO is before TCI", "set the end to the start", line=number)
        end = start
    elif end == start:
        sink.warn(f"{where}: TCO equals TCI", "kept a cue of no duration", line=number)
    decoded = decode_text_field(bytes(subtitle.text), charset)
    for message, action in decoded.problems:
        sink.warn(f"{where}: {message}", action, line=number)
    zero_width = _ZERO_WIDTH_6937 if charset.diacritics else _ZERO_WIDTH
    for row in bytes(subtitle.text).split(b"\x8a"):
        cells = len(row.translate(None, zero_width))
        if cells > max_chars:
            sink.warn(f"{where}: a row of {cells} cells is longer than MNC={max_chars}", "kept it", line=number)
            break
    jc = subtitle.jc
    if jc > 3:
        sink.warn(f"{where}: JC {jc} is not 0-3", "centred the text", line=number)
        jc = 2
    vp = subtitle.vp
    if teletext and not 1 <= vp <= 23:
        sink.warn(f"{where}: teletext VP {vp} is not a row 1-23", "kept it", line=number)
    cs = subtitle.cs
    if cs > 3:
        sink.warn(f"{where}: CS {cs} is not 0-3", "read it as not cumulative", line=number)
        cs = 0
    cf = subtitle.cf
    if cf > 1:
        sink.warn(f"{where}: CF {cf} is not 0 or 1", "read it as a subtitle, not a comment", line=number)
    rows = 1 + sum(1 for item in decoded.content if type(item) is LineBreak)
    height = rows * (2 if decoded.double_height else 1)
    extra = {f"{NAME}.vp": str(vp), f"{NAME}.jc": str(jc)}
    if cs:
        extra[f"{NAME}.cs"] = str(cs)
    if subtitle.sgn:
        extra[f"{NAME}.sgn"] = str(subtitle.sgn)
    if decoded.double_height:
        extra[f"{NAME}.double_height"] = "1"
    if decoded.boxed:
        extra[f"{NAME}.box"] = "1"
    return Cue(
        start_ms=start,
        end_ms=end,
        content=decoded.content,
        placement=placement_of(vp, jc, max_rows, height),
        comment=cf == 1,
        extra=extra,
    )


# ----------------------------------------------------------------------------- writing


def _header_int(header: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    value = _number(header.get(f"{NAME}.{name}", ""))
    return value if value is not None and low <= value <= high else None


def _parse_label(text: str, nominal: Fraction) -> int:
    match = _TIMECODE.match(text.strip())
    if match is None:
        return 0
    h, m, s, f = (int(g) for g in match.groups())
    return timecode_to_frames(h, m, s, f, nominal)


def _field_bytes(value: str, length: int, codec: str) -> tuple[bytes, bool]:
    """``value`` encoded and padded with spaces; whether it had to be cut or changed."""
    encoded = value.encode(codec, "replace")
    lossy = encoded.decode(codec, "replace") != value or len(encoded) > length
    return encoded[:length].ljust(length, b" "), lossy


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> bytes:
    """Serialise ``doc`` as an EBU STL file (GSI block and TTI blocks).

    Rows longer than MNC, more rows than MNR, characters outside the
    character table, colour changes inside words and colours outside the
    teletext palette are reported (``strict`` refuses them).

    Raises:
        UnsupportedFeatureError: strict and something would be dropped or changed.
    """
    lower(doc, LOWERING, report, options=options, supported=FEATURES, raw_format=NAME,
          messages={"line": "WebVTT line settings approximated by the nearest top, middle or bottom VP"})
    header = doc.header

    dfc, rate = _write_rate(doc, options, report)
    nominal = _nominal(rate)

    cpn = options.code_page or header.get(f"{NAME}.CPN", "850")
    if cpn not in CODE_PAGES:
        cpn = "850"
    codec = f"cp{cpn}"
    charset, lacking = _choose_table(doc, options.character_table or None, header.get(f"{NAME}.CCT"))
    charset_loss = _charset_message(charset, lacking, options.character_table is not None)
    dsc = options.display_standard
    if dsc is None:
        dsc = header.get(f"{NAME}.DSC", "1")
        if dsc not in (" ", "0", "1", "2"):
            dsc = " "
    teletext = dsc in ("1", "2")
    max_chars = options.max_chars or _header_int(header, "MNC", 1, 99) or 40
    max_rows = options.max_rows or _header_int(header, "MNR", 1, 99) or 23
    origin_label = options.timecode_origin or header.get(f"{NAME}.timecode_origin")
    origin = _parse_label(origin_label, nominal) if origin_label else 0

    blocks: list[bytes] = []
    subtitles = 0
    groups: set[int] = set()
    first_tci: tuple[int, int, int, int] | None = None
    for index, cue in enumerate(doc.cues):
        extra = cue.extra
        from_stl = f"{NAME}.vp" in extra
        double = options.double_height if options.double_height is not None else (
            extra.get(f"{NAME}.double_height") == "1" if from_stl else teletext)
        content, spelled = _transliterate(cue.content, charset)
        if spelled:
            report.add("transliteration", "typographic characters the table lacks spelled in ASCII (… as ...)",
                       cue=index)
        cue = cue.replace(content=content) if spelled else cue
        encoded = encode_rows(cue.content, charset, teletext=teletext, double_height=double,
                              boxed=extra.get(f"{NAME}.box") == "1")
        _report_text(encoded.unencodable, encoded.widths, encoded.glued, encoded.approximated, max_chars,
                     charset_loss, index, report)
        height = max(encoded.rows, 1) * (2 if double else 1)
        if height > max_rows:
            report.add("rows", f"more rows than MNR={max_rows}", cue=index)
        vp, jc = _position(cue, extra, max_rows, height)
        if jc == 0:  # "as typed": centre the rows with spaces, as the files that use JC 0 do
            encoded = encode_rows(cue.content, charset, teletext=teletext, double_height=double,
                                  boxed=extra.get(f"{NAME}.box") == "1", centre_in=max_chars)

        tci, tco = _timecodes(cue, index, rate, nominal, origin, report)
        if first_tci is None:
            first_tci = tci
        cs_value = _number(extra.get(f"{NAME}.cs", "0")) or 0
        cs_value = cs_value if cs_value <= 3 else 0
        sgn_value = _number(extra.get(f"{NAME}.sgn", "0")) or 0
        sgn_value = sgn_value if sgn_value <= 255 else 0
        groups.add(sgn_value)
        chunks = _chunks(encoded.data, charset)
        if len(chunks) > 240:
            report.add("text-length", "text longer than 240 extension blocks cut", cue=index)
            chunks = chunks[:240]
        if len(blocks) + len(chunks) > MAX_BLOCKS:
            # TNB and TNS have five digits: a block past 99,999 would write a cut count that no reader trusts.
            left = sum(1 for later in doc.cues[index:] if not later.comment)
            report.add("cue-count", f"cues past the {MAX_BLOCKS:,}th text block dropped (TNB has five digits)",
                       cue=index, count=left)
            break
        sn = subtitles % 65536
        subtitles += 1
        for number, chunk in enumerate(chunks):
            ebn = 0xFF if number == len(chunks) - 1 else number
            blocks.append(
                bytes([sgn_value, sn & 0xFF, sn >> 8, ebn, cs_value, *tci, *tco, vp, jc, 1 if cue.comment else 0])
                + chunk.ljust(TF_SIZE, b"\x8f")
            )

    language = options.language or doc.language
    lc = (_language_code(language) if language else None) or header.get(f"{NAME}.LC", "00")
    title = options.title if options.title is not None else (doc.title or header.get(f"{NAME}.OPT", ""))
    created = options.creation_date or header.get(f"{NAME}.CD") or datetime.datetime.now(datetime.timezone.utc
                                                                                          ).strftime("%y%m%d")
    tcp = origin_label.replace(":", "").replace(";", "") if origin_label else header.get(f"{NAME}.TCP", "00000000")
    if not re.fullmatch(r"\d{8}", tcp):
        tcp = "00000000"
    values: dict[str, str] = {name: header.get(f"{NAME}.{name}", "") for name, _offset, _length in GSI_FIELDS}
    values.update(
        CPN=cpn, DFC=dfc, DSC=dsc, CCT=charset.code, LC=lc, OPT=title, CD=created,
        RD=values["RD"] or created, RN=values["RN"] or "00",
        TNB=f"{len(blocks):05d}", TNS=f"{subtitles:05d}", TNG=f"{max(len(groups), 1):03d}",
        MNC=f"{max_chars:02d}", MNR=f"{max_rows:02d}", TCS="1", TCP=tcp,
        TCF="".join(f"{part:02d}" for part in (first_tci or (0, 0, 0, 0))),
        TND=values["TND"] or "1", DSN=values["DSN"] or "1",
    )  # fmt: skip
    return _gsi_block(values, codec, cpn, report) + b"".join(blocks)


def _gsi_block(values: dict[str, str], codec: str, cpn: str, report: LossReport) -> bytes:
    """The GSI block of ``values``, each field cut or padded to its length (a cut or an unencodable one reported)."""
    gsi = bytearray(b" " * GSI_SIZE)
    for name, offset, length in GSI_FIELDS:
        encoded_field, lossy = _field_bytes(values[name], length, codec)
        if lossy:
            report.add("metadata", f"GSI field {name} cut to {length} bytes or not in code page {cpn}")
        gsi[offset : offset + length] = encoded_field
    return bytes(gsi)


def _write_rate(doc: Document, options: WriteOptions, report: LossReport) -> tuple[str, Fraction]:
    """The DFC code and frame rate to write: the option's, else the document's if EBU STL has it, else 25."""
    rate: Fraction | None = parse_fps(options.fps) if options.fps is not None else None
    if rate is None and doc.frame_rate is not None:
        if _dfc_for(doc.frame_rate) is not None:
            rate = doc.frame_rate
        else:
            report.add("frame-rate", f"EBU STL has no {float(doc.frame_rate):g} fps; wrote 25 fps")
    if rate is None:
        rate = Fraction(25)
    dfc = _dfc_for(rate)
    assert dfc is not None
    return dfc, FRAME_RATES[dfc]  # 29.97 is written (and read back) as 30


def _timecodes(cue: Cue, index: int, rate: Fraction, nominal: Fraction, origin: int,
               report: LossReport) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]]:
    """TCI and TCO of ``cue`` from the timecode origin, kept within 00:00:00:00 and 99:59:59 (reported)."""
    start = ms_to_frames(cue.start_ms, rate) + origin
    end = ms_to_frames(cue.end_ms, rate) + origin
    if start < 0 or end < 0:
        report.add("negative-time", "times before the timecode origin written as 00:00:00:00", cue=index)
        start, end = max(start, 0), max(end, 0)
    if end <= start and cue.end_ms > cue.start_ms:
        end = start + 1  # two times within one frame: keep the cue visible for a frame
    tci = frames_to_timecode(start, nominal)
    tco = frames_to_timecode(end, nominal)
    if max(tci[0], tco[0]) > 99:
        report.add("time-range", "times beyond 99 hours written as 99:59:59", cue=index)
        tci, tco = (min(tci[0], 99), 59, 59, 0), (min(tco[0], 99), 59, 59, 0)
    return tci, tco


#: ASCII spellings of typographic characters that a code table may lack.
_SPELLED = {
    "…": "...", "–": "-", "—": "-", "‒": "-", "―": "-", "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"',
    "»": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'", "‹": "'", "›": "'", "\u00a0": " ", "\u202f": " ",
    "€": "EUR", "•": "*", "·": ".",
}


def _holds(charset: Charset, char: str) -> bool:
    return not charset.encode(char)[1]


def _characters(doc: Document) -> set[str]:
    chars: set[str] = set()
    for cue in doc.cues:
        for item in cue.content:
            text = getattr(item, "text", None)
            if isinstance(text, str):
                chars.update(text)
    return chars


def _choose_table(doc: Document, given: str | None, kept: str | None) -> tuple[Charset, list[str]]:
    """The character code table to write (and the characters it cannot hold even spelled in ASCII).

    ``character_table=`` wins; otherwise the table of the file read (CCT in
    the header) when it holds the text, else the first of 00-04 (Latin,
    Cyrillic, Arabic, Greek, Hebrew) that holds the most of it.
    """
    chars = sorted(_characters(doc))

    def lacking(charset: Charset) -> list[str]:
        return [c for c in chars if not _holds(charset, c) and not (c in _SPELLED and _holds(charset, _SPELLED[c]))]

    if given is not None:
        charset = CHARSETS.get(given, CHARSETS["00"])
        return charset, lacking(charset)
    order = [kept] if kept in CHARSETS else []
    order += [code for code in CHARSETS if code not in order]
    scored = [(len(lacking(CHARSETS[code])), position, code) for position, code in enumerate(order)]
    _, _, best = min(scored)
    return CHARSETS[best], lacking(CHARSETS[best])


def _charset_message(charset: Charset, lacking: list[str], given: bool) -> str:
    shown = "".join(lacking)[:20]
    hint = (
        "pick another with -w character_table=00..04 (Latin, Cyrillic, Arabic, Greek, Hebrew)"
        if given
        else "no STL character table (00 Latin, 01 Cyrillic, 02 Arabic, 03 Greek, 04 Hebrew) holds them all"
    )
    return f"characters outside the {charset.name} table written as '?': {shown} ({hint})"


def _transliterate(content: tuple[ContentItem, ...], charset: Charset) -> tuple[tuple[ContentItem, ...], bool]:
    """``content`` with typographic characters the table lacks spelled in ASCII, and whether any were."""
    changed = False
    out: list[ContentItem] = []
    for item in content:
        if isinstance(item, Run) and any(c in _SPELLED for c in item.text):
            new = "".join(_SPELLED[c] if c in _SPELLED and not _holds(charset, c) else c for c in item.text)
            if new != item.text:
                changed = True
                out.append(dataclasses.replace(item, text=new))
                continue
        out.append(item)
    return tuple(out), changed


def _report_text(
    unencodable: list[str], widths: list[int], glued: int, approximated: int, max_chars: int, charset_loss: str,
    index: int, report: LossReport,
) -> None:
    if unencodable:
        report.add("charset", charset_loss, cue=index)
    if any(width > max_chars for width in widths):
        report.add("row-length", f"rows longer than MNC={max_chars} cells", cue=index)
    if glued:
        report.add("color", "a colour change between two letters takes a blank cell in STL", cue=index, count=glued)
    if approximated:
        report.add("color", "colours outside the eight teletext colours approximated", cue=index,
                   count=approximated)


def _position(cue: Cue, extra: Mapping[str, str], max_rows: int, height: int) -> tuple[int, int]:
    """VP and JC: as read when the cue's placement still says what they say, else from the alignment."""
    vp, jc = _number(extra.get(f"{NAME}.vp", "")), _number(extra.get(f"{NAME}.jc", ""))
    if (
        vp is not None
        and jc is not None
        and vp <= 255
        and jc <= 3
        and placement_of(vp, jc, max_rows, height) == cue.placement
    ):
        return vp, jc
    align = cue.placement.align or _align_from_line(cue.placement) or 2
    jc = {1: 1, 4: 1, 7: 1, 3: 3, 6: 3, 9: 3}.get(align, 2)
    return _vp_for(align, max_rows, height), jc


def _align_from_line(placement: Placement) -> int | None:
    """A 9-point alignment near WebVTT line and text-align settings (the loss is still reported as ``line``)."""
    if placement.line is None:
        return None
    if placement.snap_to_lines:
        base = 7 if placement.line >= 0 else 1
    else:
        base = 7 if placement.line < 100 / 3 else (1 if placement.line > 200 / 3 else 4)
    side = {"left": 0, "start": 0, "right": 2, "end": 2}.get(placement.text_align or "", 1)
    return base + side


#: The most TTI blocks a file can count (the GSI block's TNB field has five digits).
MAX_BLOCKS = 99_999


def _chunks(data: bytes, charset: Charset) -> list[bytes]:
    """The TF bytes cut into 112-byte pieces, never between a diacritic and its letter.

    It walks ``data`` with an index rather than slicing off the remainder, so
    a multi-megabyte cue costs linear time.
    """
    chunks: list[bytes] = []
    pos = 0
    size = len(data)
    while size - pos > TF_SIZE:
        cut = TF_SIZE
        if charset.diacritics and 0xC1 <= data[pos + cut - 1] <= 0xCF:
            cut -= 1
        chunks.append(data[pos : pos + cut])
        pos += cut
    chunks.append(data[pos:])
    return chunks
