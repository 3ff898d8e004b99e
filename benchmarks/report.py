"""The table: one row per figure, the median of the runs with min and max, the target and whether it is met."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Row:
    label: str
    values: list[float]
    unit: str
    target: str = ""
    meets: Callable[[float], bool] | None = None  # judged on the median
    digits: int = 2

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def cells(self) -> list[str]:
        if not self.values:
            return [self.label, "-", "-", "-", self.target, "no data"]

        def shown(value: float) -> str:
            return f"{value:.{self.digits}f}{self.unit}"

        verdict = "" if self.meets is None else ("pass" if self.meets(self.median) else "FAIL")
        return [self.label, shown(self.median), shown(min(self.values)), shown(max(self.values)), self.target,
                verdict]


HEADER = ["figure", "median", "min", "max", "target", "result"]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _java_version(java: Path | None) -> str:
    if java is None:
        return "-"
    done = subprocess.run([str(java), "-version"], capture_output=True, text=True, check=False)
    return (done.stderr.splitlines() or ["?"])[0]


def machine(java: Path | None) -> list[str]:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "-"
    return [
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {os.cpu_count()} cores, {_cpu_model()}, {platform.system()} {platform.release()}",
        f"python {platform.python_version()}; java: {_java_version(java)}; load average at start: {load}",
    ]


def _figure(text: str) -> int:
    """The figure a row or note belongs to: the number it starts with (notes without one go last)."""
    head = text.strip().split(".", 1)[0].split(":", 1)[0]
    return int(head) if head.isdigit() else 99


def in_order(rows: list[Row]) -> list[Row]:
    """Rows by figure number, each figure's block kept together (they are measured in another order)."""
    blocks: list[list[Row]] = []
    for row in rows:
        if _figure(row.label) != 99 or not blocks:
            blocks.append([])
        blocks[-1].append(row)
    return [row for block in sorted(blocks, key=lambda b: _figure(b[0].label)) for row in block]


def markdown(title: str, header_lines: list[str], rows: list[Row], notes: list[str]) -> str:
    out = [f"### {title}", "", *(f"- {line}" for line in header_lines), ""]
    out.append("| " + " | ".join(HEADER) + " |")
    out.append("|" + "---|" * len(HEADER))
    for row in in_order(rows):
        cells = [cell.replace("|", "\\|") for cell in row.cells()]  # a pipe in a label would split the cell
        label = cells[0]
        cells[0] = "&nbsp;" * (len(label) - len(label.lstrip())) + label.lstrip()
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out += [f"- {note}" for note in sorted(notes, key=_figure)]
    return "\n".join(out) + "\n"


def plain(title: str, header_lines: list[str], rows: list[Row], notes: list[str]) -> str:
    cells = [HEADER, *(row.cells() for row in in_order(rows))]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADER))]
    lines = [title, *header_lines, ""]
    for n, line in enumerate(cells):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines += sorted(notes, key=_figure)
    return "\n".join(lines) + "\n"
