"""``subkit split``: a bilingual subtitle file into its two languages."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from subkit.cli._run import (
    READ_WRITE,
    Job,
    Outcome,
    RunSettings,
    Transform,
    io_options,
    pass_settings,
    plan_jobs,
    run_jobs,
)
from subkit.cli._shared import Loaded
from subkit.errors import SubkitIOError
from subkit.formats import FormatSpec
from subkit.ops import SPLIT_MODES, ChangeReport, split

__all__ = ["split_command"]

#: The output names of split for many inputs: ``both.srt`` gives ``both.a.srt`` and ``both.b.srt``.
SPLIT_TEMPLATE = "{stem}.{part}{ext}"


def _transform(by: str, primary_lines: int | None) -> Transform:
    def transform(job: Job, loaded: Sequence[Loaded], specs: Sequence[FormatSpec]) -> Outcome:
        report = ChangeReport()
        first, second = split(loaded[0].doc, by=by, primary_lines=primary_lines, report=report)
        line = f"split: cues {len(loaded[0].doc.cues)} -> {len(first.cues)} + {len(second.cues)}; {report.summary()}"
        return Outcome([first, second], lines=[line], record={"changes": dict(report)},
                       outputs=[{"language": first.language}, {"language": second.language}])

    return transform


@click.command("split", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, required=True, metavar="IN OUT_A OUT_B | IN...")
@click.option("-b", "--by", type=click.Choice(SPLIT_MODES), default="auto", show_default=True,
              help="Tell the languages apart by ASS style, by language tags, or by line position.")
@click.option("--lines", "primary_lines", type=click.IntRange(min=1), metavar="N",
              help="With --by lines: the first N lines of each cue go to OUT_A (default: the top half).")
@io_options(*READ_WRITE)
@pass_settings
def split_command(settings: RunSettings, /, paths: tuple[str, ...], by: str,
                  primary_lines: int | None) -> None:
    """Split a bilingual subtitle file into its two languages.

    The reverse of subkit merge, and a way to take apart "double" subtitles
    from captioning services. With --by auto: by ASS style when the cues use
    two styles (Top first), else by language tags, else by line position
    (the top half of each stacked cue goes to OUT_A).

    \b
    Many inputs: give one IN, several, or a folder to write each input's two
    languages beside it as IN.a.EXT and IN.b.EXT, or into --out-dir DIR (a
    last path that is a folder works the same). --name TEMPLATE names them;
    it needs {part} (a or b): '{stem}.{part}{ext}' is the default.

    \b
    Examples:
      subkit split both.ass en.srt fr.srt
      subkit split double.srt source.srt target.srt --by lines --lines 1
      subkit split bilingual/ -d parts/ --name '{stem}.{part}.vtt' --to vtt
    """
    missing = [path for path in paths[1:] if path != "-" and not Path(path).exists()]
    if missing and (len(paths) != 3 or settings.out_dir is not None or settings.template is not None):
        raise click.UsageError(f"{missing[0]}: no such input; give IN OUT_A OUT_B, or inputs that exist")
    jobs = plan_jobs(paths, settings, command="split", template=SPLIT_TEMPLATE, parts=("a", "b"))
    for job in jobs:
        target_a, target_b = job.targets
        if "-" in job.targets and (settings.as_json or target_a == target_b):
            raise click.UsageError("only one output can be '-', and not with --json")
        if target_a == target_b:
            raise SubkitIOError(f"{target_a}: both outputs name the same file", path=target_a)
    run_jobs(jobs, settings, _transform(by, primary_lines))
