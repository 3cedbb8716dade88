"""Deterministic SRT and WebVTT test files for the benchmark.

The same seeded cue list feeds both formats, so an SRT file and a WebVTT file
of the same size hold the same cues. The cues look like real dialogue
subtitles:

* one line (about 60 %) or two lines (about 40 %) of text, mostly 15-42
  characters, about 8 % of the lines 50-80 characters long;
* about 12 % of the cues wrapped in ``<i>``, 4 % with a ``<b>`` word and a few
  with a dialogue dash or an accented word;
* gaps of 0.1-1.2 s between cues and durations of 0.8-4.2 s (100k cues span
  about 88 hours, which keeps every timestamp below 100 hours, so two digits);
* WebVTT only: about 20 % of the cues carry an id and about 10 % cue settings
  (``line:``, ``position:``, ``align:``, ``size:``).

The **realistic** mix (``realistic=True``, the bench's default corpus) adds
what real files have and the plain mix lacks, drawn from its own random
stream so the plain cues stay exactly as they were:

* ``{\an8}`` (top of the screen) on about 3 % of the SRT cues (WebVTT gets
  ``line:0`` instead);
* about 3 % of the lines in Chinese or Japanese, and an emoji at the end of
  about 2 % of the lines (so the text is not all Latin-1: Python stores it in
  wider strings, as it does real files in these languages).

Run it on its own to write files: ``python bench/generate.py --sizes 1000 --out /tmp/x``.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GenCue", "make_cues", "render_srt", "render_ttml", "render_vtt", "write_files", "write_scc_files",
           "write_ttml_files"]

SEED = 20240517

_VOCABULARY = (
    "I you we they he she it the a an and but or so if then when where why what who how this that there "
    "here now never always maybe really just still only again already yet very quite too well right okay "
    "know think want need have get go come see look tell say make take give find feel leave keep let "
    "mean seem try call ask work help talk turn start show hear play run move live believe hold bring "
    "happen write sit stand lose pay meet include continue set learn change lead understand watch follow "
    "stop create speak read spend grow open walk win offer remember love consider appear buy wait serve "
    "die send expect build stay fall cut reach kill remain time year people way day man thing woman life "
    "child world school family student group country problem hand part place case week company system "
    "night point home water room mother area money story fact month lot right study book eye job word "
    "business issue side kind head house service friend father power hour game line end member law car "
    "city name team minute idea kid body back parent face others level office door health person art "
    "war history party result morning reason research girl guy moment air teacher force education café "
    "naïve déjà"
)
_WORDS = tuple(_VOCABULARY.split())

_CJK = ("我不知道他在哪里。", "你今天晚上有空吗？", "这件事我们明天再说吧。", "ありがとうございます。",
        "ちょっと待ってください！", "本当にそう思う？", "대체 무슨 일이야?", "我们走吧，时间不早了。",
        "彼はもう帰りましたよ。")
_EMOJI = ("😂", "❤️", "🙂", "🎵", "👍", "😱")

_SETTINGS = (
    "line:0",
    "line:10%",
    "align:start",
    "position:10% align:start",
    "line:85% position:50% align:center",
    "size:80% align:end",
    "line:-2",
)


@dataclass(frozen=True, slots=True)
class GenCue:
    """One generated cue; times in milliseconds, ``lines`` already carry their tags."""

    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    cue_id: str | None
    settings: str | None
    top: bool = False


def _sentence(rng: random.Random, low: int, high: int) -> str:
    target = rng.randint(low, high)
    words: list[str] = []
    length = 0
    while length < target:
        word = rng.choice(_WORDS)
        words.append(word)
        length += len(word) + 1
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    return text + rng.choice((".", ".", ".", "?", "!", ",", "..."))


def _line(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return _sentence(rng, 50, 80)
    return _sentence(rng, 15, 42)


def make_cues(count: int, seed: int = SEED, *, realistic: bool = False) -> list[GenCue]:
    """``count`` cues, the same ones for the same ``count``, ``seed`` and mix."""
    rng = random.Random(seed)
    extra = random.Random(seed + 1)  # the realistic additions, so that the plain cues do not change
    cues: list[GenCue] = []
    clock = 1000
    for number in range(count):
        clock += rng.randint(100, 1200)
        start = clock
        end = start + rng.randint(800, 4200)
        clock = end
        two = rng.random() < 0.4
        if two and rng.random() < 0.15:
            lines = [f"- {_sentence(rng, 8, 30)}", f"- {_sentence(rng, 8, 30)}"]
        else:
            lines = [_line(rng) for _ in range(2 if two else 1)]
        roll = rng.random()
        if roll < 0.12:
            lines = [f"<i>{line}</i>" for line in lines]
        elif roll < 0.16:
            words = lines[0].split(" ")
            pick = rng.randrange(len(words))
            words[pick] = f"<b>{words[pick]}</b>"
            lines[0] = " ".join(words)
        cue_id = f"c{number + 1}" if rng.random() < 0.2 else None
        settings = rng.choice(_SETTINGS) if rng.random() < 0.1 else None
        top = False
        if realistic:
            for index, line in enumerate(lines):
                roll = extra.random()
                if roll < 0.03:
                    lines[index] = extra.choice(_CJK)
                elif roll < 0.05:
                    lines[index] = f"{line} {extra.choice(_EMOJI)}"
            top = extra.random() < 0.03
        cues.append(GenCue(start, end, tuple(lines), cue_id, settings, top))
    return cues


def _clock(ms: int, sep: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{millis:03d}"


def render_srt(cues: list[GenCue]) -> str:
    """SRT text: ``\\n`` newlines, indexes from 1, a blank line after every cue."""
    out: list[str] = []
    for number, cue in enumerate(cues, 1):
        out.append(f"{number}\n{_clock(cue.start_ms, ',')} --> {_clock(cue.end_ms, ',')}\n")
        if cue.top:
            out.append("{\\an8}")
        out.append("\n".join(cue.lines))
        out.append("\n\n")
    return "".join(out)


def render_vtt(cues: list[GenCue]) -> str:
    """WebVTT text with the ``WEBVTT`` header, some cue ids and some cue settings."""
    out: list[str] = ["WEBVTT\n\n"]
    for cue in cues:
        if cue.cue_id:
            out.append(f"{cue.cue_id}\n")
        timing = f"{_clock(cue.start_ms, '.')} --> {_clock(cue.end_ms, '.')}"
        settings = "line:0" if cue.top and not cue.settings else cue.settings
        if settings:
            timing += f" {settings}"
        out.append(timing + "\n")
        out.append("\n".join(cue.lines))
        out.append("\n\n")
    return "".join(out)


def write_files(
    folder: Path, sizes: list[int], seed: int = SEED, *, realistic: bool = False
) -> dict[int, dict[str, Path]]:
    """Write ``cues-<n>.srt`` and ``cues-<n>.vtt`` (UTF-8, ``\\n``) for every size into ``folder``.

    The realistic mix is written as ``real-<n>.srt`` and ``real-<n>.vtt``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[int, dict[str, Path]] = {}
    stem = "real" if realistic else "cues"
    for size in sizes:
        cues = make_cues(size, seed, realistic=realistic)
        srt_path = folder / f"{stem}-{size}.srt"
        vtt_path = folder / f"{stem}-{size}.vtt"
        srt_path.write_text(render_srt(cues), encoding="utf-8", newline="\n")
        vtt_path.write_text(render_vtt(cues), encoding="utf-8", newline="\n")
        paths[size] = {"srt": srt_path, "vtt": vtt_path}
    return paths


def write_scc_files(folder: Path, sizes: list[int], seed: int = SEED) -> dict[int, Path]:
    """Write ``cues-<n>.scc``: the generated cues as pop-on 608 captions, by subkit's own SCC writer.

    The cues are spaced 3.5 s apart (2.5 s on screen) so that every caption
    has time to load and 100,000 of them end before the 100-hour limit of
    SMPTE labels; lines longer than 32 characters are wrapped by the writer.
    """
    import warnings

    import subkit
    from subkit.model import Cue, Document, content_from_text

    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[int, Path] = {}
    for size in sizes:
        cues = tuple(
            Cue(start_ms=5000 + 3500 * i, end_ms=7500 + 3500 * i, content=content_from_text("\n".join(cue.lines)))
            for i, cue in enumerate(make_cues(size, seed))
        )
        path = folder / f"cues-{size}.scc"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the wrapping of long lines is reported, and expected
            path.write_text(str(subkit.dumps(Document(cues=cues), "scc")), encoding="utf-8", newline="\n")
        paths[size] = path
    return paths


def _ttml_clock(ms: int) -> str:
    return _clock(ms, ".")


def _ttml_line(line: str) -> str:
    text = line.replace("&", "&amp;")
    return (text.replace("<i>", '<span tts:fontStyle="italic">').replace("</i>", "</span>")
            .replace("<b>", '<span tts:fontWeight="bold">').replace("</b>", "</span>"))


def render_ttml(cues: list[GenCue]) -> str:
    """IMSC1 text-profile TTML of the cues: one ``p`` per cue, ``br`` between lines, spans for ``<i>``/``<b>``.

    Cue settings with ``line:0``/``line:10%`` put the cue in a top region; ids become ``xml:id``.
    """
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling" '
        'xmlns:ttp="http://www.w3.org/ns/ttml#parameter" xmlns:ttm="http://www.w3.org/ns/ttml#metadata" '
        'ttp:profile="http://www.w3.org/ns/ttml/profile/imsc1/text" ttp:timeBase="media" xml:lang="en">\n'
        "  <head>\n    <styling>\n"
        '      <style xml:id="base" tts:fontFamily="proportionalSansSerif" tts:color="white" tts:textAlign="center"/>\n'
        "    </styling>\n    <layout>\n"
        '      <region xml:id="bottom" tts:origin="10% 70%" tts:extent="80% 20%" tts:displayAlign="after"/>\n'
        '      <region xml:id="top" tts:origin="10% 10%" tts:extent="80% 20%" tts:displayAlign="before"/>\n'
        "    </layout>\n  </head>\n"
        '  <body style="base">\n    <div>\n'
    ]
    for cue in cues:
        attrs = f' xml:id="{cue.cue_id}"' if cue.cue_id else ""
        # Each p names its region: a p in "top" inside a body in "bottom" would not be presented (TTML1 §9.3.2).
        if cue.settings and cue.settings.startswith("line:") and not cue.settings.startswith("line:-"):
            attrs += ' region="top"'
        else:
            attrs += ' region="bottom"'
        body = "<br/>".join(_ttml_line(line) for line in cue.lines)
        out.append(f'      <p{attrs} begin="{_ttml_clock(cue.start_ms)}" end="{_ttml_clock(cue.end_ms)}">{body}</p>\n')
    out.append("    </div>\n  </body>\n</tt>\n")
    return "".join(out)


def write_ttml_files(folder: Path, sizes: list[int], seed: int = SEED) -> dict[int, Path]:
    """Write ``cues-<n>.ttml`` (the same cues as the SRT and WebVTT files) for every size."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[int, Path] = {}
    for size in sizes:
        path = folder / f"cues-{size}.ttml"
        path.write_text(render_ttml(make_cues(size, seed)), encoding="utf-8", newline="\n")
        paths[size] = path
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--plain", action="store_true", help="the plain mix instead of the realistic one")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    for size, files in write_files(args.out, sizes, args.seed, realistic=not args.plain).items():
        print(size, files["srt"], files["vtt"])


if __name__ == "__main__":
    main()
