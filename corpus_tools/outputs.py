"""Write files so that a reader never sees half of one: temporary name, then rename.

Tables are written in a stable form (sorted as given, LF line ends, UTF-8) so the same
input gives byte-identical files.
"""

from __future__ import annotations

import glob
import io
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give: temporary files start as 0600


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
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    leftovers = f".{glob.escape(folder.name)}.*.tmp*"  # of an interrupted write
    for stale in folder.parent.glob(leftovers):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
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
