"""All time arithmetic: parsing and formatting per notation, frames and timecodes.

Times in the model are ``int`` milliseconds. Conversions from frames or other
units use :class:`fractions.Fraction` and round exactly once, at the edge, with
the rule named at each function (half-up on exact ties unless said otherwise).

Notations handled here:

=============  ==========================  ====================================
notation       example                     used by
=============  ==========================  ====================================
SRT            ``01:02:03,456``            SRT, ``.`` also read (:func:`parse_srt`)
WebVTT         ``01:02:03.456``/``02:03.456``  WebVTT cue times, inner timestamps (:func:`parse_vtt`)
ASS            ``1:02:03.45``              ASS/SSA, centiseconds (:func:`parse_ass`)
duration       ``1m30s``, ``1.5``, ``2f``  every option and function taking a time
                                           (:func:`parse_duration`, :func:`to_ms`)
SMPTE          ``01:02:03:04``/``;04``     frame-based formats (NDF and DF)
SBV            ``1:02:03.456``             YouTube SBV (:func:`parse_sbv`)
SubViewer      ``01:02:03.45``             SubViewer 2.0 (:func:`parse_subviewer`)
SubViewer 1    ``[01:02:03]``              SubViewer 1.0 (:func:`parse_subviewer1`)
TMPlayer       ``01:02:03``                TMPlayer (:func:`parse_tmplayer`)
LRC            ``62:03.45``                LRC lyrics (:func:`parse_lrc`)
MPL2           ``37235`` (deciseconds)     MPL2 (:func:`parse_mpl2`)
MicroDVD       ``893``  (frames)           MicroDVD (:func:`parse_microdvd`)
QuickTime      ``[01:02:03.15]``           QuickTime Text, fraction in time-scale units
TTML           ``01:02:03.456``, ``1.5s``  TTML, DFXP, EBU-TT-D, IMSC (:func:`parse_ttml`)
=============  ==========================  ====================================

Each ``parse_*`` function answers what the reader of its notation answers: the
lenient reading by default, ``None`` where the reader refuses the time;
``strict=True`` gives ``None`` as well where the reader would repair the time
(with a diagnostic). The readers of the line and block formats take the
pattern and the value of their time fields from here; the SRT, WebVTT, ASS and
TTML readers keep short paths of their own, which ``tests/test_timing_table.py``
holds to these functions with one table of timestamps.
Writers format through the ``format_*`` functions or :class:`ClockFormat`,
which caches the ``HH:MM:`` prefix per minute.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from fractions import Fraction

__all__ = [
    "FPS_23_976",
    "FPS_29_97",
    "FPS_59_94",
    "HEAD_MS",
    "LRC_TIME",
    "QT_STAMP",
    "SBV_TIME",
    "SECONDS_MS",
    "SRT_TIME",
    "SUBVIEWER1_STAMP",
    "SUBVIEWER_TIME",
    "TMPLAYER_TIME",
    "TTML_CLOCK",
    "TTML_MINUTES_SECONDS",
    "TTML_OFFSET",
    "ClockFormat",
    "Duration",
    "MinutePrefix",
    "TtmlNote",
    "ass_standard_ms",
    "clock_ms",
    "decimal_ms",
    "format_ass",
    "format_clock",
    "format_lrc",
    "format_qt_text",
    "format_sbv",
    "format_srt",
    "format_subviewer",
    "format_subviewer1",
    "format_timecode",
    "format_tmplayer",
    "format_vtt",
    "frame_converters",
    "frames_to_ms",
    "frames_to_timecode",
    "head_ms",
    "lrc_ms",
    "ms_to_frames",
    "parse_ass",
    "parse_clock",
    "parse_duration",
    "parse_fps",
    "parse_lrc",
    "parse_microdvd",
    "parse_mpl2",
    "parse_qt_text",
    "parse_sbv",
    "parse_srt",
    "parse_subviewer",
    "parse_subviewer1",
    "parse_timecode",
    "parse_tmplayer",
    "parse_ttml",
    "parse_vtt",
    "parse_vtt_loose",
    "round_half_up",
    "scaled_ms",
    "timecode_to_frames",
    "to_ms",
    "ttml_clock_seconds",
    "ttml_minutes_seconds",
    "ttml_offset_seconds",
    "units_ms",
    "vtt_fields_ms",
]

#: 24000/1001 frames per second ("23.976").
FPS_23_976 = Fraction(24000, 1001)
#: 30000/1001 frames per second ("29.97").
FPS_29_97 = Fraction(30000, 1001)
#: 60000/1001 frames per second ("59.94").
FPS_59_94 = Fraction(60000, 1001)

_NAMED_RATES = {
    "23.976": FPS_23_976,
    "23.98": FPS_23_976,
    "29.97": FPS_29_97,
    "59.94": FPS_59_94,
    "47.952": Fraction(48000, 1001),
    "119.88": Fraction(120000, 1001),
}


class MinutePrefix:
    """The ``HH:MM:`` prefix of a writer's timestamps, formatted once per minute.

    Cues come in time order, so consecutive timestamps mostly fall in the same
    minute; writers call this with the whole minutes of a time and append the
    seconds themselves. ``hour_digits`` is the minimum width of the hours.

    >>> prefix = MinutePrefix(1)
    >>> prefix(62), prefix(62), prefix(600)
    ('1:02:', '1:02:', '10:00:')
    """

    __slots__ = ("_hour_digits", "_minute", "_prefix")

    def __init__(self, hour_digits: int = 2) -> None:
        self._hour_digits = hour_digits
        self._minute = -1
        self._prefix = ""

    def __call__(self, minute: int) -> str:
        if minute != self._minute:
            self._minute = minute
            hours, minutes = divmod(minute, 60)
            self._prefix = f"{hours:0{self._hour_digits}d}:{minutes:02d}:"
        return self._prefix


def round_half_up(value: Fraction) -> int:
    """Round a fraction to the nearest integer, ties away from minus infinity.

    >>> round_half_up(Fraction(5, 2)), round_half_up(Fraction(-5, 2))
    (3, -2)
    """
    return int((value + Fraction(1, 2)).__floor__())


#: The highest frame rate accepted; above it frame numbers stop fitting the formats' fields.
MAX_FPS = 1000


def parse_fps(text: str | float | Fraction) -> Fraction:
    """Read a frame rate: ``25``, ``29.97`` (taken as 30000/1001), ``30000/1001``.

    Raises:
        ValueError: when the rate is not a number from 1 to :data:`MAX_FPS`.
    """
    if isinstance(text, Fraction):
        rate = text
    elif isinstance(text, (int, float)):
        rate = _NAMED_RATES.get(f"{text:g}") or Fraction(str(text))
    else:
        cleaned = text.strip()
        if cleaned in _NAMED_RATES:
            rate = _NAMED_RATES[cleaned]
        else:
            try:
                rate = Fraction(cleaned)
            except (ValueError, ZeroDivisionError):
                raise ValueError(f"not a frame rate: {text!r}") from None
    if not 1 <= rate <= MAX_FPS:
        raise ValueError(f"frame rate must be 1-{MAX_FPS}: {text!r}")
    return rate


def frames_to_ms(frames: int, fps: Fraction) -> int:
    """Milliseconds at the start of frame ``frames`` (rounded half up).

    Integer arithmetic on the rate's numerator and denominator: the same
    result as rounding the exact fraction, without building one per call.

    >>> frames_to_ms(1, FPS_29_97)
    33
    """
    num, den = fps.numerator, fps.denominator
    return (2000 * den * frames + num) // (2 * num)


def ms_to_frames(ms: int, fps: Fraction, *, rounding: str = "nearest") -> int:
    """The frame at ``ms``: ``nearest`` (half up), ``floor`` or ``ceil`` (the IMSC rule).

    Raises:
        ValueError: for another ``rounding``.

    >>> ms_to_frames(frames_to_ms(12345, FPS_29_97), FPS_29_97)
    12345
    """
    num, den = fps.numerator, fps.denominator
    if rounding == "nearest":
        return (2 * num * ms + 1000 * den) // (2000 * den)
    if rounding == "floor":
        return (num * ms) // (1000 * den)
    if rounding == "ceil":
        return -((-num * ms) // (1000 * den))
    raise ValueError(f"unknown rounding {rounding!r}")


def frame_converters(fps: Fraction) -> tuple[Callable[[int], int], Callable[[int], int]]:
    """``(frames_to_ms, ms_to_frames)`` at one rate, its terms read once: for a reader's or writer's loop.

    Both give what :func:`frames_to_ms` and :func:`ms_to_frames` (nearest) give.

    >>> to_ms, to_frames = frame_converters(FPS_29_97)
    >>> to_ms(1), to_frames(33)
    (33, 1)
    """
    num, den = fps.numerator, fps.denominator
    ms_scale, ms_half, ms_divisor = 2000 * den, num, 2 * num
    frame_scale, frame_half, frame_divisor = 2 * num, 1000 * den, 2000 * den

    def to_ms(frames: int) -> int:
        return (ms_scale * frames + ms_half) // ms_divisor

    def to_frames(ms: int) -> int:
        return (frame_scale * ms + frame_half) // frame_divisor

    return to_ms, to_frames


def _nominal(fps: Fraction) -> int:
    if type(fps) is Fraction:
        return (2 * fps.numerator + fps.denominator) // (2 * fps.denominator)  # round_half_up, in integers
    return round_half_up(fps)


def _dropped_per_minute(fps: Fraction) -> int:
    # 29.97 drops 2 labels a minute, 59.94 drops 4 (formats.md §0).
    return 2 * (_nominal(fps) // 30)


def timecode_to_frames(
    hours: int, minutes: int, seconds: int, frames: int, fps: Fraction, *, drop_frame: bool = False
) -> int:
    """Frame count of a SMPTE label.

    Drop-frame labels skip ``;00`` and ``;01`` (``;00``-``;03`` at 59.94) at every
    minute not divisible by ten; a label in that gap is mapped to the first
    valid label of the minute, as tolerant readers do.

    >>> timecode_to_frames(0, 1, 0, 2, FPS_29_97, drop_frame=True)
    1800
    """
    nominal = _nominal(fps)
    total_minutes = 60 * hours + minutes
    count = (3600 * hours + 60 * minutes + seconds) * nominal + frames
    if drop_frame:
        drop = _dropped_per_minute(fps)
        if seconds == 0 and frames < drop and minutes % 10 != 0:
            count += drop - frames
        count -= drop * (total_minutes - total_minutes // 10)
    return count


def frames_to_timecode(count: int, fps: Fraction, *, drop_frame: bool = False) -> tuple[int, int, int, int]:
    """The SMPTE label ``(h, m, s, f)`` of frame ``count`` (``count >= 0``).

    >>> frames_to_timecode(1800, FPS_29_97, drop_frame=True)
    (0, 1, 0, 2)
    """
    nominal = _nominal(fps)
    if drop_frame:
        drop = _dropped_per_minute(fps)
        per_ten = nominal * 600 - drop * 9
        per_minute = nominal * 60 - drop
        tens, rest = divmod(count, per_ten)
        count += drop * 9 * tens
        if rest >= drop:
            count += drop * ((rest - drop) // per_minute)
    frames = count % nominal
    total_seconds = count // nominal
    return total_seconds // 3600, (total_seconds // 60) % 60, total_seconds % 60, frames


_TIMECODE = re.compile(r"^\s*(\d{1,3}):(\d{1,2})[:;.](\d{1,2})([:;.,])(\d{1,3})\s*$")


def parse_timecode(text: str, fps: Fraction, *, drop_frame: bool | None = None) -> int:
    """Frame count of ``HH:MM:SS:FF`` (``;`` before the frames means drop-frame).

    ``drop_frame=None`` takes it from the separator.

    Raises:
        ValueError: when ``text`` is not a timecode.
    """
    match = _TIMECODE.match(text)
    if not match:
        raise ValueError(f"not a timecode: {text!r}")
    h, m, s, sep, f = match.groups()
    df = sep == ";" if drop_frame is None else drop_frame
    return timecode_to_frames(int(h), int(m), int(s), int(f), fps, drop_frame=df)


def format_timecode(count: int, fps: Fraction, *, drop_frame: bool = False) -> str:
    """``HH:MM:SS:FF`` (``HH:MM:SS;FF`` for drop-frame) of frame ``count``."""
    h, m, s, f = frames_to_timecode(count, fps, drop_frame=drop_frame)
    return f"{h:02d}:{m:02d}:{s:02d}{';' if drop_frame else ':'}{f:02d}"


def _split(ms: int) -> tuple[str, int, int, int, int]:
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return sign, hours, minutes, seconds, millis


def format_srt(ms: int) -> str:
    """``HH:MM:SS,mmm``; negative times are clamped to zero.

    >>> format_srt(3723456)
    '01:02:03,456'
    """
    _, h, m, s, f = _split(max(ms, 0))
    return f"{h:02d}:{m:02d}:{s:02d},{f:03d}"


def format_vtt(ms: int, *, short: bool = False) -> str:
    """``HH:MM:SS.mmm`` (``MM:SS.mmm`` with ``short`` under an hour); negatives clamp to 0.

    >>> format_vtt(62005), format_vtt(62005, short=True)
    ('00:01:02.005', '01:02.005')
    """
    _, h, m, s, f = _split(max(ms, 0))
    if short and h == 0:
        return f"{m:02d}:{s:02d}.{f:03d}"
    return f"{h:02d}:{m:02d}:{s:02d}.{f:03d}"


def format_ass(ms: int) -> str:
    """``H:MM:SS.cc``, rounded to the nearest centisecond (half up), clamped to 0..9:59:59.99.

    >>> format_ass(3723456)
    '1:02:03.46'
    """
    cs = (max(ms, 0) + 5) // 10
    cs = min(cs, 3599999)
    seconds, cs = divmod(cs, 100)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{seconds:02d}.{cs:02d}"


def ass_round(ms: int) -> int:
    """What :func:`format_ass` keeps of ``ms``: the nearest 10 ms."""
    return min((max(ms, 0) + 5) // 10, 3599999) * 10


def decimal_ms(fraction: str | None) -> int:
    """Milliseconds of the 1-3 digits after a seconds field, read as a decimal fraction.

    >>> decimal_ms("5"), decimal_ms("50"), decimal_ms("500"), decimal_ms(None)
    (500, 500, 500, 0)
    """
    if not fraction:
        return 0
    return int(fraction.ljust(3, "0"))


def clock_ms(hours: str | None, minutes: str, seconds: str, fraction: str | None = None, sign: str = "") -> int:
    """Milliseconds of the matched fields of a clock time (fraction read as a decimal, see :func:`decimal_ms`).

    Fields above 59 add up arithmetically; a non-empty ``sign`` makes the time negative.

    >>> clock_ms("1", "02", "03", "45"), clock_ms(None, "2", "3"), clock_ms("0", "0", "1", "5", "-")
    (3723450, 123000, -1500)
    """
    value = ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + decimal_ms(fraction)
    return -value if sign else value


# --- SRT ------------------------------------------------------------------------------------------

#: One SRT time as the reader takes it. Groups: sign (with the blanks after it), hours, minutes,
#: seconds, fraction (digits past the third are ignored).
SRT_TIME = r"((?:-[ \t]*)?)(?:(\d{1,4})[:;])?(\d{1,3})[:;](\d{1,3})(?:[,.:;](\d{1,3})\d*)?"
_SRT = re.compile(SRT_TIME)
_SRT_CANONICAL = re.compile(r"\d{2,4}:[0-5]\d:[0-5]\d,\d\d\d")


def parse_srt(text: str, *, strict: bool = False) -> int | None:
    """Milliseconds of an SRT time as the SRT reader reads it, or ``None`` when it is not one.

    Lenient like the reader: ``.``/``:``/``;`` before the fraction, 1-3 fraction
    digits read as a decimal (further digits ignored), no hours, 1-3 digit fields,
    fields above 59 added up, a ``-`` sign. ``strict``: only ``HH:MM:SS,mmm``
    (two to four hour digits, minutes and seconds up to 59).

    >>> parse_srt("01:02:03,456"), parse_srt("1:2:3.5"), parse_srt("00:00:01,000", strict=True)
    (3723456, 3723500, 1000)
    """
    if strict:
        return parse_srt(text) if _SRT_CANONICAL.fullmatch(text) else None
    match = _SRT.fullmatch(text.strip(" \t"))
    if match is None:
        return None
    sign, h, m, s, frac = match.groups()
    return clock_ms(h, m, s, frac, sign)


# --- WebVTT ---------------------------------------------------------------------------------------

_VTT = re.compile(r"(\d+):(\d{2})(?::(\d{2}))?\.(\d{3})", re.ASCII)
_VTT_LOOSE = re.compile(r"(\d+)(?::(\d+))?(?::(\d+))?(?:([.,])(\d+))?", re.ASCII)


def vtt_fields_ms(first: str, second: str, third: str | None, fraction: str) -> int | None:
    """Milliseconds of the fields of a W3C timestamp, or ``None`` when the W3C parser rejects them.

    With two fields, the first is minutes only when it is two digits up to 59
    (otherwise it would be hours, and a seconds field is missing).
    """
    if third is None:
        if len(first) != 2 or int(first) > 59:
            return None
        hours, minutes, seconds = 0, int(first), int(second)
    else:
        hours, minutes, seconds = int(first), int(second), int(third)
    if minutes > 59 or seconds > 59:
        return None
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(fraction)


def parse_vtt_loose(text: str) -> tuple[int | None, list[str]]:
    """Read a WebVTT timestamp that W3C may reject: ``(ms, repairs)``, or ``(None, [why not])``.

    ``repairs`` says what differs from W3C (empty for a valid timestamp).
    Accepted: ``,`` before the fraction, no fraction, 1-3 fraction digits
    read as a decimal, 1-digit minutes and seconds, and a 2-field time whose
    first field is minutes up to 59 (W3C would read a first field that is not
    two digits as hours, and then need a seconds field).

    >>> parse_vtt_loose("00:01:39"), parse_vtt_loose("1:02,5")
    ((99000, ['no fraction']), (62500, ['1-digit minutes', "',' before the fraction", '1-digit fraction']))
    >>> parse_vtt_loose("120:00.000")
    (None, ['a first field above 59 without a seconds field: hours or minutes?'])
    """
    if not text:
        return None, ["missing"]
    match = _VTT_LOOSE.fullmatch(text)
    if match is None:
        return None, ["not a timestamp"]
    first, second, third, separator, fraction = match.groups()
    if second is None:
        return None, ["no minutes field"]
    repairs: list[str] = []
    if third is None:
        minutes_text, seconds_text = first, second
        if int(first) > 59:
            return None, ["a first field above 59 without a seconds field: hours or minutes?"]
        if len(first) != 2:
            repairs.append(f"{len(first)}-digit minutes")
        hours = 0
    else:
        minutes_text, seconds_text = second, third
        if len(second) > 2:
            return None, ["more than 2 minute digits"]
        if len(second) == 1:
            repairs.append("1-digit minutes")
        hours = int(first)
    if len(seconds_text) > 2:
        return None, ["more than 2 second digits"]
    if len(seconds_text) == 1:
        repairs.append("1-digit seconds")
    minutes, seconds = int(minutes_text), int(seconds_text)
    if minutes > 59:
        return None, ["minutes above 59"]
    if seconds > 59:
        return None, ["seconds above 59"]
    if separator is None:
        repairs.append("no fraction")
        millis = 0
    else:
        if separator == ",":
            repairs.append("',' before the fraction")
        if len(fraction) > 3:
            return None, ["more than 3 fraction digits"]
        if len(fraction) < 3:
            repairs.append(f"{len(fraction)}-digit fraction")
        millis = decimal_ms(fraction)
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis, repairs


def parse_vtt(text: str, *, strict: bool = False) -> int | None:
    """Milliseconds of a WebVTT timestamp as the WebVTT reader reads it, or ``None``.

    ``strict``: the W3C parser's rules (``None`` for anything it rejects);
    otherwise what the reader also accepts with a repair (see
    :func:`parse_vtt_loose`).

    >>> parse_vtt("01:02.500"), parse_vtt("1:02:03.000"), parse_vtt("1:02.000", strict=True)
    (62500, 3723000, None)
    >>> parse_vtt("00:01:02,5")
    62500

    Blanks around the timestamp are skipped, as the W3C parser skips them in a timing line.
    """
    text = text.strip(" \t\f\r")
    match = _VTT.fullmatch(text)
    if match is not None:
        ms = vtt_fields_ms(*match.groups())
        if ms is not None or strict:
            return ms
    if strict:
        return None
    return parse_vtt_loose(text)[0]


# --- TTML -----------------------------------------------------------------------------------------

_TTML_CLOCK = re.compile(r"(\d+):(\d{1,2}):(\d{1,2})(?:([.,]\d*)|:(\d+)(?:\.(\d+))?)?")
_TTML_MINUTES_SECONDS = re.compile(r"(\d+):(\d{1,2}(?:[.,]\d+)?)")
_TTML_OFFSET = re.compile(r"(\d+(?:[.,]\d*)?|[.,]\d+)(h|ms|m|s|f|t)?")
_TTML_UNITS = {"h": Fraction(3600), "m": Fraction(60), "s": Fraction(1), "ms": Fraction(1, 1000)}


#: ``note(category, message, action)``: hears of a deviation a TTML time reader repaired (as for ASS times).
TtmlNote = Callable[[str, str, str], None]

#: The TTML time expressions: a clock time, ``m:ss.fff`` without hours (a leniency), an offset time.
TTML_CLOCK = _TTML_CLOCK
TTML_MINUTES_SECONDS = _TTML_MINUTES_SECONDS
TTML_OFFSET = _TTML_OFFSET


def ttml_clock_seconds(clock: re.Match[str], fps: Fraction, sub_fps: int, note: TtmlNote) -> Fraction:
    """Seconds of a matched TTML clock time in the media time base (frames at ``fps``, sub-frames at ``sub_fps``).

    Fields above 59 and frames at or above the rate add up; ``note`` hears of each, and of ``,`` as
    decimal separator.
    """
    value = clock.group(0)
    hours, minutes, seconds = int(clock.group(1)), int(clock.group(2)), int(clock.group(3))
    fraction, frames, sub = clock.group(4), clock.group(5), clock.group(6)
    if minutes > 59 or seconds > 60:
        note("time-overflow", f"minutes or seconds above 59 in {value!r}", "added them up")
    total = Fraction(hours * 3600 + minutes * 60 + seconds)
    if fraction:
        if "," in fraction:
            note("decimal-comma", f"',' as decimal separator in time {value!r}", "read it as '.'")
        digits = fraction[1:]
        if digits:
            total += Fraction(int(digits), 10 ** len(digits))
    elif frames is not None:
        if int(frames) >= fps:
            note("frame-overflow", f"frame {frames} at or above the frame rate in {value!r}", "added it up")
        total += Fraction(int(frames)) / fps
        if sub:
            total += Fraction(int(sub), sub_fps) / fps
    return total


def ttml_minutes_seconds(short: re.Match[str], note: TtmlNote) -> Fraction:
    """Seconds of ``m:ss.fff`` (a clock time without hours, which some files write); ``note`` hears of it."""
    note("no-hours", f"clock time {short.group(0)!r} without hours", "read it as minutes:seconds")
    return int(short.group(1)) * 60 + Fraction(short.group(2).replace(",", "."))


def ttml_offset_seconds(number_text: str, unit: str | None, fps: Fraction, tick_rate: Fraction | None,
                        note: TtmlNote) -> Fraction:
    """Seconds of a TTML offset time ``1.5s``, ``10f``, ``5t``... (no unit: seconds, noted).

    Without a tick rate a tick is a second, as specified, except for counts in the millions: those
    are the 10 MHz convention of common authoring tools (noted).
    """
    value = number_text + (unit or "")
    if "," in number_text:
        note("decimal-comma", f"',' as decimal separator in time {value!r}", "read it as '.'")
        number_text = number_text.replace(",", ".")
    number = Fraction(number_text)
    if unit is None:
        note("no-unit", f"time {value!r} has no unit", "read it as seconds")
        return number
    if unit in _TTML_UNITS:
        return number * _TTML_UNITS[unit]
    if unit == "f":
        return number / fps
    if tick_rate is None:
        if number >= 10_000_000:
            note("tick-rate", "tick times without ttp:tickRate", "assumed 10000000 ticks per second")
            tick_rate = Fraction(10_000_000)
        else:
            tick_rate = Fraction(1)
    return number / tick_rate


def parse_ttml(text: str, *, fps: Fraction = Fraction(30), sub_fps: int = 1, tick_rate: Fraction | None = None,
               strict: bool = False) -> int | None:
    """Milliseconds of a TTML time expression in the media time base, as the TTML reader reads it, or ``None``.

    Clock times (``01:02:03.456``, ``01:02:03:12`` with frames at ``fps`` and
    ``.sub`` frames at ``sub_fps``) and offset times (``1.5s``, ``2m``,
    ``1h``, ``500ms``, ``12f``, ``5t`` at ``tick_rate``; without a tick rate 1
    tick a second, or 10,000,000 for counts in the millions). Lenient like
    the reader: ``,`` as decimal separator, a number without a unit (seconds),
    ``m:ss.fff`` without hours, fields above 59 and frames above the rate
    (added up). ``strict`` gives ``None`` for each of those. Milliseconds are
    rounded half up, once.

    >>> parse_ttml("00:00:01.500"), parse_ttml("00:00:01:15"), parse_ttml("1.5s"), parse_ttml("1:02.5")
    (1500, 1500, 1500, 62500)
    >>> parse_ttml("1:02.5", strict=True), parse_ttml("wallclock(2020-01-01T00:00:00)")
    (None, None)
    """
    value = text.strip()
    notes: list[str] = []

    def note(category: str, message: str, action: str) -> None:
        notes.append(category)

    clock = _TTML_CLOCK.fullmatch(value)
    short = None if clock else _TTML_MINUTES_SECONDS.fullmatch(value)
    offset = None if clock or short else _TTML_OFFSET.fullmatch(value)
    if clock:
        seconds = ttml_clock_seconds(clock, fps, sub_fps, note)
    elif short:
        seconds = ttml_minutes_seconds(short, note)
    elif offset:
        seconds = ttml_offset_seconds(offset.group(1), offset.group(2), fps, tick_rate, note)
    else:
        return None
    if strict and notes:
        return None
    if 1000 % seconds.denominator == 0:
        return seconds.numerator * (1000 // seconds.denominator)
    return round_half_up(seconds * 1000)


# --- ASS ------------------------------------------------------------------------------------------

_ASS = re.compile(r"\s*(-?)\s*(?:(\d+):)?(\d+):(\d+)(?:[.,:](\d+))?\s*")
_ASS_FAST = re.compile(r"(\d):([0-5]\d):([0-5]\d)\.(\d\d)")
_ASS_STANDARD = re.compile(r"-?\d:\d\d:\d\d\.\d\d")
_ASS_HEAD = re.compile(r"\d:[0-5]\d:")
_ASS_TAIL = re.compile(r"[0-5]\d\.\d\d")
#: Milliseconds of the ``H:MM:`` and ``SS.cc`` halves of standard ASS times met so far (at most 600 and 6,000).
_ASS_HEAD_MS: dict[str, int] = {}
_ASS_TAIL_MS: dict[str, int] = {}


def _no_note(category: str, message: str, action: str) -> None:
    """A ``note`` callback that drops what it is told."""


def parse_ass(
    text: str, note: Callable[[str, str, str], None] | None = None, *, strict: bool = False
) -> int | None:
    """Milliseconds of an ASS time as the ASS reader reads it, or ``None`` when it is not one.

    One or two fraction digits count centiseconds (as libass and VSFilter read
    them, so ``.5`` is 50 ms); three digits are read as milliseconds and more as
    a decimal fraction. Hours may be missing, fields above 59 add up.
    ``note(category, message, action)`` hears of each deviation from
    ``H:MM:SS.cc``; ``strict`` gives ``None`` for any of them and for a
    negative time. A comma is never part of a time: in a script it separates
    the fields of the line, so the reader cannot meet one in a time.

    >>> parse_ass("0:00:01.5"), parse_ass("0:00:01.50"), parse_ass("0:00:01.500")
    (1050, 1500, 1500)
    """
    fast = _ASS_FAST.fullmatch(text)
    if fast:
        h, m, s, cs = fast.groups()
        return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(cs) * 10
    if "," in text:
        return None
    if strict:
        noted: list[str] = []
        value = parse_ass(text, lambda category, message, action: noted.append(category))
        return None if noted or (value is not None and value < 0) else value
    note = note or _no_note
    match = _ASS.fullmatch(text)
    if not match:
        return None
    sign, h, m, s, frac = match.groups()
    minutes, seconds = int(m), int(s)
    value = ((int(h or 0) * 60 + minutes) * 60 + seconds) * 1000
    if frac:
        if len(frac) <= 2:
            value += int(frac) * 10  # a count of centiseconds, as libass and VSFilter read it
        elif len(frac) == 3:
            note("time-ms", "three-digit fraction in a time",
                 "read it as milliseconds (renderers read centiseconds)")
            value += int(frac)
        else:
            note("time-ms", "long fraction in a time", "read it as a decimal fraction, rounded to ms")
            value += round_half_up(Fraction(int(frac), 10 ** len(frac)) * 1000)
    if minutes > 59 or seconds > 59:
        note("time-overflow", "minutes or seconds above 59", "added them up")
    if not _ASS_STANDARD.fullmatch(text.strip()):
        note("time-format", f"non-standard time {text.strip()!r} (expected H:MM:SS.cc)", "read it leniently")
    return -value if sign else value


def ass_standard_ms(text: str) -> int | None:
    """Milliseconds of a time written exactly ``H:MM:SS.cc`` (what :func:`parse_ass` gives), else ``None``.

    The reader's short path: the two halves are looked up in caches filled as
    times are met, so a script's times cost two dictionary look-ups each.
    """
    if len(text) != 10:
        return None
    head = text[:5]
    ms = _ASS_HEAD_MS.get(head)
    if ms is None:
        if not _ASS_HEAD.fullmatch(head):
            return None
        ms = _ASS_HEAD_MS[head] = int(head[0]) * 3_600_000 + int(head[2:4]) * 60_000
    tail = text[5:]
    rest = _ASS_TAIL_MS.get(tail)
    if rest is None:
        if not _ASS_TAIL.fullmatch(tail):
            return None
        rest = _ASS_TAIL_MS[tail] = int(tail[:2]) * 1000 + int(tail[3:]) * 10
    return ms + rest


_CLOCK = re.compile(r"(?:(?:(\d+):)?(\d+):)?(\d+)(?:[.,](\d+))?")
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_UNITS = re.compile(rf"(?:{_NUMBER}\s*h)?\s*(?:{_NUMBER}\s*(?:min|m(?!s)))?\s*(?:{_NUMBER}\s*s)?\s*(?:{_NUMBER}\s*ms)?",
                    re.IGNORECASE)
_FRAME_COUNT = re.compile(r"(\d+)\s*f", re.IGNORECASE)
_SMPTE = re.compile(r"\d{1,3}:\d{1,2}:\d{1,2}[:;]\d{1,3}")

#: A time as library functions take it: ``int`` milliseconds, a ``timedelta``, or a duration string.
Duration = int | timedelta | str

#: The duration syntax, for error messages.
DURATION_HINT = "e.g. 1500ms, 1.5s, 1m30s, 1h, 90 (seconds), 01:02:03.500, or HH:MM:SS:FF with a frame rate"


def _decimal(text: str) -> Fraction:
    return Fraction(text.replace(",", "."))


def parse_duration(text: str, *, fps: Fraction | None = None, name: str | None = None) -> int:
    """Milliseconds of a duration in the one syntax every option and function shares.

    ====================  ===========================================
    form                  meaning
    ====================  ===========================================
    ``90``, ``1.5``       seconds (a bare number is always seconds)
    ``1500ms``            milliseconds
    ``1.5s``              seconds
    ``2m``, ``2min``      minutes
    ``1h``                hours
    ``1h2m3.5s``          units combined, largest first
    ``01:02:03.500``      clock (``02:03.5`` and ``,`` also read)
    ``01:02:03:12``       SMPTE timecode; ``;`` before the frames is drop-frame (needs ``fps``)
    ``12f``               frames (needs ``fps``)
    ====================  ===========================================

    A leading ``+`` or ``-`` gives the sign. Fractions of a millisecond round
    half up, once.

    Args:
        text: the duration.
        fps: the programme's frame rate, for timecodes and frame counts.
        name: the option or argument the text came from, named in errors.

    Raises:
        ValueError: when ``text`` is not a duration, or needs a frame rate that was not given.

    >>> parse_duration("1m30s"), parse_duration("90"), parse_duration("1500ms"), parse_duration("01:00:00.5")
    (90000, 90000, 1500, 3600500)
    """
    where = f"{name}: " if name else ""
    cleaned = str(text).strip()
    sign = 1
    if cleaned[:1] in "+-" and cleaned:
        sign = -1 if cleaned[0] == "-" else 1
        cleaned = cleaned[1:].strip()
    if not cleaned:
        raise ValueError(f"{where}not a duration: {text!r} ({DURATION_HINT})")
    frames = _FRAME_COUNT.fullmatch(cleaned)
    smpte = _SMPTE.fullmatch(cleaned)
    if frames or smpte:
        if fps is None:
            raise ValueError(f"{where}{text!r} counts frames: give the frame rate (--fps)")
        count = int(frames.group(1)) if frames else parse_timecode(cleaned, fps)
        return sign * frames_to_ms(count, fps)
    clock = _CLOCK.fullmatch(cleaned)
    if clock:
        h, m, s, frac = clock.groups()
        if (h or m) and int(s) > 59:
            raise ValueError(f"{where}seconds above 59 in {text!r}")
        if h and m and int(m) > 59:
            raise ValueError(f"{where}minutes above 59 in {text!r}")
        seconds = Fraction((int(h or 0) * 60 + int(m or 0)) * 60 + int(s))
        if frac:
            seconds += Fraction(int(frac), 10 ** len(frac))
        return sign * round_half_up(seconds * 1000)
    units = _UNITS.fullmatch(cleaned)
    if units and any(units.groups()):
        h, m, s, ms = (_decimal(g) if g else Fraction(0) for g in units.groups())
        return sign * round_half_up(((h * 60 + m) * 60 + s) * 1000 + ms)
    raise ValueError(f"{where}not a duration: {text!r} ({DURATION_HINT})")


def to_ms(value: Duration, *, fps: Fraction | None = None, name: str | None = None) -> int:
    """Milliseconds of a time given to a library function: ``int`` ms, a :class:`~datetime.timedelta`, or a string.

    Strings use :func:`parse_duration` (a bare number is seconds). A ``float``
    is refused: ``2.0`` could mean seconds or milliseconds.

    Raises:
        ValueError: not a time (a float, a bool, or text that is not a duration).

    >>> to_ms(1500), to_ms(timedelta(seconds=1.5)), to_ms("1.5s")
    (1500, 1500, 1500)
    """
    where = f"{name}: " if name else ""
    if isinstance(value, bool):
        raise ValueError(f"{where}not a time: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, timedelta):
        return round_half_up(Fraction(value // timedelta(microseconds=1), 1000))
    if isinstance(value, str):
        return parse_duration(value, fps=fps, name=name)
    if isinstance(value, float):
        raise ValueError(f"{where}{value!r} is ambiguous: give int milliseconds ({round(value * 1000)}), "
                         f"a timedelta, or a string such as '{value:g}s'")
    raise ValueError(f"{where}not a time: {value!r} (int milliseconds, timedelta or a duration string)")


def parse_clock(text: str) -> int:
    """Milliseconds of a human time: ``1:02:03.5``, ``02:03,250``, ``62.5``, ``62.5s``, ``1500ms``, ``1m30s``.

    The same syntax as :func:`parse_duration`, without frames.

    Raises:
        ValueError: when ``text`` is not a time.

    >>> parse_clock("1:02:03.5"), parse_clock("90"), parse_clock("250ms")
    (3723500, 90000, 250)
    """
    return parse_duration(text)


def format_clock(ms: int) -> str:
    """``H:MM:SS.mmm`` for messages and JSON output.

    >>> format_clock(3723456)
    '1:02:03.456'
    """
    sign, h, m, s, f = _split(ms)
    return f"{sign}{h:d}:{m:02d}:{s:02d}.{f:03d}"


# --- the clock notations of the line and block formats --------------------------------------------

#: One SBV time as the SBV reader takes it. Groups: hours, minutes, seconds, separator, fraction.
SBV_TIME = r"(\d{1,2}):(\d{1,2}):(\d{1,2})(?:([.,:])(\d{1,3}))?"
_SBV = re.compile(SBV_TIME)
_SBV_CANONICAL = re.compile(r"\d{1,2}:[0-5]\d:[0-5]\d\.\d{3}")


def parse_sbv(text: str, *, strict: bool = False) -> int | None:
    """Milliseconds of an SBV time ``H:MM:SS.mmm`` as the SBV reader reads it, or ``None``.

    Lenient: ``:`` or ``,`` before the fraction, 1-2 fraction digits (a
    decimal: ``.5`` is 500 ms), no fraction, 1-digit fields, fields above 59
    (added up), blanks around it. ``strict``: ``H:MM:SS.mmm`` only.

    >>> parse_sbv("1:02:03.456"), parse_sbv("0:00:01.5"), parse_sbv("0:00:01.5", strict=True)
    (3723456, 1500, None)
    """
    if strict and not _SBV_CANONICAL.fullmatch(text):
        return None
    match = _SBV.fullmatch(text.strip(" \t"))
    if match is None:
        return None
    h, m, s, _sep, frac = match.groups()
    return clock_ms(h, m, s, frac)


#: One SubViewer 2.0 time. Groups: sign, hours, minutes, seconds, fraction.
SUBVIEWER_TIME = r"(-?)(\d{1,2}):(\d{1,2}):(\d{1,2})[.,:](\d{1,3})"
_SUBVIEWER = re.compile(SUBVIEWER_TIME)
_SUBVIEWER_CANONICAL = re.compile(r"-?\d\d:\d\d:\d\d\.\d\d")


def parse_subviewer(text: str, *, strict: bool = False) -> int | None:
    """Milliseconds of a SubViewer 2.0 time ``HH:MM:SS.cc``, or ``None``.

    The fraction is a decimal: two digits are centiseconds, three
    milliseconds, one tenths. Lenient: ``,`` or ``:`` before it, 1-digit
    fields, a ``-`` sign (the reader keeps negative times with a warning),
    blanks around it. ``strict``: ``HH:MM:SS.cc`` only, not negative.

    >>> parse_subviewer("01:02:03.45"), parse_subviewer("0:0:1,500"), parse_subviewer("-00:00:01.00", strict=True)
    (3723450, 1500, None)
    """
    if strict and (not _SUBVIEWER_CANONICAL.fullmatch(text) or text.startswith("-")):
        return None
    match = _SUBVIEWER.fullmatch(text.strip(" \t"))
    if match is None:
        return None
    sign, h, m, s, frac = match.groups()
    return clock_ms(h, m, s, frac, sign)


#: One SubViewer 1.0 time line ``[HH:MM:SS]``. Groups: hours, minutes, seconds, fraction.
SUBVIEWER1_STAMP = r"\[(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?\]"
_SUBVIEWER1 = re.compile(SUBVIEWER1_STAMP)
_SUBVIEWER1_CANONICAL = re.compile(r"\[\d\d:\d\d:\d\d\]")


def parse_subviewer1(text: str, *, strict: bool = False) -> int | None:
    """Milliseconds of a SubViewer 1.0 time line ``[HH:MM:SS]``, or ``None``.

    Lenient: a decimal fraction (``[00:00:01.50]``), 1-digit fields.
    ``strict``: ``[HH:MM:SS]`` only.

    >>> parse_subviewer1("[01:02:03]"), parse_subviewer1("[0:0:1.5]"), parse_subviewer1("[0:0:1.5]", strict=True)
    (3723000, 1500, None)
    """
    if strict and not _SUBVIEWER1_CANONICAL.fullmatch(text):
        return None
    match = _SUBVIEWER1.fullmatch(text)
    if match is None:
        return None
    h, m, s, frac = match.groups()
    return clock_ms(h, m, s, frac)


#: One TMPlayer time (before the ``:`` or ``=`` that ends it), with the ``,N`` line number of
#: TMPlayer+ multi-line cues. Groups: sign, hours, minutes, seconds, line number.
TMPLAYER_TIME = r"(-?)(\d{1,2}):(\d{1,2}):(\d{1,2})(?:,(\d+))?"
_TMPLAYER = re.compile(TMPLAYER_TIME)


def parse_tmplayer(text: str, *, strict: bool = False) -> int | None:
    """Milliseconds of a TMPlayer time ``HH:MM:SS`` (whole seconds), or ``None``.

    Blanks before it and a TMPlayer+ ``,N`` line number after it are part of
    the notation (the number says which line of the cue follows, not a
    fraction). Lenient: a ``-`` sign, minutes or seconds above 59 (added up).
    ``strict``: neither.

    >>> parse_tmplayer("01:02:03"), parse_tmplayer("00:00:01,2"), parse_tmplayer("0:00:75", strict=True)
    (3723000, 1000, None)
    """
    match = _TMPLAYER.fullmatch(text.lstrip(" \t"))
    if match is None:
        return None
    sign, h, m, s, _line = match.groups()
    if strict and (sign or int(m) > 59 or int(s) > 59):
        return None
    return clock_ms(h, m, s, None, sign)


#: One LRC time (inside ``[...]`` or ``<...>``). Groups: sign, minutes, seconds, fraction.
LRC_TIME = r"(-?)(\d+):(\d+)(?:[.:](\d{1,3}))?"
_LRC = re.compile(LRC_TIME)
_LRC_CANONICAL = re.compile(r"\d\d+:[0-5]\d\.\d\d\d?")


def lrc_ms(sign: str, minutes: str, seconds: str, fraction: str | None) -> int:
    """Milliseconds of the matched fields of an LRC time (no hours: minutes go past 59)."""
    return clock_ms(None, minutes, seconds, fraction, sign)


def parse_lrc(text: str, *, strict: bool = False) -> int | None:
    """Milliseconds of an LRC time ``mm:ss.xx``, or ``None``.

    Lenient: ``:`` before the fraction, no fraction, 1-3 fraction digits (a
    decimal), seconds above 59 (added up), a ``-`` sign; blanks around it
    (inside the tag's brackets). ``strict``: two or more minute digits,
    seconds up to 59 and two or three fraction digits.

    >>> parse_lrc("62:03.45"), parse_lrc("1:02:5"), parse_lrc("1:02", strict=True)
    (3723450, 62500, None)
    """
    text = text.strip(" \t")
    if strict and not _LRC_CANONICAL.fullmatch(text):
        return None
    match = _LRC.fullmatch(text)
    if match is None:
        return None
    return lrc_ms(*match.groups())


_MPL2 = re.compile(r"-?\d+")


def parse_mpl2(text: str, *, strict: bool = False) -> int | None:
    """Milliseconds of an MPL2 time, a count of deciseconds (negative kept unless ``strict``).

    >>> parse_mpl2("37235"), parse_mpl2("-5"), parse_mpl2("-5", strict=True)
    (3723500, -500, None)
    """
    if not _MPL2.fullmatch(text) or (strict and text.startswith("-")):
        return None
    return int(text) * 100


def parse_microdvd(text: str, fps: Fraction, *, strict: bool = False) -> int | None:
    """Milliseconds at the start of the MicroDVD frame ``text`` at ``fps`` (negative kept unless ``strict``).

    >>> parse_microdvd("25", Fraction(25)), parse_microdvd("-25", Fraction(25))
    (1000, -1000)
    """
    if not _MPL2.fullmatch(text) or (strict and text.startswith("-")):
        return None
    return frames_to_ms(int(text), fps)


#: One QuickTime Text stamp. Groups: hours, minutes, seconds, fraction (in units of the time scale).
QT_STAMP = r"\[[ \t]*(\d{1,3}):(\d{1,2}):(\d{1,2})(?:[.:,](\d{1,5}))?[ \t]*\]"
_QT = re.compile(QT_STAMP)


def scaled_ms(hours: str, minutes: str, seconds: str, units: str | None, scale: int) -> int:
    """Milliseconds of ``h:m:s`` plus ``units`` of ``1/scale`` second (rounded half up).

    >>> scaled_ms("0", "0", "1", "15", 30)
    1500
    """
    total = ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * scale + (int(units) if units else 0)
    return (2000 * total + scale) // (2 * scale)


def parse_qt_text(text: str, scale: int = 1000, *, strict: bool = False) -> int | None:
    """Milliseconds of a QuickTime Text stamp ``[HH:MM:SS.ff]`` whose fraction counts ``1/scale`` s.

    Lenient: spaces inside the brackets, ``:`` or ``,`` before the fraction,
    no fraction, 1-digit fields, a fraction at or above the scale (added up).
    ``strict``: a fraction below the scale (the one thing the reader diagnoses).

    >>> parse_qt_text("[00:00:01.15]", 30), parse_qt_text("[00:00:01.300]", 600)
    (1500, 1500)
    """
    match = _QT.fullmatch(text)
    if match is None:
        return None
    h, m, s, units = match.groups()
    if strict and units and int(units) >= scale:
        return None
    return scaled_ms(h, m, s, units, scale)


def units_ms(ms: int, unit_ms: int) -> int:
    """``ms`` in units of ``unit_ms`` (deciseconds, seconds...), rounded half up (exact integer arithmetic).

    >>> units_ms(150, 100), units_ms(-150, 100), units_ms(1499, 1000)
    (2, -1, 1)
    """
    return (2 * ms + unit_ms) // (2 * unit_ms)


class ClockFormat:
    """``HH:MM:SS.fff`` writer of one notation, with the ``HH:MM:`` prefix formatted once per minute.

    Times are rounded half up to ``1/scale`` second (``scale`` 1000:
    milliseconds, 100: centiseconds, 1: whole seconds, with no fraction);
    the fraction has as many digits as ``scale - 1`` unless ``fraction_digits``
    says otherwise. Negative times are clamped to zero, or written with a
    ``-`` when ``signed``.

    >>> ClockFormat(1)(3723456), ClockFormat(2, ",", 100)(3723456), ClockFormat(scale=1)(-1500)
    ('1:02:03.456', '01:02:03,46', '00:00:00')
    """

    __slots__ = ("_prefix", "_scale", "_separator", "_signed", "_width")

    def __init__(self, hour_digits: int = 2, separator: str = ".", scale: int = 1000, *, signed: bool = False,
                 fraction_digits: int | None = None) -> None:
        self._prefix = MinutePrefix(hour_digits)
        self._separator = separator
        self._scale = scale
        if fraction_digits is None:
            fraction_digits = len(str(scale - 1)) if scale > 1 else 0
        self._width = fraction_digits
        self._signed = signed

    def __call__(self, ms: int) -> str:
        sign = ""
        if ms < 0:
            if not self._signed:
                ms = 0
            else:
                sign, ms = "-", -ms
        scale = self._scale
        if scale == 1000:
            minute, rest = divmod(ms, 60_000)
            return f"{sign}{self._prefix(minute)}{rest // 1000:02d}{self._separator}{rest % 1000:03d}"
        seconds, units = divmod((2 * scale * ms + 1000) // 2000, scale)
        minute, second = divmod(seconds, 60)
        if not self._width:
            return f"{sign}{self._prefix(minute)}{second:02d}"
        return f"{sign}{self._prefix(minute)}{second:02d}{self._separator}{units:0{self._width}d}"


def format_sbv(ms: int) -> str:
    """``H:MM:SS.mmm`` as YouTube writes it (negative times clamp to zero).

    >>> format_sbv(3723456)
    '1:02:03.456'
    """
    return ClockFormat(1)(ms)


def format_subviewer(ms: int) -> str:
    """``HH:MM:SS.cc``, rounded to the nearest centisecond; negative times clamp to zero.

    >>> format_subviewer(3723456)
    '01:02:03.46'
    """
    return ClockFormat(2, ".", 100)(ms)


def format_subviewer1(ms: int) -> str:
    """``[HH:MM:SS]``, rounded to the nearest second (half up); negative times clamp to zero.

    >>> format_subviewer1(3723500)
    '[01:02:04]'
    """
    return f"[{ClockFormat(scale=1)(ms)}]"


def format_tmplayer(ms: int) -> str:
    """``HH:MM:SS`` of the whole seconds of ``ms`` (truncated), with a ``-`` for negative times.

    >>> format_tmplayer(3723900), format_tmplayer(-5000)
    ('01:02:03', '-00:00:05')
    """
    sign = "-" if ms < 0 else ""
    seconds = abs(ms) // 1000
    return f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def format_lrc(ms: int, precision: int = 2) -> str:
    """``mm:ss.xx`` (``precision`` 2, rounded half up) or ``mm:ss.xxx`` (3); minutes go past 59.

    >>> format_lrc(3723456), format_lrc(-1500, 3)
    ('62:03.46', '-00:01.500')
    """
    sign = "-" if ms < 0 else ""
    value = abs(ms)
    if precision == 2:
        cs = units_ms(value, 10)
        return f"{sign}{cs // 6000:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"
    return f"{sign}{value // 60000:02d}:{value // 1000 % 60:02d}.{value % 1000:03d}"


def format_qt_text(ms: int, scale: int) -> str:
    """``[HH:MM:SS.ff]`` with the fraction in ``1/scale`` s (rounded half up); negatives clamp to zero.

    >>> format_qt_text(1500, 30), format_qt_text(1500, 1000), format_qt_text(1500, 1)
    ('[00:00:01.15]', '[00:00:01.500]', '[00:00:02.0]')
    """
    return f"[{ClockFormat(2, '.', scale, fraction_digits=len(str(scale - 1)))(ms)}]"


_HEAD = re.compile(r"\d\d:[0-5]\d:")
#: Milliseconds of the ``HH:MM:`` heads of canonical clock times met so far (at most 6,000), filled
#: by :func:`head_ms`; a reader may look a head up here first and call :func:`head_ms` on a miss.
HEAD_MS: dict[str, int] = {}
#: Milliseconds of two-digit seconds fields.
SECONDS_MS: dict[str, int] = {f"{n:02d}": n * 1000 for n in range(60)}


def head_ms(head: str) -> int | None:
    """Milliseconds of an ``HH:MM:`` head (two-digit fields, minutes up to 59), else ``None``.

    The readers' short path for canonical clock times: a head is parsed once
    and looked up afterwards (cues come in order, so heads repeat).

    >>> head_ms("01:02:"), head_ms("1:02:0")
    (3720000, None)
    """
    ms = HEAD_MS.get(head)
    if ms is None:
        if not _HEAD.fullmatch(head):
            return None
        ms = HEAD_MS[head] = int(head[:2]) * 3_600_000 + int(head[3:5]) * 60_000
    return ms
