"""Write data back as YAML text, exactly: Decimals as written, NaN and infinity as YAML spells them.

Why not ``yaml.safe_dump``: it cannot write :class:`~decimal.Decimal` and would turn the
hostile values the fuzzer plants (NaN, 1e30, control characters) into something else.
Mappings and lists are written in block style with flow-style records, as the cases are.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any


def scalar(value: Any) -> str:
    """One value in flow style."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, Decimal):
        if value.is_nan():
            return ".nan"
        if value.is_infinite():
            return ".inf" if value > 0 else "-.inf"
        text = format(value, "f")
        return text if "." in text else text + ".0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    return _UNPRINTABLE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(str(value), ensure_ascii=False)
    )


_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
"""What YAML forbids raw even in quoted text; JSON leaves it raw, so it is escaped here."""


def to_yaml(data: Any) -> str:
    """A document: top-level sections in block style, their records in flow style."""
    if not isinstance(data, dict):
        return scalar(data) + "\n"
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            lines.append(f"{scalar(key)}:")
            lines += [f"  - {scalar(item)}" for item in value]
        elif isinstance(value, dict) and value:
            lines.append(f"{scalar(key)}:")
            lines += [f"  {scalar(k)}: {scalar(v)}" for k, v in value.items()]
        else:
            lines.append(f"{scalar(key)}: {scalar(value)}")
    return "\n".join(lines) + "\n"
