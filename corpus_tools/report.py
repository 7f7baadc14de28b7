"""Run the report notebooks with papermill and render them to standalone HTML with an index.

One folder per run: ``<out>/<notebook>.ipynb`` (executed), ``<out>/<notebook>.html``
(rendered, images embedded), ``<out>/<notebook>/`` (the tables and figures it wrote) and
``<out>/index.html`` linking every report with its status.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import nbformat
import papermill
from nbconvert import HTMLExporter
from papermill.exceptions import PapermillExecutionError

from corpus_tools.notebooks import declared_parameters, report_notebooks
from corpus_tools.outputs import atomic_write_text
from corpus_tools.paths import PROJECT_ROOT, REPORTS_DIR, resolve_corpus
from corpus_tools.validation import invalid

log = logging.getLogger(__name__)
RESERVED_PARAMETERS = frozenset({"corpus", "out_dir"})  # set by the runner for every notebook


@dataclass(frozen=True)
class NotebookRun:
    """The outcome of running and rendering one notebook."""

    name: str
    status: str  # "ok" or "failed"
    notebook: Path
    html: Path
    outputs: Path
    seconds: float
    error: str = ""


def package_version() -> str:
    """The installed corpus-tools version ("unknown" when run from a bare checkout)."""
    try:
        return version("corpus-tools")
    except PackageNotFoundError:
        return "unknown"


def git_commit() -> str:
    """The project's git commit (with ``+changes`` when the work tree differs), or ""."""
    if not (PROJECT_ROOT / ".git").exists():
        return ""
    try:
        head = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + ("+changes" if dirty else "")


def default_run_dir(corpus: Path) -> Path:
    """``reports/<corpus name>-<UTC time>``: a new folder per run, so runs never overwrite."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return REPORTS_DIR / f"{corpus.name or 'corpus'}-{stamp}"


def run_reports(
    corpus: str | Path | None = None,
    *,
    out_dir: str | Path | None = None,
    notebooks: Sequence[str | Path] | None = None,
    parameters: dict[str, Any] | None = None,
) -> tuple[Path, list[NotebookRun]]:
    """Execute each report notebook on ``corpus`` and render it to HTML.

    A notebook that fails is still rendered (papermill marks the failing cell) and the
    others still run.

    Args:
        corpus: The corpus path; empty means the bundled ``seeds/``.
        out_dir: The run folder; by default a new ``reports/<corpus>-<time>/``.
        notebooks: Notebook paths; by default every numbered notebook in ``notebooks/``.
        parameters: Extra notebook parameters; a name no selected notebook declares is an error.

    Returns:
        The run folder and one :class:`NotebookRun` per notebook.

    Raises:
        FileNotFoundError: The corpus or a notebook does not exist.
        corpus_tools.validation.ParameterError: An unknown parameter name.
    """
    corpus_path = resolve_corpus(corpus)
    if not corpus_path.exists():
        raise FileNotFoundError(f"corpus path not found: {corpus_path}")
    paths = [Path(p) for p in notebooks] if notebooks else report_notebooks()
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"notebook not found: {path}")
    declared = {path: declared_parameters(path) for path in paths}
    extra = dict(parameters or {})
    known = set().union(*(set(d) for d in declared.values())) if declared else set()
    for name in sorted(set(extra) & RESERVED_PARAMETERS):
        raise invalid("parameter name", name, "set with --corpus/--out (corpus=, out_dir=), not -p")
    for name in sorted(set(extra) - known):
        raise invalid("parameter name", name, f"one of the notebooks' parameters {sorted(known)}")
    run_dir = Path(out_dir) if out_dir else default_run_dir(corpus_path)
    run_dir.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    runs = []
    for path in paths:
        given = {"corpus": str(corpus_path), "out_dir": str(run_dir / path.stem), **extra}
        params = {k: v for k, v in given.items() if k in declared[path]}
        runs.append(run_notebook(path, run_dir, params))
    write_index(run_dir, runs, corpus=corpus_path, started=started, parameters=extra)
    return run_dir, runs


def run_notebook(path: Path, run_dir: Path, parameters: dict[str, Any]) -> NotebookRun:
    """Execute one notebook into ``run_dir`` and render it, failed or not."""
    outputs = run_dir / path.stem
    outputs.mkdir(parents=True, exist_ok=True)
    executed = run_dir / f"{path.stem}.ipynb"
    partial = run_dir / f".partial-{path.stem}.ipynb"
    started = time.perf_counter()
    status, error = "ok", ""
    try:
        papermill.execute_notebook(
            str(path), str(partial), parameters=parameters, cwd=str(outputs), progress_bar=False
        )
    except PapermillExecutionError as exc:
        status, error = "failed", f"{exc.ename}: {exc.evalue}"
        log.error("%s failed: %s", path.name, error)
    if partial.exists():
        partial.replace(executed)
    html_path = run_dir / f"{path.stem}.html"
    if executed.exists():
        render_html(executed, html_path)
    return NotebookRun(
        path.stem, status, executed, html_path, outputs, time.perf_counter() - started, error
    )


# Tables of text read better left-aligned and sized to their content.
_REPORT_CSS = """
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon table { table-layout: auto; }
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td,
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon th { text-align: left; vertical-align: top; }
"""


class _DropAltTextNotice(logging.Filter):
    """nbconvert warns on every figure that has no alt text (it then adds a generic one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Alternative text is missing" not in record.getMessage()


def render_html(notebook_path: Path, html_path: Path) -> Path:
    """Render an executed notebook to one standalone HTML file (images embedded)."""
    notebook = nbformat.read(notebook_path, as_version=4)
    exporter = HTMLExporter(template_name="lab", embed_images=True)
    if not any(isinstance(f, _DropAltTextNotice) for f in exporter.log.filters):
        exporter.log.addFilter(_DropAltTextNotice())
    body, _ = exporter.from_notebook_node(notebook)
    body = body.replace("</head>", f"<style>{_REPORT_CSS}</style>\n</head>", 1)
    return atomic_write_text(html_path, body)


def write_index(
    run_dir: Path,
    runs: list[NotebookRun],
    *,
    corpus: Path,
    started: dt.datetime,
    parameters: dict[str, Any],
) -> Path:
    """Write ``index.html``: every report with its status, and what produced the run."""
    esc = html.escape
    rows = "\n".join(
        f'<tr class="{esc(run.status)}"><td><a href="{esc(run.html.name)}">{esc(run.name)}</a></td>'
        f"<td>{esc(run.status)}</td><td>{run.seconds:.1f} s</td>"
        f'<td><a href="{esc(run.outputs.name)}/">{esc(run.outputs.name)}/</a></td>'
        f"<td>{esc(run.error)}</td></tr>"
        for run in runs
    )
    params = (
        ", ".join(f"{esc(k)} = {esc(repr(v))}" for k, v in sorted(parameters.items())) or "defaults"
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>corpus_tools reports: {esc(corpus.name)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .4rem; text-align: left; vertical-align: top; }}
tr.failed td {{ background: #fdecea; }}
dt {{ font-weight: bold; }}
</style></head>
<body>
<h1>Reports on {esc(corpus.name)}</h1>
<table><thead><tr><th>report</th><th>status</th><th>time</th><th>outputs</th><th>error</th></tr></thead>
<tbody>
{rows}
</tbody></table>
<h2>Provenance</h2>
<dl>
<dt>corpus</dt><dd>{esc(str(corpus))}</dd>
<dt>parameters</dt><dd>{params}</dd>
<dt>corpus-tools version</dt><dd>{esc(package_version())}</dd>
<dt>git commit</dt><dd>{esc(git_commit() or "(not a git checkout)")}</dd>
<dt>started (UTC)</dt><dd>{esc(started.strftime("%Y-%m-%d %H:%M:%S"))}</dd>
</dl>
</body></html>
"""
    return atomic_write_text(run_dir / "index.html", page)
