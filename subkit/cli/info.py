"""``subkit info``: what a subtitle file holds, for people or (``--json``) for scripts."""

from __future__ import annotations

from typing import Any

import click

from subkit import _io, formats
from subkit.cli._run import RunSettings, expand_inputs, io_options, pass_settings
from subkit.cli._shared import (
    Loaded,
    diagnostic_lines,
    diagnostic_record,
    echo_json,
    load_input,
    translate,
)
from subkit.errors import SubkitError, UnknownFormatError
from subkit.formats import document_features
from subkit.model import Cue, Document
from subkit.timing import format_clock

__all__ = ["document_facts", "info_command"]


def _cue_times(cue: Cue | None) -> dict[str, int] | None:
    return None if cue is None else {"start_ms": cue.start_ms, "end_ms": cue.end_ms}


def document_facts(loaded: Loaded) -> dict[str, Any]:
    """What ``subkit info --json`` prints about a file.

    ``format`` is the format the file was read as; ``source_format`` is the
    one its document came from (they differ for subkit JSON, which stores
    documents converted from elsewhere). Times are integer milliseconds;
    ``first_cue``/``last_cue`` are the earliest- and latest-starting cues;
    ``duration_ms`` is the end of the last-ending cue; cue indexes (a
    feature's ``first_cue``) are 0-based.
    """
    doc = loaded.doc
    ordered = sorted(doc.cues, key=lambda cue: (cue.start_ms, cue.end_ms))
    features = document_features(doc, raw_format=loaded.format)
    return {
        "file": loaded.name,
        "format": loaded.format,
        "source_format": doc.source_format or loaded.format,
        "encoding": loaded.encoding,
        "encoding_guess": _encoding_guess(doc),
        "cues": len(doc.cues),
        "duration_ms": doc.duration_ms,
        "first_cue": _cue_times(ordered[0] if ordered else None),
        "last_cue": _cue_times(ordered[-1] if ordered else None),
        "styles": list(doc.styles),
        "regions": list(doc.regions),
        "language": doc.language,
        "title": doc.title,
        "canvas": list(doc.canvas) if doc.canvas else None,
        "frame_rate": None if doc.frame_rate is None else str(doc.frame_rate),
        "fps": None if doc.frame_rate is None else round(float(doc.frame_rate), 3),
        "drop_frame": doc.drop_frame,
        "word_timed_cues": sum(1 for cue in doc.cues if cue.words),
        "notes": len(doc.notes),
        "attachments": len(doc.attachments),
        "features": {
            feature: {"cues": count, "first_cue": first}
            for feature, (count, first) in sorted(features.items())
        },
        "diagnostics": [diagnostic_record(diag) for diag in doc.diagnostics],
    }


def _encoding_guess(doc: Document) -> dict[str, Any] | None:
    """How the encoding was found when it was detected statistically: ``{"alternative": ...}``."""
    info = doc.loaded
    if info is None or not info.guessed:
        return None
    return {"alternative": info.alternative}


def _encoding_row(facts: dict[str, Any]) -> str:
    guess = facts["encoding_guess"]
    text = str(facts["encoding"] or "-")
    if guess is None:
        return text
    if guess["alternative"]:
        return f"{text} (guessed; {guess['alternative']} nearly as likely: pass --encoding to be sure)"
    return f"{text} (detected)"


def _span(times: dict[str, int] | None) -> str:
    if times is None:
        return "-"
    return f"{format_clock(times['start_ms'])} --> {format_clock(times['end_ms'])}"


def _names(values: list[str]) -> str:
    return f"{len(values)}: {', '.join(values)}" if values else "none"


def _title(name: str) -> str:
    try:
        return formats.get(name).title
    except UnknownFormatError:  # a document stored by a format this version does not know
        return name


def _text(doc: Document, facts: dict[str, Any], name: str) -> list[str]:
    """The human-readable report, one ``label: value`` per line."""
    feature_list = [
        f"{feature} ({info['cues']})" if info["cues"] else feature
        for feature, info in facts["features"].items()
    ]
    frame_rate = "-"
    if facts["frame_rate"] is not None:
        frame_rate = f"{facts['fps']:g} fps ({facts['frame_rate']})"
        if doc.drop_frame:
            frame_rate += ", drop-frame"
    rows = [
        ("file", name),
        ("format", f"{facts['format']} ({_title(facts['format'])})"),
        ("encoding", _encoding_row(facts)),
        ("cues", str(facts["cues"])),
        ("duration", format_clock(facts["duration_ms"])),
        ("first cue", _span(facts["first_cue"])),
        ("last cue", _span(facts["last_cue"])),
        ("word timing", f"{facts['word_timed_cues']} of {facts['cues']} cues"),
        ("styles", _names(facts["styles"])),
        ("regions", _names(facts["regions"])),
        ("canvas", "x".join(str(v) for v in facts["canvas"]) if facts["canvas"] else "-"),
        ("frame rate", frame_rate),
    ]
    if facts["source_format"] != facts["format"]:
        rows.insert(2, ("made from", f"{facts['source_format']} ({_title(facts['source_format'])})"))
    if facts["language"]:
        rows.append(("language", facts["language"]))
    if facts["title"]:
        rows.append(("title", facts["title"]))
    if facts["notes"]:
        rows.append(("notes", str(facts["notes"])))
    if facts["attachments"]:
        rows.append(("attachments", str(facts["attachments"])))
    rows.append(("features", ", ".join(feature_list) or "none"))
    rows.append(("diagnostics", str(len(doc.diagnostics)) if doc.diagnostics else "none"))
    width = max(len(label) for label, _ in rows) + 1
    lines = [f"{label + ':':<{width}} {value}" for label, value in rows]
    lines.extend(f"  {line}" for line in diagnostic_lines(doc.diagnostics, name))
    return lines


@click.command("info")
@click.argument("files", metavar="FILE...", nargs=-1, required=True)
@io_options("from", "encoding", "recursive", "json", json={"help": "Print the facts as a JSON object."})
@click.option("-v", "--verbose", is_flag=True,
              help="Also print a disassembly of the file's codes, for formats that have one (SCC, MCC).")
@pass_settings
def info_command(settings: RunSettings, /, files: tuple[str, ...], verbose: bool = False) -> None:
    """Describe a subtitle file: format, cues, timing, features.

    Prints the detected format and encoding, the number of cues and their time
    span, styles, regions, canvas and frame rate, the model features the file
    uses (italic, positions, word timing ...) and what the reader had to repair,
    with line numbers. FILE may be "-" for standard input; several files or a
    folder (its subtitle files) are described one after the other (with
    --json, as a list).

    With --verbose, formats made of codes (SCC, MCC) are also disassembled:
    one line per command with its timecode, its words and what it means.

    \b
    Examples:
      subkit info movie.ass
      subkit info --json movie.srt | jq .features
      subkit info --verbose captions.scc
    """
    paths = expand_inputs(files, recursive=settings.recursive)
    records = []
    for number, file in enumerate(paths):
        try:
            loaded = load_input(file, format=settings.from_spec, encoding=settings.encoding)
        except SubkitError as exc:
            raise translate(exc, "<stdin>" if file == "-" else file) from exc
        facts = document_facts(loaded)
        records.append(facts)
        if settings.as_json:
            continue
        if len(paths) > 1:
            click.echo(("\n" if number else "") + f"== {loaded.name}")
        for line in _text(loaded.doc, facts, loaded.name):
            click.echo(line)
        if verbose:
            for line in _disassembly(file, loaded, settings.encoding):
                click.echo(line)
    if settings.as_json:
        echo_json(records[0] if len(files) == 1 and len(records) == 1 else records)


def _disassembly(file: str, loaded: Loaded, encoding: str | None) -> list[str]:
    """The lines of the format module's ``disassemble(text)``, when it has one."""
    module = formats.module(loaded.format)
    disassemble = getattr(module, "disassemble", None)
    if disassemble is None:
        return []
    if file == "-":
        return ["disassembly: not available for standard input"]
    try:
        text = _io.normalize_newlines(_io.decode(_io.read_bytes(file), loaded.encoding or encoding).text)
    except SubkitError as exc:
        raise translate(exc, file) from exc
    return ["disassembly:", *(f"  {item}" for item in disassemble(text))]
