"""The one file discovery of `batch`, `check` and `rules lint`: the files named, and those under folders
(recursively) with the command's suffixes — workbooks, or rule files.

Under a folder, a file is taken when its suffix is a supported workbook suffix (case-insensitive); Office lock
files (~$name.xlsx), hidden files and hidden folders are left out without a word, and every other file is listed
as skipped, so nothing drops out of a batch silently. A file named on the command line is taken whatever its suffix
(the reader then says what it is). The same file reached twice (named twice, or through a link) is taken once.
"""

from __future__ import annotations

import os
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
    skipped: list[Path] = field(default_factory=list)  # other files under the folders (not lock or hidden files)
    suffixes: tuple[str, ...] = WORKBOOK_SUFFIXES

    def skipped_note(self) -> str | None:
        """A line saying how many files were skipped, then each on a line of its own (a list that fits an
        80-column terminal however many there are), or None when none was skipped."""
        if not self.skipped:
            return None
        kind = "工作簿" if self.suffixes == WORKBOOK_SUFFIXES else "规则"
        names = "".join(f"\n  {p}" for p in self.skipped)
        return f"跳过 {len(self.skipped)} 个非{kind}文件（只读取 {' '.join(self.suffixes)}）：{names}"


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
            listed = sorted(_files_under(argument, suffixes, found.skipped), key=lambda pair: pair[0])
            if not listed:
                found.empty.append(argument)
            for path, key in listed:
                add(path, key)
        elif argument.exists():
            add(argument)
        else:
            found.missing.append(argument)
    found.skipped.sort()
    return found


def _files_under(folder: Path, suffixes: tuple[str, ...], skipped: list[Path]) -> Iterator[tuple[Path, object]]:
    """Every file with one of `suffixes` under `folder` (links to folders are not followed), with its (device,
    inode) where the listing gives it without a stat: a thousand workbooks are listed in a few ms. Other files are
    added to `skipped`."""
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            device = directory.stat().st_dev
            with os.scandir(directory) as entries:
                listed = list(entries)
        except OSError:
            continue  # unreadable: skipped, as Path.rglob does
        for entry in listed:
            name = entry.name
            try:
                if name.startswith(".") or name.startswith(LOCK_PREFIX):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(directory / name)
                elif not name.lower().endswith(suffixes):
                    if entry.is_file():
                        skipped.append(directory / name)
                elif entry.is_symlink():
                    if entry.is_file():
                        yield directory / name, None  # add() stats it: the link's target is what counts
                elif entry.is_file(follow_symlinks=False):
                    yield directory / name, (device, entry.inode())
            except OSError:
                continue
