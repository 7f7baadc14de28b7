"""Write files so that a reader never sees half of one: temporary name, then rename.

Tables are written in a stable form (sorted as given, LF line ends, UTF-8) so the same
input gives byte-identical files.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from corpus_tools.paths import OUTPUT_LOCK_NAME


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give: temporary files start as 0600


LOCK_NAME = OUTPUT_LOCK_NAME
_HELD: dict[Path, int] = {}  # lock files this process holds, with their descriptors


class OutputBusyError(RuntimeError):
    """Another run holds the lock of the output folder."""


@contextlib.contextmanager
def output_lock(folder: str | Path) -> Iterator[Path]:
    """Hold the lock of an output folder: one writer at a time, the others refused at once.

    The lock is ``.corpus_tools.lock`` in the folder (an ``flock``, released when the process
    ends, however it ends). Re-entrant within a process, so a command can take it before its
    work starts and the writers it calls take it again.

    Raises:
        OutputBusyError: Another process is writing into ``folder``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = (folder / LOCK_NAME).resolve()
    if path in _HELD:
        yield folder
        return
    handle = os.open(path, os.O_RDWR | os.O_CREAT, _FILE_MODE)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise OutputBusyError(
            f"{folder}: another run is writing here (it holds {LOCK_NAME}); "
            "wait for it to finish or choose another output folder"
        ) from None
    _HELD[path] = handle
    try:
        yield folder
    finally:
        del _HELD[path]
        os.close(handle)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except OSError as exc:  # a full disk, a file-size limit: say which file could not be written
        Path(tmp).unlink(missing_ok=True)
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as CSV (no index, LF line ends) atomically."""
    return atomic_write_text(path, table.to_csv(index=False, lineterminator="\n"))


def write_parquet_parts(parts: Iterable[pd.DataFrame], folder: str | Path) -> list[Path]:
    """Write a table as a Parquet dataset: a folder of ``part-00000.parquet``, … in order.

    The parts are written into a hidden folder beside ``folder`` which then takes its place
    (an older dataset, or an older single-file table of that name, is removed after), so a
    reader sees the whole old dataset or the whole new one, never a mix (for the moment
    between two renames, neither). ``pd.read_parquet(folder)`` and
    ``dask.dataframe.read_parquet(folder)`` read it back, parts in order.

    The staging folder's name carries the writer's process id: leftovers of a writer that
    died are removed, a live writer's staging folder is never touched.
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    _remove_dead_staging(folder)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{folder.name}.{os.getpid()}.", suffix=".tmp", dir=folder.parent)
    )
    written = []
    try:
        for index, part in enumerate(parts):
            buffer = io.BytesIO()
            part.to_parquet(buffer, index=False)
            name = f"part-{index:05d}.parquet"
            atomic_write_bytes(staging / name, buffer.getvalue())
            written.append(folder / name)
        os.chmod(staging, 0o777 & ~_umask())
        old = None
        if folder.exists():
            old = folder.with_name(f"{staging.name}.old")
            os.replace(folder, old)
        os.replace(staging, folder)
        if old is not None:
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _remove_dead_staging(folder: Path) -> None:
    """Delete the staging folders of ``folder`` whose writer process no longer runs.

    A staging name without a process id was left by a version before the ids (stale too).
    """
    staging = re.compile(rf"\.{re.escape(folder.name)}\..*\.tmp(\.old)?")
    with_pid = re.compile(rf"\.{re.escape(folder.name)}\.(\d+)\.[^.]+\.tmp(\.old)?")
    for stale in folder.parent.iterdir():
        if not staging.fullmatch(stale.name):
            continue
        owner = with_pid.fullmatch(stale.name)
        if owner and _alive(int(owner.group(1))):
            continue
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def save_figure(figure: Figure, path: str | Path, *, dpi: int = 120) -> Path:
    """Save a matplotlib figure as PNG atomically, with no timestamp so reruns are identical."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return atomic_write_bytes(path, buffer.getvalue())


def atomic_copy_tree(source: str | Path, target: str | Path) -> None:
    """Copy a folder's files into ``target``, each one atomically (no half-copied file)."""
    source, target = Path(source), Path(target)
    for path in sorted(source.rglob("*")):
        if path.is_file():
            atomic_write_bytes(target / path.relative_to(source), path.read_bytes())
