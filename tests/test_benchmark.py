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
    assert result["extraction_words_per_s"] > 0


def test_full_run_measures_its_own_process_tree(tmp_path):
    run = benchmark.full_run([Path("seeds")], jobs=2)
    assert run["documents"] == 5 and run["jobs"] == 2
    assert run["peak_rss_all_mib"] >= run["peak_rss_main_mib"] > 0
    assert run["peak_rss_worker_mib"] > 0
    report = {
        "machine": benchmark.machine(), "corpora": ["seeds"], "limit_per_corpus": 0,
        "single_core": benchmark.stage_timings([Path("seeds")]), "all_cores": run,
    }  # fmt: skip
    markdown, data = benchmark.write_report(report, tmp_path / "BENCH.md")
    assert "for all its processes together" in markdown.read_text(encoding="utf-8")
    assert json.loads(data.read_text(encoding="utf-8"))["all_cores"]["documents"] == 5
