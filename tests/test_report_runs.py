"""Scheduled, cached, swept report runs: what a cron job relies on."""

import json
import re
from pathlib import Path

import pytest

from corpus_tools.cli import main
from corpus_tools.paths import NOTEBOOKS_DIR
from corpus_tools.report import read_params_file, run_reports
from corpus_tools.validation import ParameterError

TIMELINE = NOTEBOOKS_DIR / "03_partnership_timeline.ipynb"
FIRST = "Lincoln University signed an agreement with Peking University on 3 March 2015.\n"
ADDED = "Massey University and Fudan University signed a memorandum of understanding in 2016.\n"


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Lincoln and Peking\n\n" + FIRST, encoding="utf-8")
    (root / "b.txt").write_text(
        "Other news\n\nThe weather in Auckland was fine all week.\n", encoding="utf-8"
    )
    return root


def manifest(run_dir):
    return json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))


def test_a_sweep_renders_each_parameter_set_into_its_own_folder(corpus, tmp_path):
    params = tmp_path / "sweep.yaml"
    params.write_text(
        "lincoln:\n  focus: Lincoln University\nall:\n  focus: ''\n", encoding="utf-8"
    )
    run_dir, runs = run_reports(
        corpus, out_dir=tmp_path / "reports" / "run", notebooks=[TIMELINE],
        parameter_sets=read_params_file(params),
    )  # fmt: skip
    assert {r.parameter_set for r in runs} == {"lincoln", "all"}
    for name in ("lincoln", "all"):
        assert (run_dir / name / "03_partnership_timeline.html").is_file()
        assert (run_dir / name / "03_partnership_timeline" / "partnerships.csv").is_file()
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    assert (
        'href="lincoln/03_partnership_timeline.html"' in index
        and 'href="all/03_partnership_timeline.html"' in index
    )
    assert len(list(run_dir.glob("index.html"))) == 1
    assert manifest(run_dir)["parameter_sets"]["lincoln"] == {"focus": "Lincoln University"}


def test_reruns_reuse_the_cache_and_a_changed_file_is_extracted_again(
    corpus, tmp_path, monkeypatch
):
    monkeypatch.setenv("CORPUS_TOOLS_CACHE", str(tmp_path / "cache"))
    reports = tmp_path / "reports"
    first, _ = run_reports(corpus, out_dir=reports / "run1", notebooks=[TIMELINE])
    assert manifest(first)["cache"]["extracted"] == 2
    second, runs = run_reports(corpus, out_dir=reports / "run2", notebooks=[TIMELINE])
    cache = manifest(second)["cache"]
    assert (cache["extracted"], cache["reused"], cache["tables"]) == (0, 2, "reused")
    assert all(r.reused for r in runs)
    assert manifest(second)["corpus_hash"] == manifest(first)["corpus_hash"]
    (corpus / "b.txt").write_text("Other news\n\n" + ADDED, encoding="utf-8")
    third, runs = run_reports(corpus, out_dir=reports / "run3", notebooks=[TIMELINE])
    cache = manifest(third)["cache"]
    assert (cache["extracted"], cache["reused"]) == (1, 1)
    assert not any(r.reused for r in runs)
    assert manifest(third)["corpus_hash"] != manifest(second)["corpus_hash"]


def test_new_since_the_previous_run_lists_an_added_partnership(corpus, tmp_path):
    reports = tmp_path / "reports"
    run_reports(corpus, out_dir=reports / "monday", notebooks=[TIMELINE])
    (corpus / "c.txt").write_text("Massey news\n\n" + ADDED, encoding="utf-8")
    run_dir, _ = run_reports(corpus, out_dir=reports / "tuesday", notebooks=[TIMELINE])
    changes = manifest(run_dir)
    assert changes["previous_run"] == "monday"
    assert [d[:2] for d in changes["new_partnerships"]] == [
        ["Fudan University", "Massey University"]
    ]
    assert ["Massey University", "ORG"] in [e[:2] for e in changes["new_entities"]]
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    section = index.split("New since the previous run")[1].split("Provenance")[0]
    assert "Fudan University" in section and "memorandum of understanding" in section
    assert "Lincoln University" not in section


def test_rendered_reports_load_nothing_and_carry_provenance(corpus, tmp_path):
    run_dir, _ = run_reports(
        corpus, out_dir=tmp_path / "r", notebooks=[TIMELINE], no_input=True, reuse=False
    )
    page = (run_dir / "03_partnership_timeline.html").read_text(encoding="utf-8")
    assert not re.search(r"<script", page, re.IGNORECASE)
    assert not re.search(r"""(?:src|href)=["']https?://""", page)
    assert "data:image/png;base64," in page
    assert "corpus content hash" in page and manifest(run_dir)["corpus_hash"] in page
    assert "timeline.select(" not in page  # code hidden with no_input


def test_parallel_jobs_give_the_same_reports(corpus, tmp_path, capfd):
    notebooks = sorted(NOTEBOOKS_DIR.glob("0[23]_*.ipynb"))
    _, runs = run_reports(corpus, out_dir=tmp_path / "p", notebooks=notebooks, jobs=2, reuse=False)
    assert [r.name for r in runs] == [p.stem for p in notebooks]
    assert all(r.status == "ok" for r in runs)
    # kernels started together talk over private local sockets: no TCP port to race for
    assert "without encryption" not in capfd.readouterr().err


def test_each_kernel_gets_private_local_sockets_removed_after_it():
    from corpus_tools.report import _kernel_sockets

    with _kernel_sockets() as first, _kernel_sockets() as second:
        assert first.KernelManager.transport == second.KernelManager.transport == "ipc"
        folders = [Path(c.KernelManager.ip).parent for c in (first, second)]
        assert folders[0] != folders[1] and all(f.is_dir() for f in folders)
    assert not any(f.exists() for f in folders)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- a\n- b\n", "a mapping of set names"),
        ("'bad name!':\n  top_n: 3\n", "`parameter set name`"),
    ],
)
def test_bad_params_files_are_rejected(tmp_path, content, message):
    path = tmp_path / "p.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ParameterError, match=re.escape(message)):
        read_params_file(path)


def test_unknown_parameter_in_a_set_is_an_error(corpus, tmp_path):
    with pytest.raises(ParameterError, match="`parameter name` value = 'focsu'"):
        run_reports(
            corpus,
            out_dir=tmp_path / "x",
            notebooks=[TIMELINE],
            parameter_sets={"s": {"focsu": "X"}},
        )


def test_cli_sweep_and_exit_status(corpus, tmp_path, capsys):
    params = tmp_path / "sets.json"
    params.write_text('{"one": {"kinds": "agreement"}, "two": {"kinds": "mou"}}', encoding="utf-8")
    code = main(["report", "--corpus", str(corpus), "--out", str(tmp_path / "cli"), "--notebooks", str(TIMELINE),
                 "--params-file", str(params), "--jobs", "1", "--no-progress"])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "one/03_partnership_timeline" in out and "two/03_partnership_timeline" in out
