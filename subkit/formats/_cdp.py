"""CEA-708 caption distribution packets (SMPTE ST 334-2) in ANC packets, and MCC hex compression.

An MCC data line holds one ANC packet: DID ``61``, SDID ``01`` (a CDP; SDID
``02`` carries bare 608 data), the data count, the CDP and a checksum byte.
A CDP is::

    96 69 | length | rate<<4 | 0F | flags | counter (2 bytes)
    [71 | time code (4 bytes)]
    [72 | E0|cc_count | cc_count x (F8|valid<<2|type, byte, byte)]
    [73 | service information ...]
    74 | counter (2 bytes) | checksum        (all CDP bytes sum to 0 mod 256)

In ``cc_data``, types 0 and 1 are 608 pairs of field 1 and 2; types 2 and 3
are DTVCC (708) packet data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = [
    "CC_COUNT",
    "RATE_CODES",
    "Cdp",
    "build_anc",
    "compress",
    "expand",
    "parse_anc",
]

#: CDP frame-rate code -> frames per second.
RATE_CODES: dict[int, Fraction] = {
    1: Fraction(24000, 1001), 2: Fraction(24), 3: Fraction(25), 4: Fraction(30000, 1001),
    5: Fraction(30), 6: Fraction(50), 7: Fraction(60000, 1001), 8: Fraction(60),
}

#: cc_count per CDP at each frame-rate code (ST 334-2 / CTA-708 bandwidth).
CC_COUNT: dict[int, int] = {1: 25, 2: 25, 3: 24, 4: 20, 5: 20, 6: 12, 7: 10, 8: 10}

_PAD_708 = bytes((0xFA, 0x00, 0x00))

#: The MacCaption letters (the Telestream header's table): letter -> bytes.
LETTERS: dict[str, bytes] = {
    **{chr(ord("G") + n): _PAD_708 * (n + 1) for n in range(9)},
    "P": bytes((0xFB, 0x80, 0x80)),
    "Q": bytes((0xFC, 0x80, 0x80)),
    "R": bytes((0xFD, 0x80, 0x80)),
    "S": bytes((0x96, 0x69)),
    "T": bytes((0x61, 0x01)),
    # U is disputed (2 or 3 zero bytes after E1); files agree on 3, and the writer never uses it.
    "U": bytes((0xE1, 0x00, 0x00, 0x00)),
    "Z": bytes((0x00,)),
}

#: Letters only FFmpeg's demuxer knows; read with a diagnostic.
FFMPEG_LETTERS: dict[str, bytes] = {"V": bytes((0xFC, 0x80, 0x80)), "W": bytes((0xE1, 0x00, 0x00, 0x00)),
                                    "X": b"", "Y": b""}

_TOKEN = re.compile(r"[0-9A-Fa-f]{2}|[G-Zg-z]|\s+|.", re.DOTALL)


#: str.translate table: each MCC letter (either case) -> its hex.
_LETTER_HEX = {ord(letter): data.hex() for letter, data in LETTERS.items()}
_LETTER_HEX.update({ord(letter.lower()): data.hex() for letter, data in LETTERS.items()})


def expand(payload: str, problems: list[str]) -> bytes:
    """The bytes of an MCC hex payload with its letters expanded; odd things go to ``problems``.

    >>> expand("T57S", []).hex()
    '6101579669'
    """
    try:
        # The usual case: only hex digits and table letters.
        return bytes.fromhex(payload.translate(_LETTER_HEX))
    except ValueError:
        pass
    out = bytearray()
    # Problems are counted per kind and reported once per payload: a line of a
    # million bad characters gives one problem, not a million.
    unknown: dict[str, int] = {}
    blanks = odd = 0
    for match in _TOKEN.finditer(payload):
        token = match.group()
        if token.isspace():  # before the length test: a run of two blanks is not a hex pair
            blanks += 1
            continue
        if len(token) == 2:
            out.append(int(token, 16))
        elif token.upper() in LETTERS:
            out += LETTERS[token.upper()]
        elif token.upper() in FFMPEG_LETTERS:
            if token.upper() not in unknown:
                problems.append(f"letter {token!r} is not in the MCC table (read as FFmpeg does)")
            unknown[token.upper()] = 0
            out += FFMPEG_LETTERS[token.upper()]
        elif token in "0123456789abcdefABCDEF":
            odd += 1
        else:
            unknown[token] = unknown.get(token, 0) + 1
    if blanks:
        problems.append("blanks in the data (ignored)")
    if odd:
        problems.append("odd number of hex digits (the last one ignored)")
    bad = {char: count for char, count in unknown.items() if count}
    if bad:
        shown = "".join(sorted(bad))[:20]
        problems.append(f"{sum(bad.values())} unknown character(s) {shown!r} in the data (ignored)")
    return bytes(out)


#: The bytes a letter of more than one byte starts with, and the MCC hex of every byte on its own.
_PATTERN_STARTS = frozenset({0xFA, 0xFB, 0xFC, 0xFD, 0x96, 0x61})
_BYTE_HEX = tuple("Z" if byte == 0 else f"{byte:02X}" for byte in range(256))


def compress(data: bytes) -> str:
    """MCC hex for ``data``, using the letters on byte boundaries (never the disputed ``U``).

    >>> compress(bytes.fromhex("610157966957fa0000fa0000fc8080ff00"))
    'T57S57HQFFZ'
    """
    if _PATTERN_STARTS.isdisjoint(data):
        return "".join([_BYTE_HEX[byte] for byte in data])  # no letter but Z: byte by byte
    out: list[str] = []
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte == 0xFA and data[i : i + 3] == _PAD_708:
            count = 1
            while count < 9 and data[i + 3 * count : i + 3 * count + 3] == _PAD_708:
                count += 1
            out.append(chr(ord("G") + count - 1))
            i += 3 * count
        elif byte in (0xFB, 0xFC, 0xFD) and data[i + 1 : i + 3] == b"\x80\x80":
            out.append("PQR"[byte - 0xFB])
            i += 3
        elif byte == 0x96 and data[i + 1 : i + 2] == b"\x69":
            out.append("S")
            i += 2
        elif byte == 0x61 and data[i + 1 : i + 2] == b"\x01":
            out.append("T")
            i += 2
        elif byte == 0:
            out.append("Z")
            i += 1
        else:
            out.append(f"{byte:02X}")
            i += 1
    return "".join(out)


@dataclass(slots=True)
class Cdp:
    """A parsed CDP.

    Attributes:
        rate_code: the frame-rate code (see :data:`RATE_CODES`).
        counter: the header's sequence counter.
        pairs608: ``(field, b1, b2)`` of valid 608 triplets, in order (parity kept).
        dtvcc: how many valid DTVCC (708) triplets it held.
        problems: what was wrong with it.
    """

    rate_code: int = 0
    counter: int = 0
    pairs608: list[tuple[int, int, int]] = field(default_factory=list)
    dtvcc: int = 0
    problems: list[str] = field(default_factory=list)


def parse_anc(packet: bytes) -> Cdp:
    """Parse one ANC packet holding a CDP (or bare 608 data); problems are listed, never raised.

    >>> cdp = parse_anc(build_anc(4, 7, [(0, 0x94, 0x20)], None))
    >>> cdp.rate_code, cdp.counter, cdp.pairs608, cdp.problems
    (4, 7, [(1, 148, 32), (2, 128, 128)], [])
    """
    cdp = Cdp()
    if len(packet) < 3:
        cdp.problems.append("ANC packet shorter than its header")
        return cdp
    did, sdid, count = packet[0], packet[1], packet[2]
    payload = packet[3 : 3 + count]
    trailer = packet[3 + count :]
    if len(payload) < count or len(trailer) > 1:
        # A wrong data count: the CDP (which knows its own length) gets every byte.
        cdp.problems.append(f"ANC data count {count} but {len(packet) - 3} bytes follow")
        payload, trailer = packet[3:], b""
    if len(trailer) == 1 and sum(packet[: 3 + count]) % 256 != trailer[0]:
        cdp.problems.append("ANC checksum error")
    if did != 0x61 or sdid not in (0x01, 0x02):
        cdp.problems.append(f"not a caption ANC packet (DID {did:02x}, SDID {sdid:02x})")
        return cdp
    if sdid == 0x02:
        # ST 334-1 608 packets: a field/line byte (bit 7 set for field 1), then the pair.
        for i in range(0, len(payload) - 2, 3):
            cdp.pairs608.append((1 if payload[i] & 0x80 else 2, payload[i + 1], payload[i + 2]))
        return cdp
    _parse_cdp(payload, cdp)
    if trailer and "CDP footer missing" in cdp.problems:
        # The CDP runs one byte past the data count: the last byte is its own checksum.
        retry = Cdp()
        _parse_cdp(packet[3:], retry)
        if "CDP footer missing" not in retry.problems:
            retry.problems.insert(0, f"ANC data count {count} is shorter than the CDP")
            return retry
    return cdp


def _parse_cdp(data: bytes, cdp: Cdp) -> None:
    problems = cdp.problems
    if len(data) < 11 or data[0] != 0x96 or data[1] != 0x69:
        problems.append("CDP does not start with 96 69")
        return
    length = data[2]
    if length != len(data):
        problems.append(f"CDP length {length} but the packet holds {len(data)} bytes")
    if sum(data) % 256:
        problems.append("CDP checksum error")
    cdp.rate_code = data[3] >> 4
    if cdp.rate_code not in RATE_CODES:
        problems.append(f"unknown CDP frame-rate code {cdp.rate_code}")
    flags = data[4]
    cdp.counter = data[5] << 8 | data[6]
    i = 7
    if flags & 0x80:
        if data[i : i + 1] != b"\x71":
            problems.append("time-code section missing")
        i += 5
    if flags & 0x40:
        if data[i : i + 1] != b"\x72":
            problems.append("cc_data section missing")
            return
        count = data[i + 1] & 0x1F
        expected = CC_COUNT.get(cdp.rate_code)
        if expected is not None and count != expected:
            problems.append(f"cc_count {count} does not match the frame rate (expected {expected})")
        i += 2
        for _ in range(count):
            triplet = data[i : i + 3]
            if len(triplet) < 3:
                problems.append("cc_data cut short")
                return
            i += 3
            marker, b1, b2 = triplet
            if not marker & 0x04:
                continue  # not valid: padding
            kind = marker & 0x03
            if kind < 2:
                cdp.pairs608.append((kind + 1, b1, b2))
            else:
                cdp.dtvcc += 1
    while i < len(data) and data[i] != 0x74:
        section = data[i]
        if section == 0x73:
            i += 2 + 7 * (data[i + 1] & 0x0F) if i + 1 < len(data) else 1
        elif 0x75 <= section <= 0xEF and i + 1 < len(data):
            i += 2 + data[i + 1]  # a future section: id, length, data
        else:
            problems.append(f"unexpected byte {section:02x} in the CDP")
            i += 1
    footer = data[i : i + 4]
    if len(footer) < 4 or footer[0] != 0x74:
        problems.append("CDP footer missing")
    elif (footer[1] << 8 | footer[2]) != cdp.counter:
        problems.append("CDP footer counter differs from the header's")


def build_anc(rate_code: int, counter: int, pairs: list[tuple[int, int, int]], timecode: bytes | None) -> bytes:
    """An ANC packet with one CDP carrying ``pairs`` (``(cc_type, b1, b2)``), padded to the rate's cc_count.

    608 null pairs (``FC 80 80`` / ``FD 80 80``) fill the 608 fields that carry
    no data; 708 padding (``FA 00 00``) fills the rest.
    """
    count = CC_COUNT[rate_code]
    triplets = bytearray()
    for kind, b1, b2 in pairs:
        triplets += bytes((0xFC | kind, b1, b2))
    used = {kind for kind, _, _ in pairs}
    for kind in (0, 1):
        if kind not in used and len(triplets) < 3 * count:
            triplets += bytes((0xFC | kind, 0x80, 0x80))  # a 608 null pair: padding for the field
    while len(triplets) < 3 * count:
        triplets += _PAD_708
    body = bytearray((0x96, 0x69, 0, rate_code << 4 | 0x0F, 0x43 | (0x80 if timecode else 0)))
    body += counter.to_bytes(2, "big")
    if timecode:
        body += b"\x71" + timecode
    body += bytes((0x72, 0xE0 | count)) + triplets
    body += b"\x74" + counter.to_bytes(2, "big")
    body[2] = len(body) + 1
    body.append(-sum(body) % 256)
    packet = bytes((0x61, 0x01, len(body))) + body
    return packet + bytes((sum(packet) % 256,))


#: The compressed hex of each sequence counter met so far (at most 65,536).
_COUNTER_HEX: dict[int, str] = {}


class LineWriter:
    """Makes the compressed hex of one ANC/CDP line per frame, quickly.

    Frames differ only in their 608 pair and the sequence counter, so the
    compressed ``cc_data`` section is cached per pair and only the counter
    and the checksums are computed per line. The output equals
    ``compress(build_anc(...))``.

    >>> writer = LineWriter(4)
    >>> writer.line(5, (0x94, 0x20)) == compress(build_anc(4, 5, [(0, 0x94, 0x20)], None))
    True
    """

    def __init__(self, rate_code: int) -> None:
        self.rate_code = rate_code
        self.count = CC_COUNT[rate_code]
        self._middle: dict[tuple[int, int] | None, tuple[str, int, int]] = {}
        self._lead: dict[int, tuple[str, int]] = {}  # length -> (compressed start up to the counter, byte sum)

    def _section(self, pair: tuple[int, int] | None) -> tuple[str, int, int]:
        cached = self._middle.get(pair)
        if cached is None:
            pairs = [] if pair is None else [(0, pair[0], pair[1])]
            anc = build_anc(self.rate_code, 0, pairs, None)
            middle = anc[10:-5]  # from the 72 section to the footer
            cached = self._middle[pair] = (compress(middle), sum(middle), len(middle))
        return cached

    def line(self, counter: int, pair: tuple[int, int] | None) -> str:
        """The compressed ANC packet of one frame carrying ``pair`` on field 1 (``None``: padding)."""
        text, total, size = self._section(pair)
        length = 7 + size + 4
        hi, lo = counter >> 8, counter & 0xFF
        lead = self._lead.get(length)
        if lead is None:
            # No letter spans the counter's first byte: the bytes before it compress on their own.
            lead = self._lead[length] = (
                "T" + compress(bytes((length,))) + "S" + compress(bytes((length, self.rate_code << 4 | 0x0F, 0x43))),
                length + (self.rate_code << 4 | 0x0F) + 0x43,
            )
        counter_text = _COUNTER_HEX.get(counter)
        if counter_text is None:
            counter_text = _COUNTER_HEX[counter] = compress(bytes((hi, lo)))
        checksum = -(0x96 + 0x69 + lead[1] + hi + lo + total + 0x74 + hi + lo) % 256
        anc_checksum = (0x62 + length) % 256
        return "".join((lead[0], counter_text, text, "74", compress(bytes((hi, lo, checksum, anc_checksum)))))
