"""Benchmark ``subkit sync`` against ffsubsync on synthesised episodes, in one run.

Usage::

    python bench/sync/run.py [--episodes 3] [--minutes 10] [--work DIR] [--markdown docs/sync.md]

Each episode is made here from nothing: dialogue lines spoken by ``espeak-ng``
and ``flite`` (several voices), laid on a timeline with a recap and a cold open
that exist only in the audio, a theme tune and scene transitions (synthesised
music), some scenes under a music bed, crowd babble or traffic noise, and
sound effects. The truth subtitle has a cue per line (start = the measured
speech onset) plus hearing-impaired cues (``♪ ... ♪``, ``[door slams]``). The
audio is encoded to AAC in an ``.m4a`` file with ffmpeg.

The broken inputs are made from the truth: offsets (up to ±97 s), frame-rate
drifts (25 ↔ 23.976, 24 → 23.976, with an offset), one or two breaks (an ad
cut) and, for the subtitle reference, a "translation" cut into different cues
with ±150 ms jitter. A mismatched pair (one episode's subtitle against the
next episode's audio) must be refused.

Both tools run as command-line programs on the same files, one after the
other, with the same ±120 s offset range; the wall time includes start-up and
audio extraction. The score is the share of cue starts within 100 ms and
250 ms of the truth.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import subkit  # noqa: E402
from subkit.model import Cue, Document, content_from_text  # noqa: E402

RATE = 16000
MAX_OFFSET_S = 120

WORDS = (  # noqa: SIM905
    "the you we they it this that what where when why how I he she not never always maybe just really "
    "go come take make know think want need tell ask give find leave keep call run walk talk look see hear "
    "house door car city night morning money time way day man woman child friend brother sister doctor police "
    "problem question answer reason plan job phone letter key road river window office party dinner story "
    "good bad big small late early long short right wrong wait stop listen remember forget believe help try "
    "again here there now later tonight tomorrow yesterday everything nothing something someone everyone"
).split()
FOREIGN = "el la los que de no un una por para con sin pero todo nada algo aqui ahora luego noche dia casa".split()  # noqa: SIM905
VOICES = (("espeak", "en-us+m3"), ("espeak", "en+f3"), ("espeak", "en-gb+m5"), ("flite", "slt"), ("flite", "rms"),
          ("flite", "awb"))


def _line(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 11))]
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice((".", ".", "?", "!"))


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as reader:
        rate = reader.getframerate()
        data = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2").astype(np.float32) / 32768
    if rate != RATE:
        positions = np.arange(0, len(data) * RATE / rate) * rate / RATE
        data = np.interp(positions, np.arange(len(data)), data).astype(np.float32)
    return data


def _speak(text: str, voice: tuple[str, str], path: Path) -> np.ndarray:
    if voice[0] == "espeak":
        subprocess.run(["espeak-ng", "-v", voice[1], "-s", "165", "-w", str(path), text], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        subprocess.run(["flite", "-voice", voice[1], "-t", text, "-o", str(path)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    data = _read_wav(path)
    loud = np.flatnonzero(np.abs(data) > 0.02)
    if not len(loud):
        return data[:0]
    return data[max(loud[0] - 80, 0):loud[-1] + 80]


def _music(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """A chord progression with a bass line and hi-hat noise."""
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    out = np.zeros(n, dtype=np.float32)
    beat = 0.5
    roots = [220.0, 174.6, 196.0, 261.6]
    for index in range(int(seconds / (beat * 4)) + 1):
        start = int(index * beat * 4 * RATE)
        end = min(n, start + int(beat * 4 * RATE))
        if start >= n:
            break
        root = roots[index % len(roots)]
        seg = t[start:end]
        for ratio in (1.0, 1.26, 1.5, 2.0):
            out[start:end] += 0.12 * np.sin(2 * np.pi * root * ratio * seg) * np.exp(-(seg - seg[0]) * 0.6)
        out[start:end] += 0.18 * np.sin(2 * np.pi * root / 2 * seg)
    for index in range(int(seconds / beat)):
        start = int(index * beat * RATE)
        length = min(800, n - start)
        if length > 0:
            out[start:start + length] += 0.08 * rng.standard_normal(length) * np.exp(-np.arange(length) / 150)
    return out


def _brown(seconds: float, rng: np.random.Generator) -> np.ndarray:
    noise = np.cumsum(rng.standard_normal(int(seconds * RATE))).astype(np.float32)
    noise -= np.convolve(noise, np.ones(801) / 801, mode="same")
    return noise / (np.abs(noise).max() + 1e-9) * 0.5


@dataclass
class Episode:
    media: Path
    truth: Document
    minutes: float


def make_episode(index: int, minutes: float, work: Path) -> Episode:
    """Synthesise one episode: audio (``.m4a``) and its true subtitle."""
    rng = random.Random(1000 + index)
    nrng = np.random.default_rng(1000 + index)
    length = int(minutes * 60 * RATE)
    audio = np.zeros(length + 30 * RATE, dtype=np.float32)
    cues: list[Cue] = []
    tmp = work / f"tts{index}.wav"
    babble_lines: list[np.ndarray] = []

    def put(samples: np.ndarray, at: int, gain: float = 1.0) -> None:
        end = min(len(audio), at + len(samples))
        audio[at:end] += gain * samples[:end - at]

    def say(at: int, voice: tuple[str, str], *, subtitle: bool) -> int:
        text = _line(rng)
        speech = _speak(text, voice, tmp)
        put(speech * 0.7, at)
        if len(babble_lines) < 12:
            babble_lines.append(speech[::-1].copy())
        end = at + len(speech)
        if subtitle:
            start_ms = round((at + 80) * 1000 / RATE)
            end_ms = round(end * 1000 / RATE) + rng.randint(150, 500)
            cues.append(Cue(start_ms=start_ms, end_ms=end_ms, content=content_from_text(text)))
        return end

    def cue(start_s: float, end_s: float, text: str) -> None:
        cues.append(Cue(start_ms=round(start_s * 1000), end_ms=round(end_s * 1000), content=content_from_text(text)))

    position = int(0.5 * RATE)
    # A recap and a cold open: spoken, but not in the subtitle (made for a cut without them).
    recap_start = position
    for _ in range(7):
        position = say(position, VOICES[rng.randrange(len(VOICES))], subtitle=False) + int(rng.uniform(0.3, 1.2) * RATE)
    put(_music((position - recap_start) / RATE, nrng), recap_start, 0.25)
    for _ in range(8):
        position = say(position, VOICES[rng.randrange(len(VOICES))], subtitle=False) + int(rng.uniform(0.2, 1.5) * RATE)
    # The theme tune, with its hearing-impaired cue.
    theme = _music(14, nrng)
    put(theme, position, 0.9)
    cue(position / RATE + 0.5, position / RATE + 13.5, "♪ theme music ♪")
    position += len(theme) + RATE
    scene = 0
    while position < length - 20 * RATE:
        scene += 1
        voices = rng.sample(VOICES, 2)
        bed = scene % 4
        scene_start = position
        for _ in range(rng.randint(6, 14)):
            if position >= length - 10 * RATE:
                break
            position = say(position, voices[rng.randrange(2)], subtitle=True)
            position += int(rng.choice((rng.uniform(0.15, 0.6), rng.uniform(0.6, 2.5))) * RATE)
        span = position - scene_start
        if bed == 1:  # dialogue under music
            put(_music(span / RATE, nrng), scene_start, 0.35)
        elif bed == 2:  # crowd babble: reversed speech from several voices
            crowd = np.zeros(span, dtype=np.float32)
            for line in babble_lines:
                for at in range(int(nrng.integers(0, RATE)), span, len(line) + int(0.3 * RATE)):
                    piece = line[: span - at]
                    crowd[at:at + len(piece)] += piece
            put(crowd / (np.abs(crowd).max() + 1e-9), scene_start, 0.12)
        elif bed == 3:  # traffic
            put(_brown(span / RATE, nrng), scene_start, 0.25)
        # A transition: music, or a door slam with its hearing-impaired cue.
        if scene % 2:
            tune = _music(rng.uniform(3, 8), nrng)
            put(tune, position, 0.6)
            cue(position / RATE + 0.3, (position + len(tune)) / RATE, "♪ ♪")
            position += len(tune) + int(0.5 * RATE)
        else:
            slam = (nrng.standard_normal(int(0.25 * RATE)) * np.exp(-np.arange(int(0.25 * RATE)) / 900)).astype(
                np.float32)
            put(slam, position + int(0.4 * RATE), 0.8)
            cue(position / RATE + 0.4, position / RATE + 1.4, "[door slams]")
            position += int(2.0 * RATE)
    audio = audio[:max(position + RATE, length)]
    audio += (nrng.standard_normal(len(audio)) * 0.003).astype(np.float32)
    audio = np.clip(audio, -1, 1)
    raw = work / f"episode{index}.wav"
    with wave.open(str(raw), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        writer.writeframes((audio * 32767).astype("<i2").tobytes())
    media = work / f"episode{index}.m4a"
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(raw), "-ar", "48000", "-ac", "2",
                    "-c:a", "aac", "-b:a", "128k", str(media)], check=True)
    raw.unlink()
    tmp.unlink(missing_ok=True)
    cues.sort(key=lambda c: c.start_ms)
    fixed: list[Cue] = []
    for current, following in zip(cues, [*cues[1:], None], strict=True):
        end = current.end_ms if following is None else min(current.end_ms, max(following.start_ms - 40,
                                                                                current.start_ms + 200))
        fixed.append(current.replace(end_ms=end))
    return Episode(media, Document(cues=tuple(fixed)), len(audio) / RATE / 60)


# ------------------------------------------------------------------ broken inputs


def _map(doc: Document, function: Any) -> Document:
    cues = []
    for index, cue in enumerate(doc.cues):
        start, end = function(index, cue.start_ms), function(index, cue.end_ms)
        cues.append(cue.replace(start_ms=max(0, round(start)), end_ms=max(1, round(end))))
    return doc.with_cues(cues)


def _translated(doc: Document, rng: random.Random) -> Document:
    """A reference in another language: other words, other cuts, ±150 ms jitter."""
    out: list[Cue] = []
    cues = list(doc.cues)
    index = 0
    while index < len(cues):
        cue = cues[index]
        text = " ".join(rng.choice(FOREIGN) for _ in range(rng.randint(3, 9)))
        if index + 1 < len(cues) and cues[index + 1].start_ms - cue.end_ms < 800 and rng.random() < 0.25:
            cue = cue.replace(end_ms=cues[index + 1].end_ms)  # two lines in one cue
            index += 1
        if cue.duration_ms > 2600 and rng.random() < 0.5:  # one line in two cues
            middle = (cue.start_ms + cue.end_ms) // 2
            out.append(cue.replace(end_ms=middle - 40, content=content_from_text(text)))
            cue = cue.replace(start_ms=middle)
        out.append(cue.replace(content=content_from_text(text)))
        index += 1
    jittered = []
    for cue in out:
        start = max(0, cue.start_ms + rng.randint(-150, 150))
        end = max(start + 300, cue.end_ms + rng.randint(-150, 150))
        jittered.append(cue.replace(start_ms=start, end_ms=end))
    return doc.with_cues(jittered)


@dataclass
class Case:
    family: str
    name: str
    source: Document
    reference: str  # "audio" or "subtitle"
    reference_doc: Document | None
    truth: Document | None  # None: a mismatched pair, to be refused


def _breaks(doc: Document, points: list[float], offsets: list[int], ratio: Fraction = Fraction(1)) -> Document:
    """Offsets per stretch: ``offsets[k]`` applies from ``points[k-1]`` (a share of the cues) on."""
    bounds = [int(p * len(doc.cues)) for p in points]

    def function(index: int, ms: int) -> float:
        stretch = sum(index >= b for b in bounds)
        return float(ms * ratio) + offsets[stretch]

    return _map(doc, function)


def make_cases(episodes: list[Episode], seed: int) -> list[tuple[int, Case]]:
    rng = random.Random(seed)
    cases: list[tuple[int, Case]] = []
    for number, episode in enumerate(episodes):
        truth = episode.truth
        items = [
            Case("offset", "+2.6 s", _breaks(truth, [], [2600]), "audio", None, truth),
            Case("offset", "-41.3 s", _breaks(truth, [], [-41300]), "audio", None, truth),
            Case("offset", "+97.2 s", _breaks(truth, [], [97200]), "audio", None, truth),
            Case("frame rate", "25 -> 23.976, +1.2 s", _breaks(truth, [], [1200], Fraction(25025, 24000)),
                 "audio", None, truth),
            Case("frame rate", "23.976 -> 25, -3.5 s", _breaks(truth, [], [-3500], Fraction(24000, 25025)),
                 "audio", None, truth),
            Case("frame rate", "24 -> 23.976, +0.8 s", _breaks(truth, [], [800], Fraction(1001, 1000)),
                 "audio", None, truth),
            Case("split", "1 break: +3 s / +8 s", _breaks(truth, [0.45], [3000, 8000]), "audio", None, truth),
            Case("split", "2 breaks: -2 / +4 / +11 s", _breaks(truth, [0.3, 0.7], [-2000, 4000, 11000]), "audio",
                 None, truth),
            Case("reference subtitle", "translated ref, +5 s / +9 s", _breaks(truth, [0.5], [5000, 9000]),
                 "subtitle", _translated(truth, rng), truth),
            Case("mismatched pair", "other episode's subtitle", episodes[(number + 1) % len(episodes)].truth,
                 "audio", None, None),
        ]
        cases.extend((number, case) for case in items)
    return cases


# ------------------------------------------------------------------ running the tools


def _starts(path: Path) -> list[int]:
    return [cue.start_ms for cue in subkit.load(str(path), format="srt").cues]


def _score(out: list[int], truth: Document) -> tuple[float, float]:
    expected = [cue.start_ms for cue in truth.cues]
    if len(out) != len(expected):
        return float("nan"), float("nan")
    errors = [abs(a - b) for a, b in zip(out, expected, strict=True)]
    return (sum(e <= 100 for e in errors) / len(errors), sum(e <= 250 for e in errors) / len(errors))


def run_tool(tool: str, case: Case, media: Path, folder: Path) -> dict[str, Any]:
    source = folder / "in.srt"
    out = folder / f"out-{tool}.srt"
    out.unlink(missing_ok=True)
    subkit.dump(case.source, str(source), format="srt")
    reference = str(media)
    if case.reference == "subtitle":
        assert case.reference_doc is not None
        reference = str(folder / "ref.srt")
        subkit.dump(case.reference_doc, reference, format="srt")
    if tool == "subkit":
        flag = "--to-audio" if case.reference == "audio" else "--to-subtitle"
        command = [sys.executable, "-m", "subkit", "sync", str(source), str(out), flag, reference,
                   "--max-offset", f"{MAX_OFFSET_S}s", "--json"]
    else:
        command = ["ffsubsync", reference, "-i", str(source), "-o", str(out),
                   "--max-offset-seconds", str(MAX_OFFSET_S)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    clock = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - clock
    record: dict[str, Any] = {"tool": tool, "wall_s": wall, "exit": done.returncode}
    if tool == "subkit":
        try:
            record["report"] = json.loads(done.stdout) if done.stdout.strip() else None
        except json.JSONDecodeError:
            record["report"] = None
        if done.returncode:
            record["stderr"] = done.stderr.strip()[-400:]
    elif done.returncode:
        record["stderr"] = done.stderr.strip()[-400:]
    accepted = done.returncode == 0 and out.exists()
    record["accepted"] = accepted
    if accepted and case.truth is not None:
        record["within_100"], record["within_250"] = _score(_starts(out), case.truth)
    elif accepted and case.truth is None:
        record["within_100"] = record["within_250"] = None
    return record


def _confidence_of(record: dict[str, Any]) -> float | None:
    report = record.get("report")
    if isinstance(report, dict):
        inner = report.get("sync", report)
        value = inner.get("confidence") if isinstance(inner, dict) else None
        return float(value) if isinstance(value, (int, float)) else None
    match = re.search(r"confidence (\d\.\d+)", record.get("stderr", ""))
    return float(match.group(1)) if match else None


def render(results: list[dict[str, Any]], episodes: int, minutes: float) -> str:
    families = ["offset", "frame rate", "split", "reference subtitle"]
    lines = [
        f"{episodes} synthesised episodes of {minutes:.1f} minutes on average; both tools run as commands on the same "
        f"files in the same run, ±{MAX_OFFSET_S} s offset range. Cue starts within 100 ms / 250 ms of the truth "
        "(all cues, hearing-impaired ones included); wall time per run, median.",
        "",
        "| case | runs | subkit ≤100 ms | subkit ≤250 ms | ffsubsync ≤100 ms | ffsubsync ≤250 ms | subkit s | "
        "ffsubsync s |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def share(rows: list[dict[str, Any]], key: str) -> str:
        values = [r[key] for r in rows if r.get(key) is not None and r[key] == r[key]]
        refused = sum(not r["accepted"] for r in rows)
        if not values:
            return "refused" if refused else "–"
        text = f"{100 * statistics.mean(values):.1f} %"
        return text + (f" ({refused} refused)" if refused else "")

    def wall(rows: list[dict[str, Any]]) -> str:
        return f"{statistics.median(r['wall_s'] for r in rows):.2f}" if rows else "–"

    names = sorted({(r["family"], r["case"]) for r in results}, key=lambda fc: (families.index(fc[0])
                                                                                if fc[0] in families else 9, fc[1]))
    for family, name in names:
        ours = [r for r in results if r["case"] == name and r["tool"] == "subkit"]
        theirs = [r for r in results if r["case"] == name and r["tool"] == "ffsubsync"]
        if family == "mismatched pair":
            refused = sum(not r["accepted"] for r in ours)
            lines.append(f"| {family}: {name} | {len(ours)} | refused {refused}/{len(ours)} | | "
                         f"accepted {sum(r['accepted'] for r in theirs)}/{len(theirs)} | | {wall(ours)} | "
                         f"{wall(theirs)} |")
            continue
        lines.append(f"| {family}: {name} | {len(ours)} | {share(ours, 'within_100')} | {share(ours, 'within_250')} "
                     f"| {share(theirs, 'within_100')} | {share(theirs, 'within_250')} | {wall(ours)} | "
                     f"{wall(theirs)} |")
    for family in families:
        ours = [r for r in results if r["family"] == family and r["tool"] == "subkit"]
        theirs = [r for r in results if r["family"] == family and r["tool"] == "ffsubsync"]
        if ours:
            lines.append(f"| **all {family}** | {len(ours)} | **{share(ours, 'within_100')}** | "
                         f"{share(ours, 'within_250')} | **{share(theirs, 'within_100')}** | "
                         f"{share(theirs, 'within_250')} | {wall(ours)} | {wall(theirs)} |")
    bad = [r for r in results if r["tool"] == "subkit" and r["accepted"] and r.get("within_250") is not None
           and r["within_250"] < 0.5]
    lines += ["", f"Accepted subkit results with fewer than 50 % of cue starts within 250 ms: {len(bad)}."]
    confidences = [(r["case"], _confidence_of(r)) for r in results if r["tool"] == "subkit"]
    matched = [c for name, c in confidences if c is not None and "other episode" not in name]
    mismatched = [c for name, c in confidences if c is not None and "other episode" in name]
    if matched and mismatched:
        lines.append(f"Confidence: true pairs {min(matched):.2f}-{max(matched):.2f}, mismatched pairs "
                     f"{min(mismatched):.2f}-{max(mismatched):.2f}.")
    return "\n".join(lines)


def reference_speed(work: Path, tools: list[str]) -> str:
    """Sync 2,000 cues to a 2,000-cue reference (with a frame-rate change and an offset): time per tool."""
    rng = random.Random(5)
    cues = []
    at = 5000
    for index in range(2000):
        length = rng.randint(700, 4000)
        cues.append(Cue(start_ms=at, end_ms=at + length, content=content_from_text(f"line {index}")))
        at += length + rng.choice((rng.randint(200, 900), rng.randint(900, 3000), rng.randint(3000, 9000)))
    truth = Document(cues=tuple(cues))
    broken = _breaks(truth, [], [7300], Fraction(25025, 24000))
    source, reference = work / "long.srt", work / "long-ref.srt"
    subkit.dump(broken, str(source), format="srt")
    subkit.dump(truth, str(reference), format="srt")
    from subkit.ops import sync

    sync(broken, truth)  # warm: imports
    clock = time.perf_counter()
    fixed, _ = sync(broken, truth)
    in_process = time.perf_counter() - clock
    share = _score([c.start_ms for c in fixed.cues], truth)[0]
    parts = [f"Reference subtitle of 2,000 cues ({at / 3_600_000:.1f} h, 25/23.976 drift and +7.3 s): subkit "
             f"{in_process:.2f} s in-process ({share:.1%} of starts within 100 ms)"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = ("import sys, time; sys.modules['numpy'] = None\nimport subkit\nfrom subkit.ops import sync\n"
            f"a, b = subkit.load({str(source)!r}), subkit.load({str(reference)!r})\n"
            "t = time.perf_counter(); sync(a, b); print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    if done.returncode == 0:
        parts.append(f"{float(done.stdout):.1f} s without numpy")
    for tool in tools:
        out = work / f"long-{tool}.srt"
        command = ([sys.executable, "-m", "subkit", "sync", str(source), str(out), "--to-subtitle", str(reference)]
                   if tool == "subkit" else ["ffsubsync", str(reference), "-i", str(source), "-o", str(out)])
        clock = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, check=False)
        wall = time.perf_counter() - clock
        score = _score(_starts(out), truth)[0] if out.exists() else float("nan")
        parts.append(f"{tool} command {wall:.2f} s ({score:.1%} within 100 ms)")
    return "; ".join(parts) + "."


def _replace_block(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    begin, end = "<!-- bench:sync:begin -->", "<!-- bench:sync:end -->"
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{block}\n{end}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--work", type=Path, help="keep the media and inputs here (default: a temp folder)")
    parser.add_argument("--tools", default="subkit,ffsubsync")
    parser.add_argument("--only", help="comma-separated case families (offset, frame rate, split, ...)")
    parser.add_argument("--markdown", type=Path, help="replace the table between the bench:sync markers of FILE")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results" / "sync.json")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for tool in ("ffmpeg", "espeak-ng", "flite"):
        if shutil.which(tool) is None:
            raise SystemExit(f"the benchmark needs {tool}")
    tools = args.tools.split(",")
    if "ffsubsync" in tools and shutil.which("ffsubsync") is None:
        raise SystemExit("ffsubsync is not installed: pip install -e '.[bench]'")
    work = args.work or Path(tempfile.mkdtemp(prefix="subkit-sync-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    episodes = []
    for index in range(args.episodes):
        clock = time.perf_counter()
        episodes.append(make_episode(index, args.minutes, work))
        print(f"episode {index}: {episodes[-1].minutes:.1f} min, {len(episodes[-1].truth.cues)} cues, "
              f"made in {time.perf_counter() - clock:.1f}s", file=sys.stderr)
    only = set(args.only.split(",")) if args.only else None
    results: list[dict[str, Any]] = []
    for number, case in make_cases(episodes, args.seed):
        if only and case.family not in only:
            continue
        folder = work / f"case-{number}-{re.sub(r'[^a-z0-9]+', '-', case.name.lower()).strip('-')}"
        folder.mkdir(exist_ok=True)
        for tool in tools:
            record = run_tool(tool, case, episodes[number].media, folder)
            record.update(family=case.family, case=case.name, episode=number)
            results.append(record)
            print(json.dumps({k: v for k, v in record.items() if k != "report"}), file=sys.stderr)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=1), encoding="utf-8")
    table = render(results, len(episodes), statistics.mean(e.minutes for e in episodes))
    table += "\n" + reference_speed(work, tools)
    if args.markdown:
        _replace_block(args.markdown, table)
    print(table)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
