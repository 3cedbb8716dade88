"""Hypothesis strategies for the model, shared by the format tests.

``documents()`` draws anything the model can hold (for the lossless JSON form);
format tests narrow it with the keyword arguments or build their own from the
pieces here.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from subkit.model import (
    Attachment,
    Color,
    ContentItem,
    Cue,
    Diagnostic,
    Document,
    LineBreak,
    Note,
    Placement,
    Raw,
    Region,
    Run,
    RunStyle,
    Style,
    Word,
)

#: Letters, digits, punctuation and a few non-ASCII letters; no markup characters.
SAFE_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?'-éßçñÅ漢字"

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
colors = st.builds(
    Color,
    r=st.integers(0, 255),
    g=st.integers(0, 255),
    b=st.integers(0, 255),
    a=st.integers(0, 255),
)
opaque_colors = st.builds(Color, r=st.integers(0, 255), g=st.integers(0, 255), b=st.integers(0, 255))


def words_text(alphabet: str = SAFE_ALPHABET, min_size: int = 1, max_size: int = 30) -> st.SearchStrategy[str]:
    """One line of text that does not start or end with a space and has no double spaces."""
    return (
        st.text(alphabet=alphabet, min_size=min_size, max_size=max_size)
        .map(lambda s: " ".join(s.split()))
        .filter(lambda s: len(s) >= min_size)
    )


def run_styles(
    *,
    italic: bool = True,
    bold: bool = True,
    underline: bool = True,
    strike: bool = True,
    color: bool = True,
    font: bool = True,
    full: bool = False,
) -> st.SearchStrategy[RunStyle]:
    """Run styles using only the switched-on attributes (``full``: everything)."""

    def flag(on: bool) -> st.SearchStrategy[bool | None]:
        return st.sampled_from([None, True]) if on else st.none()

    kwargs: dict[str, st.SearchStrategy[object]] = {
        "italic": flag(italic),
        "bold": flag(bold),
        "underline": flag(underline),
        "strike": flag(strike),
        "color": st.none() | opaque_colors if color else st.none(),
        "font_family": st.none() | st.sampled_from(["Arial", "Times New Roman"]) if font else st.none(),
        "font_size": st.none() | st.integers(8, 96).map(float) if font else st.none(),
    }
    if full:
        kwargs.update(
            italic=st.sampled_from([None, True, False]),
            bold=st.sampled_from([None, True, False]),
            weight=st.none() | st.sampled_from([100, 400, 700, 900]),
            color=st.none() | colors,
            background=st.none() | colors,
            outline_color=st.none() | colors,
            shadow_color=st.none() | colors,
            classes=st.lists(names, max_size=2).map(tuple),
            language=st.none() | st.sampled_from(["en", "fr-CA", "ja"]),
            voice=st.none() | names,
            ruby=st.none() | names,
        )
    return st.builds(RunStyle, **kwargs)


@st.composite
def contents(
    draw: st.DrawFn,
    styles: st.SearchStrategy[RunStyle] | None = None,
    alphabet: str = SAFE_ALPHABET,
    max_lines: int = 3,
    raw: bool = False,
) -> tuple[ContentItem, ...]:
    """Cue content: 1..max_lines non-empty lines of one or more runs, adjacent runs styled differently."""
    style_strategy = styles if styles is not None else st.just(RunStyle())
    items: list[ContentItem] = []
    for line_no in range(draw(st.integers(1, max_lines))):
        if line_no:
            items.append(LineBreak())
        previous: RunStyle | None = None
        for _ in range(draw(st.integers(1, 3))):
            style = draw(style_strategy)
            if style == previous:
                continue
            items.append(Run(draw(words_text(alphabet)), style))
            previous = style
        if raw and draw(st.booleans()):
            items.append(Raw("ass", "{\\blur2}"))
    return tuple(items)


@st.composite
def timed_words(
    draw: st.DrawFn, cue_text: str, start_ms: int, end_ms: int, step: int = 1, *, distinct: bool = False
) -> tuple[Word, ...]:
    """Contiguous words covering the cue, texts joining to ``cue_text`` (split after spaces).

    ``distinct``: at least two words, each lasting at least ``step`` (what a conforming WebVTT file
    can say: every inner timestamp strictly inside the cue and after the one before), or none.
    """
    pieces: list[str] = []
    current = ""
    for char in cue_text:
        current += char
        if char in " \n":
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    if not pieces:
        return ()
    span = (end_ms - start_ms) // step
    if distinct:
        if len(pieces) < 2 or span < len(pieces):
            return ()
        cuts = sorted(draw(st.lists(st.integers(1, span - 1), min_size=len(pieces) - 1,
                                    max_size=len(pieces) - 1, unique=True)))
    else:
        cuts = sorted(draw(st.lists(st.integers(0, span), min_size=len(pieces) - 1, max_size=len(pieces) - 1)))
    bounds = [start_ms, *(start_ms + c * step for c in cuts), end_ms]
    return tuple(
        Word(text=text, start_ms=bounds[i], end_ms=bounds[i + 1]) for i, text in enumerate(pieces)
    )


@st.composite
def cue_times(draw: st.DrawFn, step: int = 1, max_ms: int = 10 * 3600 * 1000 - 1000) -> tuple[int, int]:
    """A (start, end) pair on a grid of ``step`` ms with end >= start."""
    start = draw(st.integers(0, max_ms // step)) * step
    length = draw(st.integers(0, 20_000 // step)) * step
    return start, min(start + length, max_ms)


@st.composite
def full_cues(draw: st.DrawFn) -> Cue:
    """A cue using every field of the model."""
    start, end = draw(cue_times())
    content = draw(contents(styles=run_styles(full=True), raw=True))
    cue = Cue(start_ms=start, end_ms=end, content=content)
    words: tuple[Word, ...] = ()
    if draw(st.booleans()):
        words = draw(timed_words(cue.plain_text(), start, end))
    has_xy = draw(st.booleans())
    placement = Placement(
        align=draw(st.none() | st.integers(1, 9)),
        x=50.0 if has_xy else None,
        y=draw(st.floats(0, 100)) if has_xy else None,
        unit=draw(st.sampled_from(["px", "%"])),
        region=draw(st.none() | names),
        line=draw(st.none() | st.integers(-5, 20).map(float)),
        snap_to_lines=draw(st.booleans()),
        position=draw(st.none() | st.floats(0, 100)),
        size=draw(st.none() | st.floats(0, 100)),
        text_align=draw(st.none() | st.sampled_from(["start", "center", "end", "left", "right"])),
        vertical=draw(st.none() | st.sampled_from(["rl", "lr"])),
        margin_l=draw(st.none() | st.integers(0, 100)),
        layer=draw(st.integers(0, 3)),
    )
    return Cue(
        start_ms=start,
        end_ms=end,
        content=content,
        id=draw(st.none() | names),
        style=draw(st.none() | names),
        placement=placement,
        speaker=draw(st.none() | names),
        language=draw(st.none() | st.sampled_from(["en", "de"])),
        comment=draw(st.booleans()),
        forced=draw(st.booleans()),
        effect=draw(st.none() | st.just("Karaoke")),
        caption_mode=draw(st.none() | st.sampled_from(["pop-on", "roll-up2"])),
        words=words,
        extra=draw(st.dictionaries(names.map(lambda n: f"x.{n}"), names, max_size=2)),
    )


@st.composite
def full_documents(draw: st.DrawFn) -> Document:
    """A document using every field of the model."""
    cues = tuple(draw(st.lists(full_cues(), max_size=5)))
    style_names = draw(st.lists(names, max_size=3, unique=True))
    styles = {
        n: Style(
            name=n,
            font_family=draw(st.none() | st.just("Arial")),
            font_size=draw(st.none() | st.floats(1, 100)),
            primary_color=draw(st.none() | colors),
            bold=draw(st.none() | st.booleans()),
            align=draw(st.none() | st.integers(1, 9)),
            margin_v=draw(st.none() | st.integers(0, 50)),
            extra=draw(st.dictionaries(names, names, max_size=1)),
        )
        for n in style_names
    }
    region_ids = draw(st.lists(names, max_size=2, unique=True))
    regions = {
        r: Region(
            id=r,
            width=draw(st.none() | st.floats(0, 100)),
            lines=draw(st.none() | st.integers(1, 5)),
            region_anchor=draw(st.none() | st.tuples(st.floats(0, 100), st.floats(0, 100))),
            scroll=draw(st.none() | st.just("up")),
        )
        for r in region_ids
    }
    return Document(
        cues=cues,
        styles=styles,
        regions=regions,
        language=draw(st.none() | st.just("en")),
        title=draw(st.none() | words_text()),
        frame_rate=draw(st.none() | st.sampled_from([Fraction(25), Fraction(30000, 1001)])),
        drop_frame=draw(st.booleans()),
        canvas=draw(st.none() | st.just((1920, 1080))),
        header=draw(st.dictionaries(names.map(lambda n: f"ass.{n}"), words_text(), max_size=2)),
        stylesheets=tuple(draw(st.lists(st.just("::cue { color: red }"), max_size=1))),
        notes=tuple(draw(st.lists(st.builds(Note, text=words_text(), before_cue=st.integers(0, 5)), max_size=2))),
        attachments=tuple(
            draw(
                st.lists(
                    st.builds(Attachment, kind=st.just("font"), name=names, data=st.binary(max_size=20)),
                    max_size=1,
                )
            )
        ),
        diagnostics=tuple(
            draw(st.lists(st.builds(Diagnostic, message=words_text(), line=st.none() | st.integers(1, 99)), max_size=2))
        ),
        source_format=draw(st.none() | st.sampled_from(["srt", "ass"])),
        encoding=draw(st.none() | st.just("utf-8")),
    )
