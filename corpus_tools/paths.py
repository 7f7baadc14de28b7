"""Project paths, so notebooks behave the same in JupyterLab, under papermill and from cron."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"
SEEDS_DIR = PROJECT_ROOT / "seeds"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
# The lock file every output folder holds (corpus_tools.outputs.output_lock); a corpus walk
# passes over a folder that has one, so tables written inside a corpus are never read as input.
OUTPUT_LOCK_NAME = ".corpus_tools.lock"


def resolve_corpus(corpus: str | Path | None) -> Path:
    """Return the corpus path a user meant.

    An empty value means the bundled ``seeds/`` corpus. A relative path is taken from the
    current directory first and, failing that, from the project root, so ``"seeds"`` works from
    a notebook in ``notebooks/`` as well as from the shell.

    Args:
        corpus: A folder or file path, or ``None``/``""`` for the bundled corpus.

    Returns:
        The absolute path (which may not exist: the loader reports that).
    """
    if corpus is None or str(corpus).strip() == "":
        return SEEDS_DIR
    path = Path(corpus).expanduser()
    if path.is_absolute() or path.exists():
        return path.resolve()
    from_root = PROJECT_ROOT / path
    return from_root.resolve() if from_root.exists() else path.absolute()


def resolve_output_dir(out_dir: str | Path | None, default_name: str = "interactive") -> Path:
    """Return the folder where a notebook writes its tables and figures.

    Args:
        out_dir: The folder asked for; empty means ``reports/<default_name>/``.
        default_name: Sub-folder of ``reports/`` used when ``out_dir`` is empty.

    Returns:
        The folder, created if missing.
    """
    path = REPORTS_DIR / default_name if not out_dir else Path(out_dir).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path
