"""The on-disk cache of validated rule packs, keyed on everything the cached content depends on.

A cached value is stored with its full key, and the key is compared on reading (the file name is only a short
checksum of it, to find the file): nothing is trusted because a checksum matches. The key always covers

* the package's own source as a whole — the path, size and mtime of every .py file of ecoplan (an edit of a word
  table in quantity.py changes how a pack's shorthand expands, so it must miss);
* the Python version and the installed versions of the libraries the content passes through (pydantic, pyyaml),
  read from their *.dist-info: a library installed without one has no version to key on, and then nothing is
  cached;

and the caller adds what else it read: the rule files, by the SHA-1 of their bytes (`file_digests`), so an edit
that keeps a file's size and mtime misses too. Stale entries of the same subject are removed when a new one is
written, and entries unused for 30 days are pruned.

$ECOPLAN_NO_CACHE=1 turns caching off (0 keeps it on); $ECOPLAN_CACHE_DIR moves it (tests point it at a
temporary folder).
Only a folder of our own that no one else can write is used: pickle runs code from the file it loads.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
import zlib
from collections.abc import Iterator
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ecoplan.errors import InputError
from ecoplan.files import read_regular
from ecoplan.settings import env_switch
from ecoplan.version import __version__

PACKAGE = Path(__file__).resolve().parent
# Libraries whose behaviour shapes what is cached (a validated pack): import name → distribution name (as in
# *.dist-info).
DEPENDENCIES = {"pydantic": "pydantic", "pydantic_core": "pydantic_core", "yaml": "PyYAML"}
MAX_AGE = 30 * 24 * 3600  # seconds an entry may go unused before it is pruned


def enabled() -> bool:
    """Whether caching is on: not turned off ($ECOPLAN_NO_CACHE=1; 0 keeps it on), and every library it depends on
    has a version to key on."""
    return not env_switch("ECOPLAN_NO_CACHE") and _dependency_versions() is not None


def folder(kind: str) -> Path | None:
    """The cache folder for `kind` (created, private), or None when caching is off or no safe folder exists."""
    if not enabled():
        return None
    base = os.environ.get("ECOPLAN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "ecoplan")
    try:
        path = Path(base) / kind
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = path.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o022:
            return None
        return path
    except (OSError, AttributeError):  # no home, read-only file system, no getuid: no cache, same results
        return None


def _python_files(root: Path) -> Iterator[tuple[str, int, int]]:
    """(relative path, size, mtime in ns) of every .py file under `root` (os.scandir: ~0.3 ms for the package)."""
    pending = [root]
    while pending:
        directory = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(Path(entry.path))
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    yield os.path.relpath(entry.path, root), info.st_size, info.st_mtime_ns


@lru_cache(maxsize=1)
def _dependency_versions() -> tuple[str, ...] | None:
    """The *.dist-info names (which carry the versions) of DEPENDENCIES, found beside each package without
    importing it (importlib.metadata costs ~65 ms); None when an installed one has no dist-info (its path would say
    nothing of its content, so nothing can be cached safely)."""
    found: list[str] = []
    listings: dict[str, list[str]] = {}
    for module, dist in DEPENDENCIES.items():
        try:
            spec = find_spec(module)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.origin:
            found.append(f"{module}:absent")
            continue
        site = os.path.dirname(os.path.dirname(spec.origin))
        if site not in listings:
            try:
                listings[site] = os.listdir(site)
            except OSError:
                listings[site] = []
        prefix = dist.lower().replace("-", "_") + "-"
        infos = sorted(n for n in listings[site] if n.lower().startswith(prefix) and n.endswith(".dist-info"))
        if not infos:
            return None
        found.append(f"{module}:{','.join(infos)}")
    return tuple(found)


@lru_cache(maxsize=1)
def environment_stamp() -> str:
    """What every cached value depends on: the package's source as a whole, Python and library versions."""
    source = sorted(_python_files(PACKAGE))
    return repr([__version__, sys.version, sys.implementation.cache_tag, str(PACKAGE), source,
                 _dependency_versions()])


# path → (the file's stat signature, the SHA-1 of its bytes): a file is hashed again only when its signature
# changed. The signature includes the inode change time, which the system sets on every write and no `touch -r`
# can put back, so an edit that keeps size and mtime is hashed again too.
_DIGESTS: dict[str, tuple[tuple[int, int, int, int, int], str]] = {}


def file_digests(paths: list[Path] | list[str], limit: int) -> list[tuple[str, str]]:
    """(path, SHA-1 of its bytes) of each file ('' when it cannot be read: no regular file, or over `limit`
    bytes — a FIFO among the rule files is never waited on), for keys over the files a cached value was built
    from: a content key, not size and mtime."""
    digests = []
    for path in sorted({str(p) for p in paths}):
        try:
            info = os.stat(path)
            signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
            known = _DIGESTS.get(path)
            if known is not None and known[0] == signature:
                digest = known[1]
            else:
                # The signature is taken before reading: a write in between changes it, and the next call rehashes.
                data = read_regular(Path(path), limit, "规则文件")
                digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
                _DIGESTS[path] = (signature, digest)
        except (OSError, InputError):
            digest = ""
        digests.append((path, digest))
    return digests


def _names(subject: str, key: str) -> tuple[str, str]:
    """The entry's file name and the prefix every entry of the same subject shares."""
    prefix = f"{zlib.crc32(subject.encode('utf-8')):08x}-"
    return f"{prefix}{zlib.crc32(key.encode('utf-8')):08x}.pickle", prefix


def load(kind: str, subject: str, key: str) -> Any:
    """The value stored for `subject` under exactly `key`, or None (missing, stale, unreadable, caching off)."""
    where = folder(kind)
    if where is None:
        return None
    name, _ = _names(subject, key)
    try:
        with (where / name).open("rb") as handle:
            stored_subject, stored_key, value = pickle.load(handle)
    except Exception:  # missing, an older format, truncated: treated as a miss
        return None
    if stored_subject != subject or stored_key != key:
        return None
    return value


def store(kind: str, subject: str, key: str, value: Any) -> None:
    """Keep `value` for `subject` under `key`; drop the subject's older entries and long-unused ones."""
    where = folder(kind)
    if where is None:
        return
    # lazy: the writer only when a cache miss writes an entry
    from ecoplan.files import write_atomic

    name, prefix = _names(subject, key)
    target = where / name
    try:
        # Atomic: a concurrent run reads the old entry or the new one, never half of one.
        write_atomic(target, pickle.dumps((subject, key, value), protocol=pickle.HIGHEST_PROTOCOL))
    except (InputError, OSError):  # a full or read-only disk: no cache, same results
        return
    _prune(where, prefix, keep=target)


def _prune(where: Path, prefix: str, keep: Path) -> None:
    """Remove the other entries of the same subject (their key is stale) and entries unused for MAX_AGE."""
    cutoff = time.time() - MAX_AGE
    try:
        with os.scandir(where) as entries:
            for entry in entries:
                if entry.name == keep.name or not entry.name.endswith((".pickle", ".tmp")):
                    continue
                try:
                    info = entry.stat()
                    if entry.name.startswith(prefix) or max(info.st_atime, info.st_mtime) < cutoff:
                        os.unlink(entry.path)
                except OSError:
                    continue
    except OSError:
        return
