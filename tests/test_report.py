"""The report runner: every notebook executed, rendered to standalone HTML, indexed."""

import html
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from samples import ARTICLE

from corpus_tools.cli import main
from corpus_tools.notebooks import report_notebooks
from corpus_tools.report import run_reports
from corpus_tools.validation import ParameterError

PAYLOAD = "<script>document.title='pwned'</script>"


@pytest.fixture(scope="session")
def failing_notebook(tmp_path_factory):
    path = tmp_path_factory.mktemp("nb") / "99_fails.ipynb"
    parameters = new_code_cell('corpus: str = ""  # corpus\nout_dir: str = ""  # outputs')
    parameters.metadata["tags"] = ["parameters"]
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Fails"),
            parameters,
            new_code_cell("print('before the failure')"),
            new_code_cell("raise RuntimeError('deliberate failure')"),
            new_code_cell("print('never reached')"),
        ]
    )
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, path)
    return path


@pytest.fixture(scope="session")
def run(tmp_path_factory, failing_notebook):
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "evil.txt").write_text(f"{PAYLOAD} Headline\n\n{ARTICLE}", encoding="utf-8")
    (corpus / "good.txt").write_text(f"Good headline\n\n{ARTICLE} More.", encoding="utf-8")
    out = tmp_path_factory.mktemp("reports") / "run"
    return run_reports(corpus, out_dir=out, notebooks=[*report_notebooks(), failing_notebook])


def test_every_notebook_is_rendered_and_indexed(run):
    run_dir, runs = run
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    for result in runs:
        assert result.html.is_file() and result.notebook.is_file()
        assert f'href="{result.html.name}"' in index
    assert not list(run_dir.glob(".partial-*"))


def test_html_is_standalone_with_embedded_figures(run):
    run_dir, _ = run
    page = (run_dir / "00_corpus_overview.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page
    assert (run_dir / "00_corpus_overview" / "documents.csv").is_file()


def test_corpus_text_is_escaped_in_the_html(run):
    run_dir, _ = run
    page = (run_dir / "00_corpus_overview.html").read_text(encoding="utf-8")
    assert "pwned" in page  # the title is shown …
    assert PAYLOAD not in page  # … but never as markup
    assert html.escape(PAYLOAD, quote=False) in page or "&lt;script&gt;" in page


def test_a_failing_notebook_is_rendered_with_its_error_and_the_others_still_run(run):
    run_dir, runs = run
    status = {r.name: r.status for r in runs}
    assert status == {**{p.stem: "ok" for p in report_notebooks()}, "99_fails": "failed"}
    assert len(status) >= 5
    failed = next(r for r in runs if r.status == "failed")
    assert "deliberate failure" in failed.error
    executed = json.loads(failed.notebook.read_text(encoding="utf-8"))
    outputs = [
        o for c in executed["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
    ]
    assert any(o.get("output_type") == "error" for o in outputs)
    page = failed.html.read_text(encoding="utf-8")
    assert "before the failure" in page and "deliberate failure" in page and "never reached" in page
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    assert '<tr class="failed">' in index


@pytest.mark.parametrize("name", ["corpus", "out_dir"])
def test_runner_owned_parameters_cannot_be_overridden(tmp_path, name):
    with pytest.raises(ParameterError, match=f"`parameter name` value = '{name}'"):
        run_reports("seeds", out_dir=tmp_path, parameters={name: "elsewhere"})


def test_unknown_parameter_names_are_an_error(tmp_path):
    with pytest.raises(ParameterError, match="`parameter name` value = 'windw'"):
        run_reports("seeds", out_dir=tmp_path, parameters={"windw": "sentence"})


def test_cli_exits_non_zero_when_a_notebook_fails(tmp_path, failing_notebook, capsys):
    code = main(
        [
            "report",
            "--corpus",
            "seeds",
            "--out",
            str(tmp_path / "r"),
            "--notebooks",
            str(failing_notebook),
        ]
    )
    assert code == 1
    assert "failed" in capsys.readouterr().out


def test_every_notebook_runs_on_a_corpus_with_no_documents(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    _, runs = run_reports(corpus, out_dir=tmp_path / "out")
    assert {r.name: r.status for r in runs} == {r.name: "ok" for r in runs}
