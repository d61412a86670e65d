"""The one way outputs reach the disk: atomic file writes and whole-directory swaps."""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path


_CAUSES = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "这是只读的位置",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EIO: "磁盘读写出错",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "同时打开的文件太多",
    errno.ENOMEM: "内存不足",
    errno.EFBIG: "文件超过了系统允许的大小",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOENT: "找不到文件或文件夹",
    errno.EBUSY: "文件或文件夹正被占用",
    errno.EXDEV: "不能跨磁盘移动",
    errno.EADDRINUSE: "这个地址和端口已被占用",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
}
_WRITING = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EACCES, errno.EPERM}
_ADVICE = {errno.ENOSPC: "请清理磁盘后重试", errno.EDQUOT: "请清理磁盘后重试", errno.EROFS: "请换一个可写的位置",
           errno.EACCES: "请检查文件夹的权限", errno.EPERM: "请检查文件夹的权限"}


def describe_os_error(exc: OSError, root: Path | None = None) -> str:
    """One Chinese line for a failed read or write: the cause, the file, what to do."""
    cause = _CAUSES.get(exc.errno, exc.strerror or str(exc))
    # A copy that fails names its source first and the file it writes second: the second is where.
    name = exc.filename2 if exc.filename2 is not None and exc.errno in _WRITING else exc.filename
    if name is not None and re.fullmatch(r"\..+\.tmp", os.path.basename(str(name))):
        name = os.path.dirname(str(name)) or None  # a temporary file being written: its folder is what to look at
    if name is not None and root is not None:
        try:
            name = Path(name).resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    where = f"：{name}" if name else ""
    advice = _ADVICE.get(exc.errno)
    return f"{cause}{where}" + (f"（{advice}）" if advice else "")


CRASH_LOG = Path(".cache") / "zhengxie-crash.log"


def internal_error(root: Path, exc: BaseException) -> str:
    """One line for a bug in the generator; its traceback goes to .cache/, not to the editor's screen.

    When the disk is full, that is the likely cause (a file cut short, then read back), and it is said so.
    """
    import traceback

    if disk_nearly_full(root):
        return f"磁盘空间不足（{root} 所在的磁盘几乎没有剩余空间），请清理磁盘后重试；未完成"
    where = ""
    try:
        log = root / CRASH_LOG
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        where = f"，详情已写入 {CRASH_LOG.as_posix()}"
    except OSError:
        pass
    return f"内部错误（{type(exc).__name__}: {exc}）{where}；请把这条信息告诉维护人员；未完成"


def disk_nearly_full(path: Path, margin: int = 4 * 1024 * 1024) -> bool:
    try:
        return shutil.disk_usage(path).free < margin
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# What a file or folder made by a user's program gets (0644 / 0755 with umask 022): the
# temporary files and folders outputs start as are private (0600 / 0700), and a web server
# running as another user must read a published site.
FILE_MODE = 0o666 & ~_umask()
FOLDER_MODE = 0o777 & ~_umask()


def write_new_file(path: Path, text: str | bytes) -> None:
    """Create `path` with `text` (UTF-8) or bytes, never replacing an existing file (FileExistsError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
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
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def write_file_in(folder: int, name: str, data: bytes, mode: int) -> None:
    """Write `name` in the folder open as descriptor `folder`, atomically, with `mode`'s permissions."""
    temp = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, mode & 0o7777, dir_fd=folder)
    try:
        os.fchmod(handle, mode & 0o7777)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        try:
            os.unlink(temp, dir_fd=folder)
        except OSError:
            pass
        raise


def link_file(source: Path, target: Path) -> None:
    """Place an immutable file (a cached PDF) at `target`: a hard link, or a copy across file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    # A cache entry written by an older version may be private (0600); what is published is not.
    if stat.S_IMODE(target.stat().st_mode) != FILE_MODE:
        target.chmod(FILE_MODE)


def staging_dir(final: Path) -> Path:
    """An empty directory beside `final` (same file system, so the swap is a rename)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.new-"))
    staged.chmod(FOLDER_MODE)  # it becomes the site
    return staged


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
    """In a child process of a build (document worker, indexing process, Pagefind, print
    worker): die with the build, so a killed build leaves no writer behind.  `parent`: the
    build's process id, to catch a build that ended before this was called.

    The signal comes when the *thread* that started the child ends: children are started
    from the build's main thread (never from a pool's own thread, which ends first)."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the next build's cleanup is all there is
    if parent is not None and os.getppid() != parent:
        os._exit(1)
