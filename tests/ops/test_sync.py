"""ops.sync: the search on synthetic activity signals, the gate, properties, and one run on real audio."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import wave
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit.errors import ConfigError, OperationError, SubkitError
from subkit.model import Cue, Document, Word, content_from_text
from subkit.ops import ChangeReport, shift
from subkit.ops._sync import (
    DEFAULT_FPS_RATIOS,
    SpeechActivity,
    SyncReport,
    _curve,
    _overlap,
    activity_from_document,
    parse_ratio,
    speech_cues,
    sync,
    sync_to_activity,
)
from tests.ops.helpers import ROOT


def _episode(seed: int, count: int = 120, start_ms: int = 130_000) -> Document:
    """Cues of 0.7-4 s separated by 0.2-3 s pauses (and a longer one now and then)."""
    rng = random.Random(seed)
    cues: list[Cue] = []
    at = start_ms
    for index in range(count):
        length = rng.randint(700, 4000)
        cues.append(Cue(start_ms=at, end_ms=at + length, content=content_from_text(f"line {index} of {seed}")))
        at += length + rng.choice((rng.randint(200, 900), rng.randint(900, 3000), rng.randint(3000, 9000)))
    return Document(cues=tuple(cues))


def _speech_for(doc: Document, seed: int, *, jitter: int = 120, extra: int = 15) -> SpeechActivity:
    """An activity like a detector's: each cue's speech with ragged edges, plus speech no cue carries."""
    rng = random.Random(seed)
    intervals = []
    for cue in doc.cues:
        start = cue.start_ms + rng.randint(-jitter, jitter)
        end = cue.end_ms - rng.randint(0, 400) + rng.randint(-jitter, jitter)
        if end - start > 200:  # a pause inside the line, as detectors hear one
            middle = (start + end) // 2
            intervals += [(start, middle - 80), (middle + 40, end)]
    last = doc.cues[-1].end_ms
    for _ in range(extra):  # a cold open, a recap, sounds: activity without cues
        at = rng.randint(0, last)
        intervals.append((at, at + rng.randint(300, 2500)))
    intervals.append((1000, 60_000))  # a long cold open only in the audio
    return SpeechActivity.from_intervals(intervals, duration_ms=last + 5000)


def _starts(doc: Document) -> list[int]:
    return [cue.start_ms for cue in doc.cues]


def _within(a: Document, b: Document, tolerance: int) -> float:
    return sum(abs(x - y) <= tolerance for x, y in zip(_starts(a), _starts(b), strict=True)) / len(a.cues)


# ------------------------------------------------------------------ activity


def test_activity_from_frames_and_intervals() -> None:
    assert SpeechActivity.from_frames([1, 1, 0, 0, 1], 10).intervals == ((0, 20), (40, 50))
    assert SpeechActivity.from_frames([1, 0, 0, 1], 10, min_gap_ms=20).intervals == ((0, 40),)
    assert SpeechActivity.from_frames([], 10).intervals == ()
    assert SpeechActivity.from_intervals([(5, 5), (30, 40), (0, 10), (10, 20)]).intervals == ((0, 20), (30, 40))
    with pytest.raises(OperationError):
        SpeechActivity(((0, 10), (5, 20)))


def test_speech_cues_leave_out_hearing_impaired_music_and_empty() -> None:
    doc = subkit.loads(
        "1\n00:00:01,000 --> 00:00:02,000\n[MUSIC PLAYING]\n\n2\n00:00:03,000 --> 00:00:04,000\n♪ Oh, la la ♪\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\n(laughs)\n\n4\n00:00:07,000 --> 00:00:08,000\n(laughs) No way.\n\n"
        "5\n00:00:09,000 --> 00:00:10,000\n- [door slams]\n- Who's there?\n", format="srt")
    assert speech_cues(doc) == [3, 4]
    assert activity_from_document(doc).intervals == ((7000, 8000), (9000, 10000))


# ------------------------------------------------------------------ the overlap curve


@given(
    st.lists(st.tuples(st.integers(0, 5000), st.integers(1, 900)), min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(0, 5000), st.integers(1, 900)), min_size=1, max_size=12),
    st.integers(-700, 700),
    st.sampled_from([1, 7, 10]),
)
def test_curve_equals_the_overlap_at_every_grid_point(
    cues: list[tuple[int, int]], spans: list[tuple[int, int]], lo: int, step: int
) -> None:
    activity = SpeechActivity.from_intervals((s, s + n) for s, n in spans)
    starts = [s for s, _ in activity.intervals]
    ends = [e for _, e in activity.intervals]
    pieces = [(float(s), float(s + n)) for s, n in cues]
    values = _curve(pieces, starts, ends, lo, 40, step)
    for k, value in enumerate(values):
        d = lo + k * step
        assert value == pytest.approx(sum(_overlap(a + d, b + d, starts, ends) for a, b in pieces), abs=1e-6)


def test_curve_without_numpy_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _episode(3, 60)
    activity = _speech_for(doc, 3)
    starts = [s for s, _ in activity.intervals]
    ends = [e for _, e in activity.intervals]
    pieces = [(float(c.start_ms), float(c.end_ms)) for c in doc.cues]
    fast = _curve(pieces, starts, ends, -20_000, 4001, 10)
    monkeypatch.setitem(sys.modules, "numpy", None)
    slow = _curve(pieces, starts, ends, -20_000, 4001, 10)
    assert fast == pytest.approx(slow, abs=1e-6)


# ------------------------------------------------------------------ the search on synthetic signals


@pytest.mark.parametrize("offset", [2600, -41_300, 97_200, 118_000])
def test_offset_is_recovered(offset: int) -> None:
    truth = _episode(1)
    activity = _speech_for(truth, 1)
    fixed, report = sync_to_activity(shift(truth, offset), activity)
    assert report.model == "offset"
    assert abs(report.offset_ms + offset) <= 120
    assert _within(fixed, truth, 150) == 1.0
    assert report.accepted and report.confidence >= 0.2 and report.splits == ()


@pytest.mark.parametrize("ratio", [Fraction(25025, 24000), Fraction(24000, 25025), Fraction(1001, 1000),
                                   Fraction(25, 24)])
def test_frame_rate_drift_is_recovered(ratio: Fraction) -> None:
    truth = _episode(2)
    activity = _speech_for(truth, 2)
    broken = truth.with_cues(c.replace(start_ms=round(c.start_ms * ratio) + 1500, end_ms=round(c.end_ms * ratio) + 1500)
                             for c in truth.cues)
    fixed, report = sync_to_activity(broken, activity)
    assert report.model == "offset+ratio"
    assert report.ratio == 1 / ratio
    assert _within(fixed, truth, 150) == 1.0


def test_two_breaks_are_found_where_they_are() -> None:
    truth = _episode(4, 150)
    activity = _speech_for(truth, 4)
    offsets = {range(0, 40): -2000, range(40, 110): 4000, range(110, 150): 11_000}
    broken = truth.with_cues(
        c.replace(start_ms=c.start_ms + o, end_ms=c.end_ms + o)
        for i, c in enumerate(truth.cues) for r, o in offsets.items() if i in r)
    fixed, report = sync_to_activity(broken, activity)
    assert report.model == "piecewise"
    assert [(s.first_cue, s.last_cue) for s in report.segments] == [(0, 39), (40, 109), (110, 149)]
    assert [s.offset_ms for s in report.segments] == pytest.approx([2000, -4000, -11_000], abs=120)
    assert report.splits == (broken.cues[40].start_ms, broken.cues[110].start_ms)
    assert _within(fixed, truth, 150) == 1.0
    assert report.as_dict()["splits"] == 2


def test_cues_moved_before_zero_are_dropped_and_counted() -> None:
    truth = _episode(6, 80, start_ms=2000)
    late = shift(truth, 10_000)
    early = late.with_cues([Cue(start_ms=1000, end_ms=2000, content=content_from_text("before it all")),
                            *late.cues])
    changes = ChangeReport()
    fixed, report = sync_to_activity(early, _speech_for(truth, 6), report=changes, split=False)
    assert abs(report.offset_ms + 10_000) <= 120
    assert changes["cues dropped"] == 1 and len(fixed.cues) == 80
    assert report.segments[0].new_start_ms == fixed.cues[0].start_ms


def test_no_split_option_keeps_one_offset() -> None:
    truth = _episode(4, 150)
    broken = truth.with_cues(c.replace(start_ms=c.start_ms + (5000 if i >= 75 else 0),
                                       end_ms=c.end_ms + (5000 if i >= 75 else 0)) for i, c in enumerate(truth.cues))
    _, report = sync_to_activity(broken, _speech_for(truth, 4), split=False, force=True)
    assert len(report.segments) == 1


@pytest.mark.parametrize("seed", range(6))
def test_a_clean_file_is_never_split(seed: int) -> None:
    truth = _episode(10 + seed, 200)
    fixed, report = sync_to_activity(shift(truth, 700), _speech_for(truth, 10 + seed, jitter=200, extra=40))
    assert report.model == "offset", report.summary()
    assert _within(fixed, truth, 200) == 1.0


def test_hearing_impaired_cues_move_with_their_neighbours_and_words_move() -> None:
    truth = _episode(5, 80)
    cues = list(truth.cues)
    words = (Word(text="line ", start_ms=cues[10].start_ms, end_ms=cues[10].start_ms + 300),
             Word(text="ten", start_ms=cues[10].start_ms + 300, end_ms=cues[10].end_ms))
    cues[10] = cues[10].replace(words=words)
    # A music cue that lies over silence: it must not pull the search, and must follow its neighbour.
    music = Cue(start_ms=cues[20].end_ms + 50, end_ms=cues[20].end_ms + 150, content=content_from_text("♪ ♪"))
    cues.insert(21, music)
    truth = truth.with_cues(cues)
    activity = _speech_for(_episode(5, 80), 5)
    changes = ChangeReport()
    fixed, report = sync_to_activity(shift(truth, 4321), activity, report=changes)
    assert report.other_cues == 1 and report.speech_cues == 80
    assert fixed.cues[21].plain_text() == "♪ ♪"
    assert fixed.cues[21].start_ms - fixed.cues[20].end_ms == 50
    moved = fixed.cues[10]
    assert [w.start_ms - moved.start_ms for w in moved.words] == [0, 300]
    assert changes["cues retimed"] == 81


# ------------------------------------------------------------------ the gate


def test_gate_refuses_a_mismatched_pair() -> None:
    ours, other = _episode(20), _episode(21)
    with pytest.raises(OperationError, match=r"sync refused: confidence 0\.\d\d is below 0\.20") as caught:
        sync(ours, other)
    refused = caught.value.report  # type: ignore[attr-defined]
    assert isinstance(refused, SyncReport) and not refused.accepted
    assert "score" not in refused.reason or refused.score >= 0
    forced, report = sync(ours, other, force=True)
    assert report.accepted and report.confidence < 0.2 and report.reason
    assert len(forced.cues) == len(ours.cues)


def test_gate_refuses_against_audio_of_something_else() -> None:
    truth = _episode(22)
    with pytest.raises(OperationError, match="sync refused"):
        sync_to_activity(truth, _speech_for(_episode(23), 23))


def test_min_confidence_zero_accepts_everything() -> None:
    _, report = sync(_episode(20), _episode(21), min_confidence=0.0)
    assert report.accepted


def test_error_pickles_with_its_report() -> None:
    import pickle

    with pytest.raises(OperationError) as caught:
        sync(_episode(20), _episode(21))
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.report == caught.value.report  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_offset_ms": 5}, "max_offset_ms"),
        ({"min_confidence": 1.5}, "min_confidence"),
        ({"split_penalty_ms": -1}, "split_penalty_ms"),
        ({"fps_ratios": ["fast"]}, "frame-rate ratio"),
        ({"fps_ratios": [3]}, "within 0.5-2"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(OperationError, match=message):
        sync(_episode(1, 5), _episode(1, 5), **kwargs)  # type: ignore[arg-type]


def test_nothing_to_align() -> None:
    only_music = subkit.loads("1\n00:00:01,000 --> 00:00:02,000\n♪ ♪\n", format="srt")
    with pytest.raises(OperationError, match="no cue with speech"):
        sync(only_music, _episode(1, 5))
    with pytest.raises(OperationError, match="reference subtitle has no cue"):
        sync(_episode(1, 5), only_music)
    with pytest.raises(OperationError, match="no activity"):
        sync(_episode(1, 5), SpeechActivity(()))
    with pytest.raises(OperationError, match="cannot sync to a float"):
        sync(_episode(1, 5), 1.5)


def test_parse_ratio() -> None:
    assert parse_ratio("25/23.976") == Fraction(25025, 24000)
    assert parse_ratio("1.001") == Fraction(1001, 1000)
    assert Fraction(25, 24) in DEFAULT_FPS_RATIOS and Fraction(24, 25) in DEFAULT_FPS_RATIOS


# ------------------------------------------------------------------ properties


@st.composite
def _documents(draw: st.DrawFn) -> Document:
    """Documents of 4-30 cues that span at least two minutes (a frame-rate change then shows)."""
    count = draw(st.integers(4, 30))
    at = draw(st.integers(125_000, 200_000))
    cues = []
    for index in range(count):
        length = draw(st.integers(300, 5000))
        cues.append(Cue(start_ms=at, end_ms=at + length, content=content_from_text(f"w{index}")))
        at += length + draw(st.integers(150, 6000)) + 120_000 // count
    return Document(cues=tuple(cues))


@settings(max_examples=50)
@given(_documents(), st.integers(-110_000, 110_000), st.sampled_from([Fraction(1), *DEFAULT_FPS_RATIOS]))
def test_shifted_and_scaled_document_is_recovered_against_itself(doc: Document, offset: int, ratio: Fraction) -> None:
    broken = doc.with_cues(
        c.replace(start_ms=subkit.timing.round_half_up(c.start_ms * ratio) + offset,
                  end_ms=subkit.timing.round_half_up(c.end_ms * ratio) + offset) for c in doc.cues)
    fixed, report = sync(broken, doc)
    assert report.ratio == 1 / ratio
    assert len(report.segments) == 1
    tolerance = 0 if ratio == 1 else 1
    for new, old in zip(fixed.cues, doc.cues, strict=True):
        assert abs(new.start_ms - old.start_ms) <= tolerance
        assert abs(new.end_ms - old.end_ms) <= tolerance


def test_reference_sync_needs_no_numpy() -> None:
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "from subkit.ops import shift\n"
        "from subkit.ops._sync import sync\n"
        "from tests.ops.test_sync import _episode\n"
        "ref = _episode(7, 60)\n"
        "doc, report = sync(shift(ref, 3300), ref)\n"
        "print(report.offset_ms, [c.start_ms for c in doc] == [c.start_ms for c in ref], 'numpy' in sys.modules "
        "and sys.modules['numpy'] is not None)\n"
    )
    env_path = str(ROOT)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["-3300", "True", "False"]


# ------------------------------------------------------------------ real audio (ffmpeg + the sync extra)

LINES = [
    "Where were you last night?", "I was at the office until late.", "Nobody saw you at the office.",
    "Then nobody was looking.", "Do not lie to me again.", "Fine. I went to see my brother.",
    "Your brother left the city years ago.", "He came back on Monday.", "Why did you not tell me?",
    "Because you would ask questions.", "Here is a question. Where is the money?", "Gone. All of it.",
]

needs_audio = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")


def _ffmpeg_flite_ok() -> bool:
    done = subprocess.run(["ffmpeg", "-hide_banner", "-filters"], capture_output=True, text=True, check=False)
    return " flite " in done.stdout


@pytest.fixture(scope="module")
def dialogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Document]:
    """A 16 kHz WAV of synthesised dialogue over a quiet hum, and its subtitle (starts at measured onsets)."""
    if shutil.which("ffmpeg") is None or not _ffmpeg_flite_ok():
        pytest.skip("ffmpeg with the flite filter is not installed")
    np = pytest.importorskip("numpy")
    folder = tmp_path_factory.mktemp("sync-audio")
    rate = 16000
    track = np.zeros(rate * 75, dtype=np.float64)
    rng = random.Random(5)
    cues = []
    at = rate * 12  # twelve seconds of nothing but hum first
    for index, line in enumerate(LINES):
        wav = folder / f"line{index}.wav"
        voice = ("slt", "kal16", "awb", "rms")[index % 4]
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        f"flite=text='{line}':voice={voice}", "-ar", str(rate), "-ac", "1", str(wav)], check=True)
        with wave.open(str(wav), "rb") as reader:
            samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2") / 32768.0
        loud = np.flatnonzero(np.abs(samples) > 0.02)
        samples = samples[loud[0]:loud[-1] + 1]
        track[at:at + len(samples)] += samples * 0.8
        cues.append(Cue(start_ms=at * 1000 // rate, end_ms=(at + len(samples)) * 1000 // rate + 300,
                        content=content_from_text(line)))
        at += len(samples) + int(rate * rng.uniform(0.6, 2.5))
    sigh = Cue(start_ms=cues[3].end_ms + 100, end_ms=cues[3].end_ms + 400, content=content_from_text("[sighs]"))
    cues.insert(4, sigh)
    hum = 0.01 * np.sin(2 * np.pi * 50 * np.arange(len(track)) / rate)
    track = np.clip(track + hum, -1, 1)[:at + rate * 2]
    path = folder / "dialogue.wav"
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes((track * 32767).astype("<i2").tobytes())
    return path, Document(cues=tuple(cues))


@pytest.mark.slow
@needs_audio
def test_end_to_end_on_synthesised_speech(dialogue: tuple[Path, Document], tmp_path: Path) -> None:
    pytest.importorskip("webrtcvad")
    audio, truth = dialogue
    broken = shift(truth, -7250)
    # Through ffmpeg: the WAV re-encoded as AAC in an .m4a file.
    media = tmp_path / "dialogue.m4a"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(audio), "-c:a", "aac", str(media)],
                   check=True)
    stages: list[str] = []
    fixed, report = sync(broken, media, progress=stages.append)
    assert report.model == "offset" and report.reference == "audio"
    assert abs(report.offset_ms - 7250) <= 100
    assert _within(fixed, truth, 100) == 1.0
    assert report.other_cues == 1
    assert any("ffmpeg" in stage for stage in stages)
    # The WAV read directly, PCM bytes and an array of samples give the same answer.
    with wave.open(str(audio), "rb") as reader:
        pcm = reader.readframes(reader.getnframes())
    import numpy

    for reference in (audio, pcm, numpy.frombuffer(pcm, dtype="<i2") / 32768.0):
        again, other = sync(broken, reference)
        assert abs(other.offset_ms - report.offset_ms) <= 30
        assert _within(again, truth, 100) == 1.0


def test_missing_ffmpeg_or_extra_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    truth = _episode(1, 5)
    audio = tmp_path / "quiet.wav"
    with wave.open(str(audio), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16000)
        writer.writeframes(b"\x00\x00" * 16000)
    media = tmp_path / "x.m4a"
    media.write_bytes(b"not really")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("SUBKIT_FFMPEG", raising=False)
    with pytest.raises(ConfigError, match="needs ffmpeg"):
        sync(truth, media)
    monkeypatch.setitem(sys.modules, "webrtcvad", None)
    with pytest.raises(ConfigError, match=r"pip install 'subkit\[sync\]'"):
        sync(truth, audio)


@needs_audio
def test_unreadable_media_is_an_io_error(tmp_path: Path) -> None:
    pytest.importorskip("webrtcvad")
    bad = tmp_path / "broken.mkv"
    bad.write_bytes(b"\x00" * 2000)
    with pytest.raises(SubkitError, match="cannot read audio"):
        sync(_episode(1, 5), bad)
    with pytest.raises(SubkitError, match="no such file"):
        sync(_episode(1, 5), tmp_path / "missing.mkv")
