"""subkit.media's public surface is curated: a sorted ``__all__`` that names exactly its public members."""

from __future__ import annotations

import types

import subkit.media


def test_all_is_sorted_and_complete() -> None:
    public = {name for name, value in vars(subkit.media).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert set(subkit.media.__all__) == public
    assert list(subkit.media.__all__) == sorted(subkit.media.__all__)


def test_errors_belong_to_the_subkit_tree() -> None:
    assert issubclass(subkit.media.MediaError, subkit.SubkitError)
    assert issubclass(subkit.media.MuxVerifyError, subkit.media.MediaError)
    assert issubclass(subkit.media.FontWarning, subkit.SubkitWarning)
