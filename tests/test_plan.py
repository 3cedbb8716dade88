"""The one planning implementation (``subkit._plan``) behind the CLI commands and ``subkit.batch.plan``."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subkit import _plan, batch
from subkit.errors import ConfigError, SubkitIOError

SRT = "1\n00:00:01,000 --> 00:00:02,000\nHi\n"


def _files(root: Path, *relpaths: str) -> Path:
    for relpath in relpaths:
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(SRT, encoding="utf-8")
    return root


# ---------------------------------------------------------------- the vocabulary


def test_every_field_means_what_the_table_says() -> None:
    fields = _plan.name_fields("season1/ep01.en.srt", ext=".vtt", format="webvtt", command="clean", part="a")
    assert fields == {
        "name": "ep01.en.srt", "stem": "ep01.en", "base": "ep01", "lang": "en", "suffix": ".srt", "ext": ".vtt",
        "format": "webvtt", "command": "clean", "part": "a", "relpath": "season1/ep01.en", "reldir": "season1",
    }
    assert set(fields) == set(_plan.TEMPLATE_FIELDS) == set(batch.TEMPLATE_FIELDS)
    top = _plan.name_fields("ep01.srt", ext="vtt")  # the dot is added to a bare extension
    assert (top["lang"], top["base"], top["reldir"], top["relpath"], top["ext"]) == ("und", "ep01", ".", "ep01", ".vtt")


def test_a_known_extension_comes_off_whole_and_a_language_tag_may_have_subtags() -> None:
    assert _plan.split_extension("x.subkit.json") == ("x", ".subkit.json")
    assert _plan.split_extension("ep.EBUTTD.XML") == ("ep", ".EBUTTD.XML")
    assert _plan.split_extension("notes.md") == ("notes", ".md")
    assert _plan.split_extension(".srt") == (".srt", "")  # a hidden name is no extension
    assert _plan.split_language("show.pt-BR") == ("show", "pt-BR")
    assert _plan.split_language("show.zh_Hant") == ("show", "zh_Hant")
    assert _plan.split_language("ep01.clean") == ("ep01.clean", "und")  # five letters: not a tag
    assert _plan.split_language("en") == ("en", "und")


@given(st.lists(st.text(st.sampled_from("abcXYZ019-_ "), min_size=1, max_size=8), min_size=1, max_size=4),
       st.sampled_from([".srt", ".vtt", ".subkit.json", ".ebuttd.xml", ".en.srt", ""]))
def test_names_rebuild_the_input_path(parts: list[str], extension: str) -> None:
    relpath = "/".join(parts) + extension
    if posixpath.basename(relpath).startswith("."):
        return
    assert _plan.name_output("{reldir}/{name}", relpath, ".vtt") == posixpath.normpath(relpath)
    assert _plan.name_output("{relpath}{suffix}", relpath, ".vtt") == posixpath.normpath(relpath)
    assert _plan.name_output("{stem}{suffix}", relpath, ".vtt") == posixpath.basename(relpath)


def test_old_batch_spellings_are_refused_with_the_new_one() -> None:
    with pytest.raises(ConfigError, match=r"\{ext\} includes its dot: write '\{relpath\}\{ext\}'"):
        _plan.check_template("{relpath}.{ext}")
    with pytest.raises(ConfigError, match=r"\{stem\} keeps the language tag: write '\{base\}\.\{lang\}\{ext\}'"):
        _plan.check_template("{stem}.{lang}{ext}")
    with pytest.raises(ConfigError, match=r"unknown field \{lng\} \(did you mean \{lang\}\?\)"):
        _plan.check_template("{base}.{lng}{ext}")
    with pytest.raises(ConfigError, match=r"unknown field \{stem.upper\}"):
        _plan.check_template("{stem.upper}{ext}")  # no attribute access into the values
    with pytest.raises(ConfigError, match="brace"):
        _plan.check_template("{stem{ext}")
    with pytest.raises(ConfigError, match=r"with \{part\}"):
        _plan.check_template("{stem}{ext}", parts=2)
    _plan.check_template("{stem}.{part}{ext}", parts=2)


def test_names_stay_inside_the_output_folder() -> None:
    assert _plan.name_output("fixed/{stem}{ext}", "a.srt", ".vtt") == "fixed/a.vtt"
    for template in ("../{stem}{ext}", "/tmp/{stem}{ext}", "{reldir}/../../{stem}{ext}", "{part}", "{stem}/"):
        with pytest.raises(ConfigError, match="not a file name inside the output folder"):
            _plan.name_output(template, "x/a.srt", ".vtt")


# ---------------------------------------------------------------- the walk


def test_the_walk_skips_hidden_files_and_folders_and_the_output_folder(tmp_path: Path) -> None:
    root = _files(tmp_path / "in", "a.srt", ".b.srt", "notes.md", "s1/c.vtt", ".git/d.srt", "out/e.srt")
    assert [rel for _, rel in _plan.walk(root, skip=[root / "out"])] == ["a.srt", "s1/c.vtt"]
    assert [rel for _, rel in _plan.walk(root, recursive=False)] == ["a.srt"]
    assert [rel for _, rel in _plan.walk(root, include=["*.md"])] == ["notes.md"]
    assert [rel for _, rel in _plan.walk(root, exclude=["s1/*"], skip=[root / "out"])] == ["a.srt"]
    # subkit.batch.plan walks the same way, recursively, never into its output folder.
    tasks = batch.plan([root], out_dir=root / "out", to_format="srt", template="{relpath}.new{ext}")
    assert [t.input for t in tasks] == [path for path, _ in _plan.walk(root, skip=[root / "out"])]


def test_expand_takes_each_file_once_and_refuses_what_is_not_there(tmp_path: Path) -> None:
    root = _files(tmp_path / "in", "a.srt", "s1/b.srt")
    found = _plan.expand([root, root / "a.srt", str(root / "s1" / "b.srt")])
    assert [rel for _, rel in found] == ["a.srt", "s1/b.srt"]
    with pytest.raises(SubkitIOError, match="no such file"):
        _plan.expand([tmp_path / "missing.srt"])
    assert _plan.expand([str(tmp_path / "missing.srt")], missing_ok=True) == [(str(tmp_path / "missing.srt"),
                                                                            "missing.srt")]
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="no subtitle file in it or below it"):
        _plan.expand([tmp_path / "empty"])
    assert _plan.expand([tmp_path / "empty"], empty_ok=True) == []


# ---------------------------------------------------------------- outputs and collisions


def test_outputs_beside_their_input_or_in_the_output_folder(tmp_path: Path) -> None:
    root = _files(tmp_path / "in", "s1/ep1.en.srt", "s2/ep1.en.srt")
    found = _plan.expand([root])

    def output_format(path: str) -> tuple[str, str]:
        return ".vtt", "webvtt"

    beside = _plan.plan_outputs(found, template="{stem}.{command}{ext}", out_dir=None, output_format=output_format,
                                command="clean")
    assert [targets for _, targets in beside] == [(str(root / "s1" / "ep1.en.clean.vtt"),),
                                                  (str(root / "s2" / "ep1.en.clean.vtt"),)]
    kept = _plan.plan_outputs(found, template="{relpath}.{format}{ext}", out_dir=tmp_path / "out",
                              output_format=output_format, command="clean")
    assert [Path(t).relative_to(tmp_path / "out").as_posix() for _, (t,) in kept] == [
        "s1/ep1.en.webvtt.vtt", "s2/ep1.en.webvtt.vtt"]
    with pytest.raises(ConfigError) as caught:
        _plan.plan_outputs(found, template="{base}{ext}", out_dir=tmp_path / "out", output_format=output_format,
                           command="clean")
    first, second = (str(root / s / "ep1.en.srt") for s in ("s1", "s2"))
    assert f"{first} and {second} would both be written to {tmp_path / 'out' / 'ep1.vtt'}" in str(caught.value)


def test_an_output_over_an_input_or_a_file_also_read_is_refused(tmp_path: Path) -> None:
    root = _files(tmp_path, "a.srt", "ref.vtt")
    with pytest.raises(ConfigError, match=r"refusing to overwrite an input: .*a\.srt would be written over the input"):
        _plan.check_collisions([(str(root / "a.srt"), str(root / "a.srt"))])
    with pytest.raises(ConfigError, match=r"over the input .*ref\.vtt"):
        _plan.check_collisions([(str(root / "a.srt"), str(root / "ref.vtt"))], also_read=[str(root / "ref.vtt")])


# ---------------------------------------------------------------- subkit.batch.plan with the vocabulary


def test_batch_plan_names_with_the_shared_fields(tmp_path: Path) -> None:
    root = _files(tmp_path / "in", "s1/ep01.en.srt", "ep02.fr.vtt", "x.subkit.json")
    out = tmp_path / "out"

    def names(template: str) -> list[str]:
        tasks = batch.plan([root], out_dir=out, to_format="webvtt", template=template)
        return sorted(Path(t.output).relative_to(out).as_posix() for t in tasks)

    assert names(batch.DEFAULT_TEMPLATE) == ["ep02.fr.vtt", "s1/ep01.en.vtt", "x.vtt"]
    assert names("{base}.{lang}{ext}") == ["ep01.en.vtt", "ep02.fr.vtt", "x.und.vtt"]
    assert names("{reldir}/{name}.{command}{ext}") == ["ep02.fr.vtt.batch.vtt", "s1/ep01.en.srt.batch.vtt",
                                                       "x.subkit.json.batch.vtt"]
    assert names("{format}/{relpath}{suffix}{ext}") == ["webvtt/ep02.fr.vtt.vtt", "webvtt/s1/ep01.en.srt.vtt",
                                                        "webvtt/x.subkit.json.vtt"]
    for old, hint in (("{relpath}.{ext}", "includes its dot"), ("{stem}.{lang}{ext}", "{base}.{lang}"),
                      ("{name}.{ext}", "includes its dot")):
        with pytest.raises(ConfigError, match=hint.replace("{", r"\{").replace("}", r"\}").replace(".", r"\.")):
            batch.plan([root], out_dir=out, to_format="webvtt", template=old)
    assert not out.exists()


def test_batch_manifest_rows_are_named_with_the_shared_fields(tmp_path: Path) -> None:
    _files(tmp_path / "in", "ep01.en.srt")
    (tmp_path / "m.csv").write_text("input,format\nin/ep01.en.srt,ttml\n", encoding="utf-8")
    (task,) = batch.read_manifest(tmp_path / "m.csv", out_dir=tmp_path / "out", to_format=None,
                                  template="{base}-{lang}.{format}{ext}")
    assert os.path.relpath(task.output, tmp_path / "out") == "ep01-en.ttml.ttml"
    assert batch.name_output("{relpath}{ext}", "in/ep01.en.srt", ".ttml") == "in/ep01.en.ttml"


def test_a_template_with_both_old_spellings_gets_one_fix_for_both() -> None:
    with pytest.raises(ConfigError) as caught:
        _plan.check_template("{stem}.{lang}.{ext}")
    message = str(caught.value)
    assert "includes its dot" in message and "keeps the language tag" in message
    fixed = message.rsplit("write ", 1)[1].strip("'")
    assert fixed == "{base}.{lang}{ext}"
    _plan.check_template(fixed)  # the suggested template is accepted
