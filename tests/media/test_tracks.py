"""Subtitle tracks: list, extract and mux (verified) with media made by ffmpeg in the run."""

from __future__ import annotations

import pickle
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit.errors import ConfigError, SubkitIOError, UnsupportedFeatureError
from subkit.media import MuxVerifyError, SubtitleInput, Track, _tracks, extract, mux, tracks
from subkit.media._tracks import compare_cues, extract_all, language_code
from subkit.model import Cue, Document, content_from_text

from .conftest import needs_ffmpeg

#: Odd millisecond times: the round trip must keep every one of them.
SRT = (
    "1\n00:00:00,001 --> 00:00:00,999\nFirst <i>line</i>\n\n"
    "2\n00:00:01,001 --> 00:00:02,333\nSecond line\nwith two rows\n\n"
    "3\n00:00:02,500 --> 00:00:03,777\nThird\n"
)
ASS = (
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 640\nPlayResY: 360\n\n[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
    "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
    "MarginR, MarginV, Encoding\n"
    "Style: Sign,DejaVu Sans,30,&H0000FFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,8,10,10,10,1\n"
    "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:00.50,0:00:01.20,Sign,,0,0,0,,{\\i1}Bonjour{\\i0} tout le monde\n"
    "Dialogue: 0,0:00:02.00,0:00:03.00,Sign,,0,0,0,,{\\an8}En haut\n"
)
VTT = "WEBVTT\n\n00:00.250 --> 00:01.333\nHola\n\n00:02.001 --> 00:03.999\n<i>adiós</i>\n"


def _docs() -> tuple[Document, Document, Document]:
    return (subkit.loads(SRT, format="srt"), subkit.loads(ASS, format="ass"), subkit.loads(VTT, format="webvtt"))


def _cues(doc: Document) -> list[tuple[int, int, str]]:
    return [(c.start_ms, c.end_ms, " ".join(c.plain_text().split())) for c in doc.sorted().cues]


def _stream_hashes(path: Path, kind: str) -> bytes:
    """A hash of every packet of the ``kind`` streams (v or a): equal only if they were copied untouched."""
    return subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", f"0:{kind}", "-c", "copy",
                           "-f", "streamhash", "-"], capture_output=True, check=True, timeout=300).stdout


@needs_ffmpeg
def test_mux_mkv_three_tracks_then_list_and_extract_to_the_millisecond(video_mp4: Path, tmp_path: Path) -> None:
    srt, ass, vtt = _docs()
    out = tmp_path / "out.mkv"
    result = mux(video_mp4, [SubtitleInput(srt, language="en", default=True),
                             SubtitleInput(ass, language="fr", title="Français"),
                             SubtitleInput(vtt, language="es-MX", forced=True)], out)
    assert [t.codec for t in result.tracks] == ["subrip", "ass", "webvtt"], "ASS stays ASS in Matroska"
    assert [t.cues for t in result.tracks] == [3, 2, 2] and result.corrected_ms is None
    listed = tracks(out)
    assert [(t.index, t.codec, t.kind, t.language, t.title, t.default, t.forced, t.cues) for t in listed] == [
        (2, "subrip", "text", "eng", None, True, False, 3),
        (3, "ass", "text", "fre", "Français", False, False, 2),
        (4, "webvtt", "text", "spa", None, False, True, 2),
    ]
    for source, (track, back) in zip((srt, ass, vtt), extract_all(out), strict=True):
        assert _cues(back) == _cues(source), track
    french = extract(out, language="fr")
    assert french.source_format == "ass" and "Sign" in french.styles and french.language == "fre"
    assert french.cues[1].placement.align == 8, "ASS overrides survive"
    assert _stream_hashes(out, "v") == _stream_hashes(video_mp4, "v")
    assert _stream_hashes(out, "a") == _stream_hashes(video_mp4, "a")


@needs_ffmpeg
def test_mux_mp4_writes_mov_text_reports_its_losses_and_keeps_times(video_mp4: Path, tmp_path: Path) -> None:
    srt, ass, vtt = _docs()
    out = tmp_path / "out.mp4"
    result = mux(video_mp4, [SubtitleInput(srt, language="en"), SubtitleInput(ass, language="fr", title="FR"),
                             SubtitleInput(vtt)], out)
    assert [t.codec for t in result.tracks] == ["mov_text"] * 3
    features = {loss.feature for loss in result.tracks[1].losses}
    assert "alignment" in features, "the {\\an8} cue cannot be placed in mov_text"
    listed = tracks(out)
    assert [(t.language, t.title, t.cues) for t in listed] == [("eng", None, 3), ("fre", "FR", 2), (None, None, 2)]
    for source, (_track, back) in zip((srt, ass, vtt), extract_all(out), strict=True):
        assert _cues(back) == _cues(source)
    assert "<i>" in subkit.dumps(extract(out), "srt"), "italics survive mov_text"
    with pytest.raises(UnsupportedFeatureError):
        mux(video_mp4, [ass], tmp_path / "strict.mp4", strict=True)
    assert not (tmp_path / "strict.mp4").exists()


@needs_ffmpeg
def test_mux_keeps_existing_tracks_and_adds_after_them(video_mp4: Path, tmp_path: Path) -> None:
    srt, ass, _ = _docs()
    first = tmp_path / "first.mkv"
    mux(video_mp4, [srt], first)
    second = tmp_path / "second.mkv"
    result = mux(first, [SubtitleInput(ass, language="fr")], second)
    assert [t.index for t in result.tracks] == [3]
    assert [t.codec for t in tracks(second)] == ["subrip", "ass"]
    assert _cues(extract(second, track=2)) == _cues(srt)


@needs_ffmpeg
def test_naive_mux_shifts_cues_by_the_aac_priming_and_subkit_does_not(video_mp4: Path, tmp_path: Path) -> None:
    """An MP4 whose AAC audio (16 kHz) starts with 1024 priming samples hidden by an edit list.

    ffmpeg's plain ``-i video -i subs.srt -c copy out.mkv`` moves the whole file
    so that the audio's first (priming) packet is at 0, and every cue with it:
    +64 ms. subkit's mux keeps the container's times and its extraction reads
    them as they are.
    """
    srt_path = tmp_path / "in.srt"
    srt_path.write_text(SRT, encoding="utf-8")
    naive = tmp_path / "naive.mkv"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(video_mp4), "-i", str(srt_path),
                    "-map", "0", "-map", "1", "-c", "copy", str(naive)], check=True, capture_output=True, timeout=300)
    plain = subprocess.run(["ffmpeg", "-v", "error", "-i", str(naive), "-map", "0:s:0", "-f", "srt", "-"],
                           check=True, capture_output=True, timeout=300).stdout
    shifted = subkit.loads(plain, format="srt")
    assert [c.start_ms - s.start_ms for c, s in zip(shifted, subkit.loads(SRT, format="srt"), strict=True)] == [64] * 3
    result = mux(video_mp4, [subkit.loads(SRT, format="srt")], tmp_path / "exact.mkv")
    assert result.corrected_ms is None
    assert _cues(extract(tmp_path / "exact.mkv")) == _cues(subkit.loads(SRT, format="srt"))


@needs_ffmpeg
def test_mux_corrects_a_constant_shift_found_by_verification(
    video_mp4: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the naive command (no -copyts, negative times shifted), verification sees +64 ms and takes it back."""
    made = _tracks._mux_command

    def naive(*args: object) -> list[str]:
        command = [part for part in made(*args) if part != "-copyts"]  # type: ignore[arg-type]
        at = command.index("-avoid_negative_ts")
        return command[:at] + command[at + 2:]

    monkeypatch.setattr(_tracks, "_mux_command", naive)
    source = subkit.loads(SRT, format="srt")
    result = mux(video_mp4, [source], tmp_path / "fixed.mkv")
    assert result.corrected_ms == 64
    assert _cues(extract(tmp_path / "fixed.mkv")) == _cues(source)


@needs_ffmpeg
def test_mux_verification_failure_keeps_no_output(
    video_mp4: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = _tracks._extract_bytes

    def garbled(name: str, items: list[Track]) -> list[tuple[bytes, str]]:
        return [(data.replace(b"Second", b"Secnod"), fmt) for data, fmt in real(name, items)]

    monkeypatch.setattr(_tracks, "_extract_bytes", garbled)
    out = tmp_path / "bad.mkv"
    with pytest.raises(MuxVerifyError, match="differ") as caught:
        mux(video_mp4, [subkit.loads(SRT, format="srt")], out)
    assert any("Secnod" in line for line in caught.value.differences)
    assert not out.exists() and not list(tmp_path.glob(".*"))
    again = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(again, MuxVerifyError) and again.differences == caught.value.differences


def test_compare_cues_reports_differences_and_a_common_shift() -> None:
    def doc(*cues: tuple[int, int, str]) -> Document:
        return Document(cues=tuple(Cue(start_ms=s, end_ms=e, content=content_from_text(t)) for s, e, t in cues))

    base = doc((0, 1000, "a"), (2000, 2500, "b  c"))
    assert compare_cues(base, doc((0, 1000, "a"), (2000, 2500, "b c"))) == ([], None)
    lines, shift = compare_cues(base, doc((64, 1064, "a"), (2064, 2564, "b c")))
    assert shift == 64 and lines[0] == "every cue moved by +64 ms"
    lines, shift = compare_cues(base, doc((0, 1000, "a"), (2000, 2501, "b c")))
    assert shift is None and "2000-2501" in lines[0]
    lines, shift = compare_cues(base, doc((0, 1000, "a")))
    assert shift is None and lines[0] == "2 cues written, 1 read back"


def test_image_tracks_are_refused_with_an_ocr_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    video = tmp_path / "bluray.mkv"
    video.write_bytes(b"\x1aE\xdf\xa3")
    pgs = Track(index=2, codec="hdmv_pgs_subtitle", kind="image", language="eng")
    monkeypatch.setattr(_tracks, "tracks", lambda path, count=True: [pgs])
    with pytest.raises(UnsupportedFeatureError, match="needs OCR") as caught:
        extract(video)
    assert caught.value.feature == "image_subtitles"


def test_language_codes_and_bad_arguments(tmp_path: Path) -> None:
    assert [language_code(tag) for tag in ("fr", "fr-CA", "en_US", "deu", "ZH")] == ["fre", "fre", "eng", "deu",
                                                                                      "chi"]
    with pytest.raises(ConfigError):
        language_code("xx")
    with pytest.raises(SubkitIOError):
        tracks(tmp_path / "missing.mkv")
    with pytest.raises(SubkitIOError):
        mux(tmp_path / "missing.mp4", [Document()], tmp_path / "out.mkv")


@needs_ffmpeg
def test_mux_refuses_bad_targets(video_mp4: Path, tmp_path: Path) -> None:
    doc = subkit.loads(SRT, format="srt")
    with pytest.raises(ConfigError, match="mkv"):
        mux(video_mp4, [doc], tmp_path / "out.avi")
    with pytest.raises(SubkitIOError, match="overwrite"):
        mux(video_mp4, [doc], video_mp4)
    with pytest.raises(ConfigError):
        mux(video_mp4, [], tmp_path / "out.mkv")
    with pytest.raises(ConfigError, match="no subtitle track 7"):
        extract(video_mp4, track=7)
    assert tracks(video_mp4) == []


@needs_ffmpeg
def test_extract_608_captions_of_a_mov_track_through_the_scc_reader(video_mp4: Path, tmp_path: Path) -> None:
    source = subkit.loads(SRT.replace("<i>", "").replace("</i>", ""), format="srt")
    scc = tmp_path / "captions.scc"
    scc.write_text(str(subkit.render(source, "scc").data), encoding="utf-8")  # captions late to load: reported
    written = subkit.loads(scc.read_text(encoding="utf-8"), format="scc")
    mov = tmp_path / "captions.mov"
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(video_mp4), "-i", str(scc), "-map", "0",
                    "-map", "1", "-c", "copy", str(mov)], check=True, capture_output=True, timeout=300)
    listed = tracks(mov)
    assert [(t.codec, t.kind, t.cues, t.title) for t in listed] == [("eia_608", "text", None, None)]
    back = extract(mov)
    assert back.source_format == "scc"
    # Every caption starts on its frame; ffmpeg's SCC demuxer drops the file's last line (the final clear),
    # so only the last caption's end differs.
    assert _cues(back)[:-1] == _cues(written)[:-1]
    assert _cues(back)[-1][0::2] == _cues(written)[-1][0::2]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10_000_000), st.integers(1, 10_000), st.text("ab c", min_size=1, max_size=5)),
             min_size=1, max_size=20),
    st.integers(-5_000, 5_000),
)
def test_compare_cues_finds_any_common_shift(cues: list[tuple[int, int, str]], shift: int) -> None:
    def doc(offset: int) -> Document:
        return Document(cues=tuple(Cue(start_ms=s + offset + 5_000, end_ms=s + d + offset + 5_000,
                                       content=content_from_text(t)) for s, d, t in cues))

    lines, found = compare_cues(doc(0), doc(shift))
    assert (lines == [] and found is None) if shift == 0 else (found == shift and lines[0].startswith("every cue"))


@needs_ffmpeg
def test_mux_mp4_cuts_overlapping_cues_into_pieces(video_mp4: Path, tmp_path: Path) -> None:
    doc = subkit.loads("1\n00:00:01,000 --> 00:00:03,000\nOne\n\n2\n00:00:02,000 --> 00:00:03,500\nTwo\n",
                       format="srt")
    result = mux(video_mp4, [doc], tmp_path / "overlap.mp4")
    assert [loss.feature for loss in result.tracks[0].losses] == ["overlap"]
    assert _cues(extract(tmp_path / "overlap.mp4")) == [(1000, 2000, "One"), (2000, 3000, "One Two"),
                                                        (3000, 3500, "Two")]
    assert _cues(extract(mux(video_mp4, [doc], tmp_path / "overlap.mkv").output)) == _cues(doc), "MKV keeps them"
    with pytest.raises(UnsupportedFeatureError, match="overlap"):
        mux(video_mp4, [doc], tmp_path / "strict.mp4", strict=True)
