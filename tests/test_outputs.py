import os
import stat

import pandas as pd
from matplotlib.figure import Figure

from corpus_tools.outputs import atomic_write_text, save_figure, write_csv


def test_atomic_write_leaves_only_the_final_file(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    atomic_write_text(target, "hello")
    atomic_write_text(target, "again")
    assert target.read_text() == "again"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_written_files_are_readable_by_others_as_the_umask_allows(tmp_path):
    old = os.umask(0o022)
    try:
        import importlib

        import corpus_tools.outputs as outputs

        importlib.reload(outputs)
        path = outputs.atomic_write_text(tmp_path / "shared.html", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_write_csv_is_byte_stable(tmp_path):
    table = pd.DataFrame({"a": ["x", "y"], "b": [1.5, float("nan")]})
    first = write_csv(table, tmp_path / "1.csv").read_bytes()
    second = write_csv(table.copy(), tmp_path / "2.csv").read_bytes()
    assert first == second == b"a,b\nx,1.5\ny,\n"


def test_save_figure_is_repeatable(tmp_path):
    def draw():
        figure = Figure()
        figure.add_subplot().plot([1, 2, 3])
        return figure

    assert (
        save_figure(draw(), tmp_path / "a.png").read_bytes()
        == save_figure(draw(), tmp_path / "b.png").read_bytes()
    )
