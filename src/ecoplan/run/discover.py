"""The one file discovery of `batch`, `check` and `rules lint`: the files named, and those under folders
(recursively) with the command's suffixes — workbooks, or rule files.

Under a folder, a file is taken when its suffix is a supported workbook suffix (case-insensitive); Office lock
files (~$name.xlsx), hidden files and hidden folders are left out without a word, and every other entry is listed
as skipped, with why where it is not the suffix — a link to nothing or to a folder, a FIFO, device or socket, a
folder that cannot be listed — so nothing drops out of a batch silently. A file named on the command line is taken
whatever it is (the reader then says what it is). The same file reached twice (named twice, or through a link) is
taken once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ecoplan.workbook.reader import SUPPORTED_SUFFIXES as WORKBOOK_SUFFIXES  # the reader's list is the one list

SUFFIX_LIST = " ".join(WORKBOOK_SUFFIXES)  # as messages and help name them
NO_WORKBOOK_IN_FOLDER = f"文件夹中没有工作簿（{SUFFIX_LIST}）"
LOCK_PREFIX = "~$"  # Office writes ~$name.xlsx beside an open workbook; it is not a workbook


@dataclass
class Found:
    """What the paths given stand for."""

    files: list[Path] = field(default_factory=list)  # the workbooks, folders' contents sorted, each file once
    missing: list[Path] = field(default_factory=list)  # paths given that do not exist
    empty: list[Path] = field(default_factory=list)  # folders given that hold no workbook
    skipped: list[Path] = field(default_factory=list)  # other entries under the folders (not lock or hidden files)
    reasons: dict[Path, str] = field(default_factory=dict)  # why a skipped entry was not read, where not its suffix
    suffixes: tuple[str, ...] = WORKBOOK_SUFFIXES

    def skipped_note(self) -> str | None:
        """A line saying how many entries were skipped, then each on a line of its own with why, where it is not
        its suffix (a list that fits an 80-column terminal however many there are), or None when none was."""
        if not self.skipped:
            return None
        # lazy: the escaping of names only when there is a note to print
        from ecoplan.render.escape import terminal_text

        kind = "工作簿" if self.suffixes == WORKBOOK_SUFFIXES else "规则文件"
        names = "".join(f"\n  {terminal_text(str(p))}" + (f"（{self.reasons[p]}）" if p in self.reasons else "")
                        for p in self.skipped)
        return f"跳过 {len(self.skipped)} 项（只读取{kind} {' '.join(self.suffixes)}）：{names}"


def discover(arguments: Sequence[Path], suffixes: tuple[str, ...] = WORKBOOK_SUFFIXES) -> Found:
    """Expand files and folders into the files to read (see the module docstring); `suffixes` in lower case."""
    found = Found(suffixes=suffixes)
    seen: set[object] = set()

    def add(path: Path, key: object = None) -> None:
        # Known by device and inode (resolving each path would look up every directory on the way).
        if key is None:
            try:
                info = path.stat()
                key = (info.st_dev, info.st_ino)
            except OSError:
                key = path  # a dangling link or an unreadable entry: kept, and the reader says what is wrong
        if key not in seen:
            seen.add(key)
            found.files.append(path)

    for argument in arguments:
        if argument.is_dir():
            listed = sorted(_files_under(argument, suffixes, found), key=lambda pair: pair[0])
            if not listed and argument not in found.reasons:  # (a folder that cannot be listed says so instead)
                found.empty.append(argument)
            for path, key in listed:
                add(path, key)
        elif argument.exists():
            add(argument)
        else:
            found.missing.append(argument)
    found.skipped.sort()
    return found


def _files_under(folder: Path, suffixes: tuple[str, ...], found: Found) -> Iterator[tuple[Path, object]]:
    """Every regular file with one of `suffixes` under `folder` (links to folders are not followed), with its
    (device, inode) where the listing gives it without a stat: a thousand workbooks are listed in a few ms. Every
    other entry (but hidden and lock files) is added to `found.skipped`, with why where it is not its suffix."""
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            device = directory.stat().st_dev
            with os.scandir(directory) as entries:
                listed = list(entries)
        except OSError as exc:
            _skip(found, directory, f"文件夹无法读取：{exc.strerror or exc}")
            continue
        for entry in listed:
            name = entry.name
            if name.startswith(".") or name.startswith(LOCK_PREFIX):
                continue
            path = directory / name
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                    continue
                why = _not_read(entry)
                if why is not None:
                    _skip(found, path, why)
                elif not name.lower().endswith(suffixes):
                    found.skipped.append(path)
                elif entry.is_symlink():
                    yield path, None  # add() stats it: the link's target is what counts
                else:
                    yield path, (device, entry.inode())
            except OSError as exc:
                _skip(found, path, f"无法读取：{exc.strerror or exc}")


def _not_read(entry: os.DirEntry[str]) -> str | None:
    """Why a folder entry (no folder itself) is no file to read, or None for a regular file or a link to one."""
    if entry.is_file():  # follows a link: a link to a regular file is read as the file
        return None
    if entry.is_symlink():
        try:
            target = os.stat(entry.path)
        except OSError:
            return "链接指向的文件不存在"
        if stat.S_ISDIR(target.st_mode):
            return "链接指向文件夹（不跟随）"
        return "链接指向的不是普通文件（设备、管道或套接字）"
    return "不是普通文件（设备、管道或套接字）"


def _skip(found: Found, path: Path, why: str) -> None:
    found.skipped.append(path)
    found.reasons[path] = why
