"""Stored-notebook hygiene: list the report notebooks, read their parameters, strip outputs.

``python -m corpus_tools.notebooks clean notebooks/*.ipynb`` clears outputs and execution
counts but keeps cell tags (papermill needs the ``parameters`` tag).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import papermill

from corpus_tools.outputs import atomic_write_text
from corpus_tools.paths import NOTEBOOKS_DIR

NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"


def report_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks (``00_…``, ``01_…``) of ``folder``, in reading order."""
    return sorted(folder.glob(NOTEBOOK_PATTERN))


def declared_parameters(path: Path) -> dict[str, dict[str, str]]:
    """The parameters a notebook declares in its ``parameters`` cell (papermill's reading)."""
    return papermill.inspect_notebook(str(path))


def clean_notebook(path: Path) -> bool:
    """Remove outputs and execution counts from a stored notebook; return True if it changed."""
    before = path.read_text(encoding="utf-8")
    notebook = nbformat.reads(before, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    notebook.metadata.pop("papermill", None)
    after = nbformat.writes(notebook) + "\n"
    if after != before:
        atomic_write_text(path, after)
    return after != before


def main(argv: list[str] | None = None) -> int:
    """Command line: ``clean PATH...``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2 or args[0] != "clean":
        print("usage: python -m corpus_tools.notebooks clean NOTEBOOK...", file=sys.stderr)
        return 2
    for name in args[1:]:
        if clean_notebook(Path(name)):
            print(f"cleaned {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
