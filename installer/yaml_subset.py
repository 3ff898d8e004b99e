"""The subset of YAML that Digdir's `latest-versions.yml` uses, read without a YAML library: nested mappings of
plain scalars, block or flow style, with comments."""

from __future__ import annotations

import re
from typing import Any

_COMMENT = re.compile(r"(^|\s)#.*$")


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _flow_map(text: str) -> dict[str, str]:
    inner = text.strip()
    if not (inner.startswith("{") and inner.endswith("}")):
        raise ValueError(f"not a mapping: {text}")
    result = {}
    for item in inner[1:-1].split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition(":")
        if not sep:
            raise ValueError(f"not a key: value pair: {item.strip()}")
        result[_scalar(key)] = _scalar(value)
    return result


def parse_yaml_maps(text: str) -> dict[str, Any]:
    """The subset of YAML that `latest-versions.yml` uses: nested mappings of plain scalars, in block or flow
    (`{latest: v4.0.8, earlybird: v4.0.8}`) style, with comments. Anything else raises ValueError."""
    root: dict[str, Any] = {}
    stack: list[tuple[int, dict[str, Any]]] = [(-1, root)]
    for number, raw in enumerate(text.splitlines(), 1):
        line = _COMMENT.sub("", raw.replace("\t", "    ")).rstrip()
        if not line.strip() or line.strip() in ("---", "..."):
            continue
        indent = len(line) - len(line.lstrip(" "))
        key, sep, value = line.strip().partition(":")
        if not sep or not key.strip() or key.strip().startswith(("-", "{", "[")):
            raise ValueError(f"line {number}: not a 'key: value' line")
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        value = value.strip()
        if not value:
            child: dict[str, Any] = {}
            parent[_scalar(key)] = child
            stack.append((indent, child))
        elif value.startswith("{"):
            parent[_scalar(key)] = _flow_map(value)
        else:
            parent[_scalar(key)] = _scalar(value)
    return root
