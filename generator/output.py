"""The one way outputs reach the disk: atomic file writes and whole-directory swaps."""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import tempfile
from contextlib import contextmanager
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
    """Replace `final` with the complete `staged` directory, with no instant without a `final`.

    On Linux the two directories are exchanged in one step (renameat2 with
    RENAME_EXCHANGE); elsewhere, or on a file system without it, the old one is moved
    aside first, which leaves a moment with no `final`.
    """
    if final.is_dir() and _exchange(staged, final):
        shutil.rmtree(staged, ignore_errors=True)  # it now holds the old site
        return
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.old-"))
        os.rename(final, old / final.name)
    os.rename(staged, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    done = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return done == 0


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)


def discard_leftovers(final: Path) -> None:
    """Remove what killed builds left beside `final` (call with the build lock held)."""
    for kind in ("new", "old"):
        for path in final.parent.glob(f".{final.name}.{kind}-*"):
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def build_lock(root: Path, waiting):
    """One build of a project at a time: a second one waits (calling `waiting()` once) for the first."""
    file = root / ".cache" / "build.lock"
    file.parent.mkdir(parents=True, exist_ok=True)
    with open(file, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """In a child process of a build (document worker, indexing process, Pagefind): die
    with the build, so a killed build leaves no writer behind.  `parent`: the build's
    process id, to catch a build that ended before this was called.

    The signal comes when the *thread* that started the child ends, so this is not for
    `multiprocessing.Pool` workers (print): with it a build hung in the PDF stage, two
    workers killed and the pool's threads gone.  A pool starts replacement workers from
    its own thread, which ends before the pool is shut down, and a worker killed while it
    waits for a task keeps the queue's lock."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the next build's cleanup is all there is
    if parent is not None and os.getppid() != parent:
        os._exit(1)
