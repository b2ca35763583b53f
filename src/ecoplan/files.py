"""Writing outputs safely: atomically (temporary file, then rename), and never over an input workbook."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ecoplan.errors import InputError


def guard_output(target: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output path that is one of the input files (a typo must not destroy a submission)."""
    resolved = target.resolve()
    for source in inputs:
        try:
            if source.resolve() == resolved or (target.exists() and os.path.samefile(source, target)):
                raise InputError("输出文件与输入工作簿是同一个文件，拒绝覆盖；请用 -o 换一个路径",
                                 str(target))
        except OSError:
            continue
    if target.exists() and target.is_dir():
        raise InputError("这是一个文件夹；-o 需要文件路径", str(target))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(target: Path, data: bytes | str) -> None:
    """Write to a temporary file beside `target`, then rename it into place (no half-written reports)."""
    with atomic_writer(target) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextlib.contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """A binary file to stream into; on leaving the block it replaces `target` whole, or, after an error,
    disappears (a report is never half-written, and a long one need not be held in memory)."""
    directory = target.parent if str(target.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"无法写出文件：{exc.strerror or exc}", str(target)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is as readable as any new file
        os.replace(tmp, target)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"无法写出文件：{exc.strerror or exc}", str(target)) from None
        raise
