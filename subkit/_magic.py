"""What a file that is not subtitles is, from its first bytes ("magic numbers").

Used to say more than "no SRT timing line" when a video, an image or an image
subtitle format was given where text subtitles were expected.
"""

from __future__ import annotations

__all__ = ["describe"]

#: Image subtitles: what to say about them.
_OCR = "image subtitles: their text is pictures and needs OCR before subkit can read it"

#: (offset, magic bytes, description).
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x1a\x45\xdf\xa3", "a Matroska/WebM video file"),
    (4, b"ftyp", "an MP4/QuickTime (ISO BMFF) media file"),
    (0, b"\x00\x00\x01\xba", "an MPEG program stream: a VobSub .sub file or DVD video; VobSub are " + _OCR),
    (0, b"\x00\x00\x01\xb3", "an MPEG video stream"),
    (0, b"PG", "a PGS/SUP (Blu-ray) subtitle stream; PGS are " + _OCR),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF8", "a GIF image"),
    (0, b"RIFF", "a RIFF file (AVI video or WAV audio)"),
    (0, b"OggS", "an Ogg media file"),
    (0, b"fLaC", "a FLAC audio file"),
    (0, b"ID3", "an MP3 audio file"),
    (0, b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "a Windows Media (ASF) file"),
    (0, b"FLV", "a Flash video file"),
    (0, b"%PDF", "a PDF document"),
    (0, b"PK\x03\x04", "a ZIP archive (unpack it first)"),
    (0, b"\x1f\x8b", "a gzip-compressed file (unpack it first)"),
    (0, b"Rar!", "a RAR archive (unpack it first)"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (unpack it first)"),
    (0, b"# VobSub index file", "a VobSub index (.idx); its .sub holds " + _OCR),
)


def describe(data: bytes) -> str | None:
    """What ``data`` is when its first bytes say it is not a text subtitle file, else ``None``.

    >>> describe(b"\\x1aE\\xdf\\xa3\\x93B\\x82\\x88matroska")
    'a Matroska/WebM video file'
    >>> describe(b"1\\n00:00:01,000 --> 00:00:02,000\\nHi\\n") is None
    True
    """
    for offset, magic, what in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            if magic == b"PG" and len(data) > 10 and data[10] not in (0x14, 0x15, 0x16, 0x17, 0x80):
                continue  # "PG" then a segment type byte; plain text may start with PG too
            if magic == b"RIFF" and data[8:12] == b"WAVE":
                return "a WAV audio file"
            if magic == b"RIFF" and data[8:12] == b"AVI ":
                return "an AVI video file"
            return what
    return None
