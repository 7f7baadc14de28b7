"""Run the report notebooks with papermill and render them to standalone HTML with an index.

A run extracts the corpus once (into the cache, :mod:`corpus_tools.cache`), then executes every
notebook for every parameter set, in parallel up to ``jobs``, and renders each to one HTML file
that opens with no network (figures embedded, no scripts, a provenance block). Layout::

    <run>/index.html            every report with its status, provenance, new since last run
    <run>/manifest.json         the same, machine-readable
    <run>/tables/               the extracted tables (CSV) the evidence links point to
    <run>/<set>/<nb>.html       rendered report (``<set>/`` only for parameter sweeps)
    <run>/<set>/<nb>.ipynb      executed notebook
    <run>/<set>/<nb>/           the tables and figures the notebook wrote

A notebook that fails is still rendered, with papermill's marker on the failing cell; the other
notebooks still run and :func:`run_reports` reports the failure (the CLI exits non-zero).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from string import Template
from typing import Any

import nbformat
import papermill
import yaml
from nbconvert import HTMLExporter
from papermill.exceptions import PapermillExecutionError
from tqdm import tqdm
from traitlets.config import Config

from corpus_tools.cache import (
    cache_environment,
    cache_unwritable,
    default_cache_dir,
    discard_damaged,
    file_hash,
    knowledge_hash,
    seal_problem,
    stored_atomically,
    text_hash,
)
from corpus_tools.engine import stop_pool, worker_pool
from corpus_tools.notebooks import declared_parameters, report_notebooks
from corpus_tools.outputs import atomic_copy_tree, atomic_write_text, output_lock
from corpus_tools.paths import PROJECT_ROOT, REPORTS_DIR, resolve_corpus
from corpus_tools.validation import check_number, invalid

log = logging.getLogger(__name__)
MAX_PARAMS_BYTES = 1 << 20  # parameter sets are a few lines; aliases are refused too
RESERVED_PARAMETERS = frozenset({"corpus", "out_dir"})  # set by the runner for every notebook
DEFAULT_SET = "default"
_SET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)
_REMOTE_LINK = re.compile(r"<link\b[^>]*href=[\"']https?://[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class NotebookRun:
    """The outcome of running and rendering one notebook for one parameter set."""

    name: str
    status: str  # "ok" or "failed"
    notebook: Path
    html: Path
    outputs: Path
    seconds: float
    error: str = ""
    parameter_set: str = DEFAULT_SET
    reused: bool = False  # copied from an earlier identical run, then rendered again


@dataclass
class RunInfo:
    """What produced a run: the provenance shown in every report and in the manifest."""

    run_id: str
    corpus: str
    corpus_hash: str
    documents: int
    package_version: str
    git_commit: str
    started: str
    cache: dict[str, Any] = field(default_factory=dict)
    parameter_sets: dict[str, dict[str, Any]] = field(default_factory=dict)


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
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + ("+changes" if dirty else "")


def default_run_dir(corpus: Path) -> Path:
    """``reports/<corpus name>-<UTC time>``: a new folder per run, so runs never overwrite."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return REPORTS_DIR / f"{corpus.name or 'corpus'}-{stamp}"


def read_params_file(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read named parameter sets from YAML or JSON: ``{set name: {parameter: value}}``.

    Raises:
        FileNotFoundError: The file does not exist.
        corpus_tools.validation.ParameterError: The file is not a mapping of named mappings,
            or a set name cannot be a folder name.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"params file not found: {path}")
    if path.stat().st_size > MAX_PARAMS_BYTES:
        raise invalid("params file", str(path), f"at most {MAX_PARAMS_BYTES:,} bytes")
    try:
        text = path.read_text(encoding="utf-8")
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, yaml.SafeLoader)):
            raise invalid("params file", str(path), "YAML without aliases (*name)")
        data = yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise invalid("params file", str(path), f"YAML or JSON in UTF-8 ({exc})") from exc
    if (
        not isinstance(data, dict)
        or not data
        or not all(isinstance(v, dict) for v in data.values())
    ):
        raise invalid("params file", str(path), "a mapping of set names to parameter mappings")
    for name in data:
        if not isinstance(name, str) or not _SET_NAME.fullmatch(name):
            raise invalid(
                "parameter set name", name, "letters, digits, '.', '_' or '-' (a folder name)"
            )
    return {name: dict(values) for name, values in data.items()}


def run_reports(
    corpus: str | Path | None = None,
    *,
    out_dir: str | Path | None = None,
    notebooks: Sequence[str | Path] | None = None,
    parameters: dict[str, Any] | None = None,
    parameter_sets: dict[str, dict[str, Any]] | None = None,
    no_input: bool = False,
    jobs: int = 1,
    progress: bool = False,
    reuse: bool = True,
    use_cache: bool = True,
) -> tuple[Path, list[NotebookRun]]:
    """Extract ``corpus`` once, then execute and render each notebook for each parameter set.

    Args:
        corpus: The corpus path; empty means the bundled ``seeds/``.
        out_dir: The run folder; by default a new ``reports/<corpus>-<time>/``.
        notebooks: Notebook paths; by default every numbered notebook in ``notebooks/``.
        parameters: Parameters for every set (a set's own values win).
        parameter_sets: Named parameter sets (a sweep); each renders into its own folder.
        no_input: Hide code cells in the HTML.
        jobs: Notebooks executed at once (processes).
        progress: Show progress bars.
        reuse: Reuse a notebook's earlier result when the notebook, its parameters and the
            extracted corpus are unchanged (it is then only rendered again).
        use_cache: Off: no cache is read or written, by this run or its notebooks (no reuse).

    Returns:
        The run folder and one :class:`NotebookRun` per notebook and set.

    Raises:
        FileNotFoundError: The corpus or a notebook does not exist.
        corpus_tools.validation.ParameterError: An unknown parameter name, or ``corpus`` /
            ``out_dir`` given as a parameter.
    """
    from corpus_tools.pipeline import extract, write_tables

    check_number("jobs", jobs, minimum=1)
    corpus_path = resolve_corpus(corpus)
    if not corpus_path.exists():
        raise FileNotFoundError(f"corpus path not found: {corpus_path}")
    paths = [Path(p) for p in notebooks] if notebooks else report_notebooks()
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"notebook not found: {path}")
    declared = {path: declared_parameters(path) for path in paths}
    sets = {
        name: {**(parameters or {}), **values}
        for name, values in (parameter_sets or {DEFAULT_SET: {}}).items()
    }
    _check_names(sets, declared)

    run_dir = Path(out_dir) if out_dir else default_run_dir(corpus_path)
    run_dir.mkdir(parents=True, exist_ok=True)
    kernels = cache_environment(root=default_cache_dir(), disabled=not use_cache)  # same cache
    with output_lock(run_dir), kernels:  # one run per folder at a time
        started = dt.datetime.now(dt.UTC)
        reuse = reuse and use_cache
        first = next(iter(sets.values()))
        tables = extract(
            corpus_path,
            metadata_path=first.get("metadata") or None,
            alias_path=first.get("aliases") or None,
            progress=progress,
            use_cache=use_cache,
        )
        write_tables(tables, run_dir / "tables")
        info = RunInfo(
            run_id=run_dir.name, corpus=str(corpus_path), corpus_hash=tables.cache.get("key", ""),
            documents=len(tables.documents), package_version=package_version(),
            git_commit=git_commit(), started=started.strftime("%Y-%m-%dT%H:%M:%SZ"),
            cache=tables.cache, parameter_sets=sets,
        )  # fmt: skip
        sweep = parameter_sets is not None
        tasks = []
        for set_name, values in sets.items():
            folder = run_dir / set_name if sweep else run_dir
            for path in paths:
                given = {"corpus": str(corpus_path), "out_dir": str(folder / path.stem), **values}
                params = {k: v for k, v in given.items() if k in declared[path]}
                tasks.append((path, folder, params, set_name, no_input, asdict(info), reuse))
        runs = _execute_all(tasks, jobs, progress)
        changes = changes_since_previous(run_dir, tables, str(corpus_path))
        write_manifest(run_dir, info, runs, changes, finished=dt.datetime.now(dt.UTC))
        write_index(run_dir, runs, info, changes)
        return run_dir, runs


def _check_names(sets: dict[str, dict[str, Any]], declared: dict[Path, dict]) -> None:
    known = set().union(*(set(d) for d in declared.values())) if declared else set()
    for values in sets.values():
        for name in sorted(set(values) & RESERVED_PARAMETERS):
            raise invalid(
                "parameter name", name, "set with --corpus/--out (corpus=, out_dir=), not -p"
            )
        for name in sorted(set(values) - known):
            raise invalid(
                "parameter name", name, f"one of the notebooks' parameters {sorted(known)}"
            )


def _execute_all(tasks: list[tuple], jobs: int, progress: bool) -> list[NotebookRun]:
    bar = tqdm(total=len(tasks), desc="notebooks", unit="nb", disable=not progress, delay=0.5)
    results: dict[int, NotebookRun] = {}
    if jobs == 1 or len(tasks) == 1:
        for index, task in enumerate(tasks):
            results[index] = run_notebook(*task)
            bar.update()
    else:
        pool = worker_pool(jobs)
        try:
            futures = {pool.submit(run_notebook, *task): index for index, task in enumerate(tasks)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                bar.update()
        except BaseException:  # Ctrl-C, SIGTERM: stop the notebooks still running, now
            stop_pool(pool)
            for path, folder, *_ in tasks:  # what the killed runs had half written
                (folder / f".partial-{path.stem}.ipynb").unlink(missing_ok=True)
            raise
        pool.shutdown()
    bar.close()
    return [results[i] for i in range(len(tasks))]


def run_notebook(
    path: Path,
    folder: Path,
    parameters: dict[str, Any],
    parameter_set: str = DEFAULT_SET,
    no_input: bool = False,
    provenance: dict[str, Any] | None = None,
    reuse: bool = False,
) -> NotebookRun:
    """Execute one notebook into ``folder`` and render it, failed or not.

    With ``reuse``, a result stored for the same notebook, parameters and extracted corpus
    (``provenance["corpus_hash"]``) is copied instead of executing again.
    """
    outputs = folder / path.stem
    outputs.mkdir(parents=True, exist_ok=True)
    executed = folder / f"{path.stem}.ipynb"
    partial = folder / f".partial-{path.stem}.ipynb"
    started = time.perf_counter()
    status, error = "ok", ""
    key = _result_key(path, parameters, (provenance or {}).get("corpus_hash", ""), no_input)
    stored = default_cache_dir() / "reports" / key
    reused = reuse and _intact(stored)
    if reused:
        _restore_result(stored, executed, outputs, str(folder))
    else:
        try:
            with _kernel_sockets() as config:
                papermill.execute_notebook(
                    str(path), str(partial), parameters=parameters, cwd=str(outputs),
                    progress_bar=False, config=config,
                )  # fmt: skip
        except PapermillExecutionError as exc:
            status, error = "failed", f"{exc.ename}: {exc.evalue}"
            log.error("%s failed: %s", path.name, error)
        if partial.exists():
            partial.replace(executed)
        if reuse and status == "ok":
            _store_result(stored, executed, outputs, str(folder))
    html_path = folder / f"{path.stem}.html"
    seconds = time.perf_counter() - started
    if executed.exists():
        block = _provenance_html(provenance or {}, parameters, status, seconds, path.stem)
        render_html(executed, html_path, no_input=no_input, provenance=block)
    return NotebookRun(
        path.stem, status, executed, html_path, outputs, seconds, error, parameter_set, reused
    )


@contextmanager
def _kernel_sockets() -> Iterator[Config]:
    """Kernel settings for one notebook: local (IPC) sockets in a private temporary folder.

    Over TCP, kernels started at the same moment can race for one port ("Address already in
    use", a kernel that dies at start), and every kernel warns that it is unencrypted.
    """
    folder = tempfile.mkdtemp(prefix="corpus-tools-kernel-")
    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = os.path.join(folder, "kernel")
    try:
        yield config
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _result_key(path: Path, parameters: dict[str, Any], corpus_hash: str, no_input: bool) -> str:
    stable = {k: v for k, v in parameters.items() if k != "out_dir"}
    return text_hash(
        file_hash(path), json.dumps(stable, sort_keys=True, default=str), corpus_hash,
        package_version(), knowledge_hash(), no_input,
    )  # fmt: skip


_FOLDER_MARK = "@@CORPUS_TOOLS_RUN_FOLDER@@"


def _store_result(stored: Path, executed: Path, outputs: Path, folder: str) -> None:
    """Keep a successful result for reuse.

    The executed notebook is kept with its run folder made a placeholder (so that a reuse can
    name its own folder), together with the files the notebook wrote.
    """
    if stored.exists():
        return
    try:
        with stored_atomically(stored) as temporary:
            text = executed.read_text(encoding="utf-8")
            text = text.replace(json.dumps(folder)[1:-1], _FOLDER_MARK)
            (temporary / "notebook.ipynb").write_text(text, encoding="utf-8")
            shutil.copytree(outputs, temporary / "outputs")
    except OSError as exc:
        cache_unwritable(stored.parent, exc)


def _intact(stored: Path) -> bool:
    """Whether a stored result exists and matches its checksums (a damaged one is deleted)."""
    try:
        if not stored.is_dir():
            return False
    except OSError:
        return False
    problem = seal_problem(stored)
    if not problem:
        try:
            nbformat.validate(nbformat.read(stored / "notebook.ipynb", as_version=4))
        except (OSError, ValueError, nbformat.ValidationError) as exc:
            problem = f"notebook.ipynb is not a notebook ({exc})"
    if problem:
        discard_damaged(stored, problem)
    return not problem


def _restore_result(stored: Path, executed: Path, outputs: Path, folder: str) -> None:
    text = (stored / "notebook.ipynb").read_text(encoding="utf-8")
    atomic_write_text(executed, text.replace(_FOLDER_MARK, json.dumps(folder)[1:-1]))
    atomic_copy_tree(stored / "outputs", outputs)


TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def _template(name: str) -> str:
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")


class _DropAltTextNotice(logging.Filter):
    """nbconvert warns on every figure that has no alt text (it then adds a generic one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Alternative text is missing" not in record.getMessage()


def _provenance_html(
    info: dict[str, Any], parameters: dict[str, Any], status: str, seconds: float, name: str
) -> str:
    esc = html.escape
    rows = {
        "report": name,
        "status": status,
        "parameters": ", ".join(f"{k} = {v!r}" for k, v in sorted(parameters.items())),
        "corpus": info.get("corpus", ""),
        "corpus content hash": info.get("corpus_hash", ""),
        "documents": info.get("documents", ""),
        "corpus-tools version": info.get("package_version", ""),
        "git commit": info.get("git_commit") or "(not a git checkout)",
        "run started (UTC)": info.get("started", ""),
        "notebook run time": f"{seconds:.1f} s",
    }
    items = "".join(f"<dt>{esc(str(k))}</dt><dd>{esc(str(v))}</dd>" for k, v in rows.items())
    return f'<section class="ct-provenance" aria-label="provenance"><dl>{items}</dl></section>'


def render_html(
    notebook_path: Path, html_path: Path, *, no_input: bool = False, provenance: str = ""
) -> Path:
    """Render an executed notebook to one standalone HTML file that loads nothing from elsewhere.

    Figures are embedded; nbconvert's scripts (MathJax, require.js, mermaid from a CDN) are
    dropped, which also keeps the page free of any script.
    """
    notebook = nbformat.read(notebook_path, as_version=4)
    exporter = HTMLExporter(template_name="lab", embed_images=True, exclude_input=no_input)
    if not any(isinstance(f, _DropAltTextNotice) for f in exporter.log.filters):
        exporter.log.addFilter(_DropAltTextNotice())
    body, _ = exporter.from_notebook_node(notebook)
    body = _REMOTE_LINK.sub("", _SCRIPT.sub("", body))
    title = html.escape(notebook_path.stem.replace("_", " "))
    body = re.sub(r"<title>.*?</title>", f"<title>{title}</title>", body, count=1, flags=re.DOTALL)
    body = body.replace("</head>", f"<style>{_template('report.css')}</style>\n</head>", 1)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + provenance, body, count=1)
    return atomic_write_text(html_path, body)


def changes_since_previous(run_dir: Path, tables: Any, corpus: str) -> dict[str, Any]:
    """New entities and partnership dyads compared with the latest earlier run on the same corpus.

    Earlier runs are the sibling folders of ``run_dir`` whose ``manifest.json`` names the same
    corpus path.
    """
    previous = _previous_manifest(run_dir, corpus)
    entities = _entity_keys(tables)
    dyads = _dyad_keys(tables)
    if previous is None:
        return {
            "previous_run": "",
            "new_entities": [],
            "new_partnerships": [],
            "entities": entities,
            "dyads": dyads,
        }
    old_entities = {tuple(e[:2]) for e in previous.get("entities", [])}
    old_dyads = {tuple(d[:2]) for d in previous.get("dyads", [])}
    return {
        "previous_run": previous.get("run_id", ""),
        "new_entities": [e for e in entities if tuple(e[:2]) not in old_entities],
        "new_partnerships": [d for d in dyads if tuple(d[:2]) not in old_dyads],
        "entities": entities,
        "dyads": dyads,
    }


def _entity_keys(tables: Any) -> list[list[str]]:
    """[entity, type, first evidence sentence, doc_id] for every entity, sorted."""
    first = tables.mentions.drop_duplicates(["entity", "type"])
    texts = tables.sentences.set_index(["doc_id", "sent_id"])["text"]
    return sorted(
        [e, t, texts.get((d, s), ""), d]
        for e, t, d, s in zip(
            first["entity"], first["type"], first["doc_id"], first["sent_id"], strict=True
        )
    )


def _dyad_keys(tables: Any) -> list[list[str]]:
    """[a, b, kinds, first evidence sentence] for every partnership dyad, sorted."""
    return sorted(
        [a, b, k, e]
        for a, b, k, e in zip(
            tables.dyads["a"],
            tables.dyads["b"],
            tables.dyads["kinds"],
            tables.dyads["evidence"],
            strict=True,
        )
    )


def _previous_manifest(run_dir: Path, corpus: str) -> dict[str, Any] | None:
    candidates = []
    for manifest in run_dir.parent.glob("*/manifest.json"):
        if manifest.parent.resolve() == run_dir.resolve():
            continue
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("corpus") == corpus:
            candidates.append((data.get("finished", ""), data))
    return max(candidates, key=lambda item: item[0])[1] if candidates else None


def write_manifest(
    run_dir: Path,
    info: RunInfo,
    runs: list[NotebookRun],
    changes: dict[str, Any],
    *,
    finished: dt.datetime,
) -> Path:
    """Write ``manifest.json``: provenance, cache use, every report's status, what is new."""
    manifest = {
        **asdict(info),
        "finished": finished.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "reports": [
            {
                "notebook": run.name,
                "parameter_set": run.parameter_set,
                "status": run.status,
                "error": run.error,
                "seconds": round(run.seconds, 2),
                "reused": run.reused,
                "html": run.html.relative_to(run_dir).as_posix(),
            }
            for run in runs
        ],
        **changes,
    }
    return atomic_write_text(
        run_dir / "manifest.json", json.dumps(manifest, indent=1, default=str) + "\n"
    )


def write_index(
    run_dir: Path, runs: list[NotebookRun], info: RunInfo, changes: dict[str, Any]
) -> Path:
    """Write ``index.html``: every report with its status, what produced the run, what is new."""
    esc = html.escape
    rows = "\n".join(
        f'<tr class="{esc(run.status)}"><td>{esc(run.parameter_set)}</td>'
        f'<td><a href="{esc(run.html.relative_to(run_dir).as_posix())}">{esc(run.name)}</a></td>'
        f"<td>{esc(run.status)}</td><td>{run.seconds:.1f} s</td>"
        f'<td><a href="{esc(run.outputs.relative_to(run_dir).as_posix())}/">outputs</a></td>'
        f"<td>{esc(run.error)}</td></tr>"
        for run in runs
    )
    sets = "".join(
        f"<li><b>{esc(name)}</b>: {esc(_describe(values))}</li>"
        for name, values in info.parameter_sets.items()
    )
    cache = info.cache
    page = Template(_template("index.html")).substitute(
        title=esc(Path(info.corpus).name),
        rows=rows,
        changes=_changes_html(changes),
        corpus=esc(info.corpus),
        corpus_hash=esc(info.corpus_hash),
        documents=info.documents,
        cache=f"{cache.get('reused', 0)} of {cache.get('files', 0)} files reused, "
        f"{cache.get('extracted', 0)} extracted",
        sets=sets,
        version=esc(info.package_version),
        commit=esc(info.git_commit or "(not a git checkout)"),
        started=esc(info.started),
    )
    return atomic_write_text(run_dir / "index.html", page)


def _describe(values: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {v!r}" for k, v in sorted(values.items())) or "defaults"


def _changes_html(changes: dict[str, Any], limit: int = 200) -> str:
    esc = html.escape
    if not changes.get("previous_run"):
        return "<p>No earlier run of this corpus in this folder.</p>"
    parts = [
        f'<p>Compared with <a href="../{esc(changes["previous_run"])}/index.html">'
        f"{esc(changes['previous_run'])}</a>.</p>"
    ]
    entities, dyads = changes["new_entities"], changes["new_partnerships"]
    parts.append(f"<h3>New entities ({len(entities)})</h3>")
    parts.extend(
        f"<p><b>{esc(e)}</b> ({esc(t)}), first in <code>{esc(d)}</code>:</p>"
        f"<blockquote>{esc(s)}</blockquote>"
        for e, t, s, d in entities[:limit]
    )
    parts.append(
        f"<h3>New partnerships ({len(dyads)}) — all records: "
        '<a href="tables/partnerships.csv">tables/partnerships.csv</a></h3>'
    )
    parts.extend(
        f"<p><b>{esc(a)}</b> – <b>{esc(b)}</b> ({esc(k)}):</p><blockquote>{esc(e)}</blockquote>"
        for a, b, k, e in dyads[:limit]
    )
    if len(entities) > limit or len(dyads) > limit:
        parts.append(
            f"<p>Only the first {limit} of each are shown; manifest.json lists them all.</p>"
        )
    return "\n".join(parts)
