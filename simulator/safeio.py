"""Every file the tool reads is bounded while it is read; every file it writes appears whole or
not at all, and is never one of the command's inputs (docs/design.md, "Storage").

Reading: a path may name a named pipe that never ends (or blocks the open itself), a device
such as ``/dev/zero``, or a file far larger than any the tool makes. So an input is opened
without blocking, must be a regular file, and is read with its bound counted as it is read,
not checked after. Each kind of input has a documented bound that a user can raise through an
environment variable when a legitimate file needs more (``TTX_MAX_LOG_MB=800``).

Writing: an output goes to a hidden temporary file in the same folder and is renamed into
place once complete. A killed command leaves the previous file as it was (never a truncated
or partial one); a rename replaces a symbolic link rather than writing through it; and an
output that is one of the inputs, by any path, symbolic link or hard link, is refused before
anything is written.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from .errors import Diagnostic, TtxError

MB = 1_000_000


@dataclass(frozen=True)
class SizeLimit:
    """The bound on one kind of input file, raised by an environment variable."""

    what: str  # "a scenario file"
    env: str  # "TTX_MAX_SCENARIO_MB"
    default_mb: float

    @property
    def bytes(self) -> int:
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            return int(self.default_mb * MB)
        try:
            value = float(raw) * MB
        except ValueError:
            value = -1.0
        # a byte at the least, a petabyte at the most (and never infinity or NaN)
        if not 1 <= value <= 1e15:
            raise TtxError(f"{self.env}={raw!r}: give the limit in MB, a number from 0.000001 "
                           "to 1,000,000,000")
        return int(value)

    def refusal(self, name: str, size: str) -> TtxError:
        mb = self.bytes / MB
        return _refused(
            name,
            f"{size}; {self.what} may be at most {mb:g} MB. If this file is legitimate, "
            f"raise the limit: {self.env}={_double(mb)} ttx ...",
        )


def _refused(name: str, message: str) -> TtxError:
    return TtxError(Diagnostic(name, 0, 0, "", message))


def _double(mb: float) -> str:
    return f"{mb * 2:g}"


#: the bounds on what the tool reads (README, "Limits"); a legitimate file is far below each
SCENARIO_LIMIT = SizeLimit("a scenario file", "TTX_MAX_SCENARIO_MB", 4)
LOG_LIMIT = SizeLimit("an event log", "TTX_MAX_LOG_MB", 200)
ANNOTATIONS_LIMIT = SizeLimit("an evaluators' file", "TTX_MAX_OVERRIDES_MB", 4)

_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "is a named pipe, not a regular file"),
    (stat.S_ISCHR, "is a character device (such as /dev/zero), not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


def open_input(path: str | Path, what: str) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file (after following links); a missing
    file, a pipe, a device or a directory is refused at once, and the open never blocks."""
    name = str(path)
    try:
        # O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _refused(name, "no such file") from None
    except IsADirectoryError:
        raise _refused(name, f"is a directory, not {what}") from None
    except OSError as exc:
        raise _refused(name, f"cannot read {what}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            problem = next((text for test, text in _KINDS if test(mode)), "is not a regular file")
            raise _refused(name, f"{problem}; give {what} as a regular file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def open_bounded(path: str | Path, limit: SizeLimit) -> BinaryIO:
    """``open_input``, and a file larger than ``limit`` is refused by its size before any of
    it is read; the caller still counts what it reads (a file may grow)."""
    handle = open_input(path, limit.what)
    size = os.fstat(handle.fileno()).st_size
    if size > limit.bytes:
        handle.close()
        raise limit.refusal(str(path), f"the file is {_mb(size)}")
    return handle


def read_input(path: str | Path, limit: SizeLimit) -> bytes:
    """The whole of a regular file, read with its bound: never more than the limit and one
    byte is read, however large the file is or grows while it is read."""
    bound = limit.bytes
    with open_bounded(path, limit) as handle:
        try:
            data = handle.read(bound + 1)
        except OSError as exc:
            raise _refused(str(path), f"cannot read {limit.what}: {exc.strerror or exc}") from None
    if len(data) > bound:
        raise limit.refusal(str(path), "the file grew while it was read, past the limit")
    return data


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size >= MB else f"{size:,} bytes"


# --------------------------------------------------------------------------------------------
# outputs


def refuse_inputs(option: str, out: str | Path, inputs: Iterable[tuple[str, str | Path]]) -> None:
    """Refuse an output that is one of the command's inputs (``(what, path)`` pairs): the
    same file by another path, a symbolic link or a hard link included."""
    out = Path(out)
    try:
        target = out.stat()
    except OSError:
        return  # nothing there yet (or a dangling link, which the rename replaces)
    for what, path in inputs:
        try:
            source = os.stat(path)
        except OSError:
            continue
        if (target.st_dev, target.st_ino) == (source.st_dev, source.st_ino):
            raise TtxError(f"{option} {out}: that is {what}; give the output another name")


def check_output(option: str, out: str | Path) -> None:
    """What can be told before any work: the output is a file (or nothing yet), not a folder,
    a device or a pipe, and its folder exists."""
    out = Path(out)
    problem = _not_replaceable(out)
    if problem:
        raise TtxError(f"{option} {out}: {problem}")
    parent = out.parent
    if not parent.is_dir():
        raise TtxError(f"{option} {out}: the folder {parent} does not exist")


def _not_replaceable(path: Path) -> str | None:
    """Why an output may not be put at ``path``: renaming a file onto a device (``/dev/null``)
    or a named pipe would destroy it, and onto a folder cannot be done."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # nothing there yet (or a dangling link, which the rename replaces)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory; give a file name"
    problem = next((text for test, text in _KINDS if test(mode)), "is not a regular file")
    return f"{problem}; an output must be a file (it is replaced when complete)"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(
    path: str | Path, *, binary: bool = False, encoding: str = "utf-8", newline: str = "\n"
) -> Iterator[IO[Any]]:
    """A handle on a temporary file beside ``path``; when the block ends without an error
    the file is complete and renamed onto ``path``, otherwise it is removed and ``path`` is
    left as it was. The file gets the permissions a new file would get (or the replaced
    file's own). It is not synced to disk: this guards against a killed command, not against
    a power cut, and every output can be made again from its inputs."""
    path = Path(path)
    problem = _not_replaceable(path)
    if problem:
        raise TtxError(f"{path}: {problem}")
    folder = path.parent
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise TtxError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            mode = 0o666 & ~_umask()
        os.fchmod(fd, mode)
        handle: IO[Any] = (
            os.fdopen(fd, "wb") if binary
            else os.fdopen(fd, "w", encoding=encoding, newline=newline)
        )
        with handle:
            yield handle
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise TtxError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def write_output(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Write a whole file atomically (see ``atomic_output``)."""
    if isinstance(data, bytes):
        with atomic_output(path, binary=True) as handle:
            handle.write(data)
    else:
        with atomic_output(path, encoding=encoding) as handle:
            handle.write(data)
