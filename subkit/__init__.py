"""subkit: subtitle and caption files through one canonical cue model.

>>> import subkit
>>> doc = subkit.loads("WEBVTT\\n\\n00:01.000 --> 00:02.000\\n<i>Hello</i>\\n")
>>> print(subkit.dumps(doc, "srt"), end="")
1
00:00:01,000 --> 00:00:02,000
<i>Hello</i>
<BLANKLINE>
"""

from subkit._api import dump, dumps, load, loads, render
from subkit._version import __version__
from subkit.errors import (
    ConfigError,
    FormatDetectionError,
    FormatError,
    FrozenModelError,
    LossyConversionWarning,
    ModelError,
    OperationError,
    ParseError,
    ProviderError,
    SubkitError,
    SubkitIOError,
    SubkitWarning,
    UnknownFormatError,
    UnsupportedFeatureError,
)
from subkit.formats import WriteResult
from subkit.model import (
    Attachment,
    Color,
    Cue,
    Diagnostic,
    Document,
    LineBreak,
    LoadInfo,
    Loss,
    LossReport,
    Note,
    Placement,
    Raw,
    Region,
    Run,
    RunStyle,
    Style,
    Word,
    content_from_text,
)

__all__ = [
    "Attachment",
    "Color",
    "ConfigError",
    "Cue",
    "Diagnostic",
    "Document",
    "FormatDetectionError",
    "FormatError",
    "FrozenModelError",
    "LineBreak",
    "LoadInfo",
    "Loss",
    "LossReport",
    "LossyConversionWarning",
    "ModelError",
    "Note",
    "OperationError",
    "ParseError",
    "Placement",
    "ProviderError",
    "Raw",
    "Region",
    "Run",
    "RunStyle",
    "Style",
    "SubkitError",
    "SubkitIOError",
    "SubkitWarning",
    "UnknownFormatError",
    "UnsupportedFeatureError",
    "Word",
    "WriteResult",
    "__version__",
    "content_from_text",
    "dump",
    "dumps",
    "load",
    "loads",
    "render",
]
