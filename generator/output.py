"""The one way outputs reach the disk: atomic file writes and whole-directory swaps."""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path


def write_new_file(path: Path, text: str | bytes) -> None:
    """Create `path` with `text` (UTF-8) or bytes, never replacing an existing file (FileExistsError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as handle:
                handle.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        try:
            os.link(temp, path)  # fails if the target exists: no overwrite, even in a race
        except FileExistsError:
            raise FileExistsError(errno.EEXIST, "文件已存在", str(path)) from None
    finally:
        os.unlink(temp)


def write_file(path: Path, data: bytes) -> None:
    """Write `path` atomically: a reader sees the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def link_file(source: Path, target: Path) -> None:
    """Place an immutable file (a cached PDF) at `target`: a hard link, or a copy across file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def staging_dir(final: Path) -> Path:
    """An empty directory beside `final` (same file system, so the swap is a rename)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.new-"))


def swap_in(staged: Path, final: Path) -> None:
    """Replace `final` with the complete `staged` directory."""
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.old-"))
        os.rename(final, old / final.name)
    os.rename(staged, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)
