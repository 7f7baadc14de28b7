"""The benchmark command's measurements, on the bundled corpus (numbers are not asserted)."""

import json
from pathlib import Path

from corpus_tools import benchmark


def test_stage_timings_cover_every_stage():
    result = benchmark.stage_timings([Path("seeds")], limit=3, copies=2)
    assert result["documents"] == 6  # three documents of the corpus, twice
    assert set(result["stages"]) == set(benchmark.STAGES)
    assert all(row["seconds"] >= 0 for row in result["stages"].values())
    assert result["stages"]["entities"]["words_per_s"] > 0


def test_single_core_totals_the_corpora(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Headline\n\nNanjing University met Fudan University.")
    result = benchmark.single_core([Path("seeds"), other])
    assert list(result["by_corpus"]) == ["seeds", "other"]
    assert result["documents"] == 6
    assert result["words"] == sum(row["words"] for row in result["by_corpus"].values())
    parts = sum(row["extraction_seconds"] for row in result["by_corpus"].values())
    assert abs(result["extraction_seconds"] - parts) <= 0.1  # each was rounded to 0.01 s


def test_full_run_measures_its_own_process_tree_and_the_report_says_so(tmp_path):
    run = benchmark.full_run([Path("seeds")], jobs=2)
    assert run["documents"] == 5 and run["jobs"] == 2
    assert run["peak_rss_all_mib"] >= run["peak_rss_main_mib"] > 0
    report = {
        "machine": benchmark.machine(), "corpora": ["seeds"], "limit_per_corpus": 0,
        "single_core": benchmark.single_core([Path("seeds")]), "growth_ratio": 2.3,
        "all_cores": run,
    }  # fmt: skip
    markdown, data = benchmark.write_report(report, tmp_path / "BENCH.md")
    text = markdown.read_text(encoding="utf-8")
    assert "for all its processes together" in text and "| seeds | 5 |" in text
    assert "| twice the corpus ≤ 2.1× the time | 2.3× | not met |" in text
    assert "words/s (all corpora, best of the passes" in text  # no press releases among them
    assert json.loads(data.read_text(encoding="utf-8"))["all_cores"]["documents"] == 5
