"""What the commands show on a terminal: colours, and a progress bar for each stage of a build.

On a terminal a stage shows a live bar (tqdm) and then one line; in a log (not a
terminal) only that line.  Colours follow the NO_COLOR convention.
"""
from __future__ import annotations

import os
import resource
import shutil
import sys
import time
from dataclasses import dataclass
from typing import TextIO

from tqdm import tqdm

_STYLES = {"error": "1;31", "warning": "33", "ok": "1;32", "path": "1", "note": "36"}


def colourful(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def paint(text: str, style: str, stream: TextIO) -> str:
    return f"\033[{_STYLES[style]}m{text}\033[0m" if colourful(stream) else text


def peak_memory_mb() -> float:
    """The largest resident size so far of this process or any finished child (Pagefind, PDF workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports KiB


@dataclass
class StageRecord:
    name: str
    seconds: float
    peak_mb: float  # peak resident memory up to the end of this stage


class Stage:
    """One stage: `start(total)` once the amount of work is known, `advance()` per piece done."""

    def __init__(self, name: str, unit: str, stream: TextIO) -> None:
        self.name, self.unit, self.stream = name, unit, stream
        self.started = time.monotonic()
        self.done = 0
        self._bar: tqdm | None = None
        if stream.isatty():
            size = shutil.get_terminal_size((80, 24))  # an unsized terminal reports 0 x 0: fall back
            self._bar = tqdm(desc=name, unit=unit, file=stream, leave=False, ncols=min(size.columns, 100), nrows=size.lines,
                             bar_format="{desc} {bar} {n_fmt}/{total_fmt} {unit} [{elapsed}]")

    def start(self, total: int | None) -> None:
        if self._bar is not None:
            self._bar.reset(total=total)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class Stages:
    """The stages of one build, in order; each ends with a line saying what it did and how long it took."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr  # the stream of the moment, not of the import
        self.records: list[StageRecord] = []
        self.started = time.monotonic()
        self.current: Stage | None = None
        self.figures: dict[str, int | float] = {}  # counts a benchmark reads (pages, PDFs rendered, index bytes)

    def begin(self, name: str, unit: str) -> Stage:
        self.current = Stage(name, unit, self.stream)
        return self.current

    def end(self, summary: str = "") -> None:
        stage, self.current = self.current, None
        stage.close()
        record = StageRecord(stage.name, time.monotonic() - stage.started, peak_memory_mb())
        self.records.append(record)
        detail = f"{summary}，" if summary else ""
        print(paint(f"{stage.name}：{detail}{record.seconds:.1f} 秒", "note", self.stream), file=self.stream, flush=True)

    def abandon(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None

    def summary(self) -> str:
        return "，".join(f"{r.name} {r.seconds:.1f} 秒" for r in self.records)

    def as_dict(self) -> dict:
        return {
            "seconds": time.monotonic() - self.started,
            "stages": [{"name": r.name, "seconds": round(r.seconds, 3), "peak_mb": round(r.peak_mb, 1)} for r in self.records],
            **self.figures,
        }


class NoProgress:
    """For callers without a terminal view (tests, `zhengxie pdf`)."""

    def start(self, total: int | None) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass
