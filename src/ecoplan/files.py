"""Writing outputs safely: only regular files, whole or not at all, never over an input workbook.

Every file ecoplan writes — `-o` of every command, `rules schema -o`, `template -o`, the cache — goes through
`atomic_writer`:

- the path holds nothing yet, or a regular file; a folder, symlink, device, FIFO or socket there is refused
  (exit 2): turning /dev/null or a FIFO into a report, or a link into a file, is never what the user meant;
- the data goes to a temporary file beside the target, whose name is cut to fit the file system's limit on a
  name, is flushed to disk (fsync), takes the replaced file's permissions and is then renamed over the target,
  so an interrupted run leaves the old file or the new one, never half of either;
- after an error, Ctrl-C, SIGTERM or SIGHUP while writing, the temporary file is removed.

`guard_output` runs the same checks on the target before any work, with one more: the output is not an input.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ecoplan.errors import InputError

_NAME_MAX = 255  # bytes in one file name, when the file system does not say (ext4, xfs, btrfs, tmpfs, NTFS)
_TEMP_EXTRA = len("..") + 8 + len(".tmp")  # what the temporary name adds to the target's: dots, 8 random, .tmp


def guard_output(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse, before any work, an output path that is one of the input files (a typo must not destroy a
    submission) or that `atomic_writer` would refuse (see `check_target`)."""
    resolved = target.resolve()
    exists = os.path.lexists(target)
    for source in inputs:
        try:
            if source.resolve() == resolved or (exists and os.path.samefile(source, target)):
                raise InputError("输出文件与输入工作簿是同一个文件，拒绝覆盖；请用 -o 换一个路径",
                                 path_text(target))
        except OSError:
            continue
    check_target(target)


def check_target(target: Path) -> os.stat_result | None:
    """The regular file at `target` (its status), or None when nothing is there; an InputError for anything else
    at the path and for a name the file system cannot hold."""
    where = path_text(target)
    size = len(os.fsencode(target.name))
    limit = _name_max(target.parent)
    if size > limit:
        raise InputError(f"文件名有 {size} 字节，超过文件系统允许的 {limit} 字节；请用短一些的文件名", where)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"无法写出文件：{os_error_text(exc)}", where) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISLNK(info.st_mode):
            raise InputError("这是符号链接；-o 只写普通文件，不替换链接（请直接给出要写的文件路径）", where)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("这是一个文件夹；-o 需要文件路径", where)
        raise InputError("这不是普通文件（设备、管道或套接字）；-o 只写普通文件，请换一个路径", where)
    return info


def _name_max(directory: Path) -> int:
    """The longest file name (in bytes) the file system holding `directory` allows."""
    for folder in (directory, *directory.parents):
        try:
            return int(os.pathconf(folder if str(folder) else ".", "PC_NAME_MAX"))
        except (OSError, ValueError):
            continue  # not there yet (-o new/folder/x.json): the nearest folder that is decides
    return _NAME_MAX


def write_atomic(target: Path, data: bytes | str) -> None:
    """Write `data` (text as UTF-8) to `target` by `atomic_writer`'s rules."""
    with atomic_writer(target) as handle:
        handle.write(encoded(data) if isinstance(data, str) else data)


def encoded(text: str) -> bytes:
    """`text` as UTF-8 for an output file. A lone surrogate (a byte of a file name that is not UTF-8, where it was
    not turned into text by `path_text`) is written as its escape, ``\\udcff`` (valid in JSON, readable elsewhere),
    never the end of the output."""
    return text.encode("utf-8", "backslashreplace")


@contextlib.contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """A binary file to stream into; on leaving the block it replaces `target` whole (see the module docstring),
    or, after an error or an interrupt, disappears (a long report need not be held in memory)."""
    # lazy: tempfile (~8 ms) only when a file is written; importing ecoplan.files for its checks does not need it
    import tempfile

    where = path_text(target)
    existing = check_target(target)
    directory = target.parent if str(target.parent) else Path(".")
    with _interrupts_raise():
        try:
            directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{_temp_stem(target.name, _name_max(directory))}.", suffix=".tmp",
                                       dir=directory)
        except OSError as exc:
            raise InputError(f"无法写出文件：{os_error_text(exc)}", where) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())  # on disk before the rename: a crash never leaves an empty report
            _take_place_of(tmp, existing)
            check_target(target)  # again: what stands there now (a FIFO made meanwhile) is what is replaced
            os.replace(tmp, target)
            _sync_folder(directory)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError):
                raise InputError(f"无法写出文件：{os_error_text(exc)}", where) from None
            raise


def _temp_stem(name: str, limit: int) -> str:
    """`name`, cut (by whole characters) so that the temporary name around it fits `limit` bytes."""
    budget = max(1, limit - _TEMP_EXTRA)
    while len(os.fsencode(name)) > budget:
        name = name[:-1]
    return name or "ecoplan"


def _take_place_of(tmp: str, existing: os.stat_result | None) -> None:
    """Give the temporary file the mode (and, where allowed, the owner) of the file it replaces; a new file gets
    what any new file gets (mkstemp makes 0600)."""
    if existing is None:
        os.chmod(tmp, 0o666 & ~_umask())
        return
    os.chmod(tmp, stat.S_IMODE(existing.st_mode))
    info = os.stat(tmp)
    if (info.st_uid, info.st_gid) != (existing.st_uid, existing.st_gid):
        with contextlib.suppress(OSError):  # only root (or a member of the group) may; otherwise it stays ours
            os.chown(tmp, existing.st_uid, existing.st_gid)


def _sync_folder(directory: Path) -> None:
    """Flush the folder entry of the rename to disk (where the file system allows opening a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _interrupts_raise() -> Iterator[None]:
    """While a temporary file exists, SIGTERM and SIGHUP (whose default ends the process on the spot) raise
    KeyboardInterrupt like Ctrl-C, so that the file is removed and the command ends with 已中断. Handlers someone
    else installed are left alone; a forked child that inherits ours dies by the signal as it would have."""
    # lazy: signal and threading only while a file is written; path_text and the checks do not need them
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def interrupt(signum: int, frame: Any) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    replaced = {}
    for number in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(number) == signal.SIG_DFL:
            replaced[number] = signal.signal(number, interrupt)
    try:
        yield
    finally:
        for number, handler in replaced.items():
            signal.signal(number, handler)


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file at `path` (links followed), at most `limit` of them; an InputError naming
    `what` (规则文件) for anything else. A FIFO is opened without waiting for a writer and the file's kind is
    checked on the open file, so nothing swapped in between can make the read hang; the limit is counted while
    reading (a link to /dev/zero, or a file growing after a stat, never gets past it)."""
    where = path_text(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(f"找不到{what}", where) from None
    except IsADirectoryError:
        raise InputError(f"这是文件夹，不是{what}", where) from None
    except OSError as exc:
        raise InputError(f"无法读取{what}：{os_error_text(exc)}", where) from None
    with os.fdopen(fd, "rb") as handle:
        kind = os.fstat(handle.fileno()).st_mode
        if stat.S_ISDIR(kind):
            raise InputError(f"这是文件夹，不是{what}", where)
        if not stat.S_ISREG(kind):
            raise InputError(f"不是普通文件（设备、管道或套接字），不能作为{what}读取", where)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(f"无法读取{what}：{os_error_text(exc)}", where) from None
    if len(data) > limit:
        raise InputError(f"{what}超过上限 {limit} 字节", where)
    return data


# errno → what it means for the user, in Chinese (strerror is English)
_OS_ERRORS = {
    errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额", errno.EROFS: "文件系统是只读的", errno.ENAMETOOLONG: "路径或文件名过长",
    errno.ENOTDIR: "路径中有一段不是文件夹", errno.ENOENT: "路径中的文件夹不存在", errno.EISDIR: "这是一个文件夹",
    errno.EIO: "输入输出错误（磁盘或网络文件系统故障）", errno.EEXIST: "路径中有同名的文件",
}


def os_error_text(exc: OSError) -> str:
    """An operating-system error as the user reads it: in Chinese where it is a common one, with its errno name."""
    known = _OS_ERRORS.get(exc.errno or 0)
    name = errno.errorcode.get(exc.errno or 0, "")
    if known:
        return f"{known}（{name}）" if name else known
    return f"{exc.strerror or exc}（{name}）" if name else str(exc.strerror or exc)


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def path_text(path: Path | str) -> str:
    """A path as text every output can carry: bytes of the name that are not UTF-8 (which Python keeps as lone
    surrogates, and no encoder writes) become ``\\xff``; everything else is kept for each format to escape."""
    text = str(path)
    if text.isascii():
        return text
    return _ESCAPED_BYTE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text).encode(
        "utf-8", "backslashreplace").decode("utf-8")
