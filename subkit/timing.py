"""All time arithmetic: parsing and formatting per notation, frames and timecodes.

Times in the model are ``int`` milliseconds. Conversions from frames or other
units use :class:`fractions.Fraction` and round exactly once, at the edge, with
the rule named at each function (half-up on exact ties unless said otherwise).

Notations handled here:

=============  ==========================  ====================================
notation       example                     used by
=============  ==========================  ====================================
SRT            ``01:02:03,456``            SRT (``.`` also read)
WebVTT         ``01:02:03.456``/``02:03.456``  WebVTT cue times, inner timestamps
ASS            ``1:02:03.45``              ASS/SSA (centiseconds)
duration       ``1m30s``, ``1.5``, ``2f``  every option and function taking a time
                                           (:func:`parse_duration`, :func:`to_ms`)
SMPTE          ``01:02:03:04``/``;04``     frame-based formats (NDF and DF)
=============  ==========================  ====================================
"""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction

__all__ = [
    "FPS_23_976",
    "FPS_29_97",
    "FPS_59_94",
    "Duration",
    "MinutePrefix",
    "format_ass",
    "format_clock",
    "format_srt",
    "format_timecode",
    "format_vtt",
    "frames_to_ms",
    "frames_to_timecode",
    "ms_to_frames",
    "parse_ass",
    "parse_clock",
    "parse_duration",
    "parse_fps",
    "parse_timecode",
    "parse_vtt",
    "round_half_up",
    "timecode_to_frames",
    "to_ms",
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

    >>> frames_to_ms(1, FPS_29_97)
    33
    """
    return round_half_up(Fraction(frames * 1000) / fps)


def ms_to_frames(ms: int, fps: Fraction, *, rounding: str = "nearest") -> int:
    """The frame at ``ms``: ``nearest`` (half up), ``floor`` or ``ceil`` (the IMSC rule).

    >>> ms_to_frames(frames_to_ms(12345, FPS_29_97), FPS_29_97)
    12345
    """
    exact = Fraction(ms) * fps / 1000
    if rounding == "nearest":
        return round_half_up(exact)
    if rounding == "floor":
        return exact.__floor__()
    if rounding == "ceil":
        return exact.__ceil__()
    raise ValueError(f"unknown rounding {rounding!r}")


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


_VTT = re.compile(r"(\d{2,}):(\d{2}):(\d{2})\.(\d{3})|(\d{2}):(\d{2})\.(\d{3})")


def parse_vtt(text: str) -> int | None:
    """Milliseconds of a WebVTT timestamp, or ``None`` when it breaks the W3C rules.

    >>> parse_vtt("01:02.500"), parse_vtt("1:02:03.000"), parse_vtt("1:02.000")
    (62500, None, None)
    """
    match = _VTT.fullmatch(text)
    if not match:
        return None
    if match.group(1) is not None:
        h, m, s, f = (int(g) for g in match.group(1, 2, 3, 4))
    else:
        h = 0
        m, s, f = (int(g) for g in match.group(5, 6, 7))
    if m > 59 or s > 59:
        return None
    return ((h * 60 + m) * 60 + s) * 1000 + f


_ASS = re.compile(r"\s*(-?)(\d+):(\d+):(\d+)(?:[.:](\d+))?\s*")


def parse_ass(text: str) -> int | None:
    """Milliseconds of an ASS time ``H:MM:SS.cc`` (fraction read as centiseconds, like libass).

    >>> parse_ass("0:00:01.5"), parse_ass("0:00:01.50")
    (1050, 1500)
    """
    match = _ASS.fullmatch(text)
    if not match:
        return None
    sign, h, m, s, frac = match.groups()
    value = ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + (int(frac) * 10 if frac else 0)
    return -value if sign else value


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
