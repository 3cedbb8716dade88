"""Reader and writer options for ``-r KEY=VALUE``, ``-w KEY=VALUE`` and ``--fps``: the library's conversion.

The conversion lives in :mod:`subkit.formats` (the batch engine's manifests use it too); the commands import
it from here.
"""

from __future__ import annotations

from subkit.formats import convert_value, describe_type, format_options, option_fields, takes_fps

__all__ = ["convert_value", "describe_type", "format_options", "option_fields", "takes_fps"]
