"""Notebook conventions, and each notebook executed with papermill on the bundled seeds."""

import ast
import re

import nbformat
import pandas as pd
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from corpus_tools.notebooks import declared_parameters, report_notebooks
from corpus_tools.paths import NOTEBOOKS_DIR, SEEDS_DIR

NOTEBOOKS = report_notebooks()


def test_there_are_notebooks_and_all_are_numbered():
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS_DIR.glob("*.ipynb"):
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_hygiene(path):
    notebook = nbformat.read(path, as_version=4)
    cells = notebook.cells
    tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    h1 = [
        line
        for c in cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("# ")
    ]
    assert len(h1) == 1, "one H1 title"
    for cell in cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "stored without outputs"
    assigned = [
        node.targets[0].id if isinstance(node, ast.Assign) else node.target.id
        for node in ast.parse(tagged[0].source).body
    ]
    declared = declared_parameters(path)
    assert list(declared) == assigned, (
        "papermill must read every parameter (no '=' in help comments)"
    )
    assert all(p["help"] for p in declared.values()), "each parameter has a help comment"


def _execute(path, tmp_path, **parameters):
    out = tmp_path / path.stem
    executed = tmp_path / f"{path.stem}.ipynb"
    papermill.execute_notebook(
        str(path),
        str(executed),
        parameters={"corpus": str(SEEDS_DIR), "out_dir": str(out), **parameters},
        cwd=str(tmp_path),
        progress_bar=False,
    )
    return out, nbformat.read(executed, as_version=4)


def test_00_corpus_overview_writes_its_tables_and_figures(tmp_path):
    path = NOTEBOOKS_DIR / "00_corpus_overview.ipynb"
    out, executed = _execute(path, tmp_path)
    assert executed.metadata.papermill.parameters["corpus"] == str(SEEDS_DIR)
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False)
    assert len(documents) == 5 and (documents["title"] != "").all()
    assert documents.set_index("doc_id").loc["004_d6b9342d15ac5bb5", "date"] == "2021-07-14"
    assert list(pd.read_csv(out / "skipped.csv")["path"]) == ["README.md"]
    sentences = pd.read_csv(out / "sentences.csv", keep_default_na=False)
    assert set(sentences["doc_id"]) == set(documents["doc_id"]) and len(sentences) > 50
    removed = pd.read_csv(out / "removed.csv")
    assert (removed["rule"] == "menu").sum() == 4
    summary = pd.read_csv(out / "summary.csv").set_index("measure")["value"]
    assert summary["documents"] == "5"
    for figure in ("lengths.png", "dates_per_year.png", "sources.png"):
        assert (out / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    images = [
        o
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    ]
    assert len(images) == 3


def test_bad_parameter_fails_right_after_the_parameters_cell(tmp_path):
    path = NOTEBOOKS_DIR / "00_corpus_overview.ipynb"
    with pytest.raises(PapermillExecutionError, match="`max_rows` value = -1 is invalid") as caught:
        _execute(path, tmp_path, max_rows=-1)
    executed = nbformat.read(tmp_path / f"{path.stem}.ipynb", as_version=4)
    tags = [c.metadata.get("tags", []) for c in executed.cells]
    injected = next(i for i, t in enumerate(tags) if "injected-parameters" in t)
    next_code = next(c for c in executed.cells[injected + 1 :] if c.cell_type == "code")
    assert any(o.get("output_type") == "error" for o in next_code.outputs)
    assert caught.value.ename == "ParameterError"


def test_missing_corpus_parameter_names_the_path(tmp_path):
    path = NOTEBOOKS_DIR / "00_corpus_overview.ipynb"
    with pytest.raises(PapermillExecutionError, match=r"`corpus` value = '.*no-such-corpus'"):
        _execute(path, tmp_path, corpus=str(tmp_path / "no-such-corpus"))


def test_01_entity_counts_writes_counts_matrices_and_evidence(tmp_path):
    path = NOTEBOOKS_DIR / "01_entity_counts.ipynb"
    out, executed = _execute(path, tmp_path, top_n=5, group_by="source")
    assert executed.metadata.papermill.parameters["top_n"] == 5
    counts = pd.read_csv(out / "entity_counts.csv", keep_default_na=False)
    assert {"mentions", "documents", "mentions_dedup", "documents_dedup", "sector"} <= set(
        counts.columns
    )
    top = counts.iloc[0]
    assert (top["entity"], top["type"], top["sector"]) == (
        "Zhejiang University",
        "ORG",
        "university",
    )
    assert (out / "mentions.csv").is_file() and (
        out / "entities.parquet" / "part-00000.parquet"
    ).is_file()
    by_doc = pd.read_csv(out / "entity_by_document.csv")
    assert len(by_doc) == 5
    assert (out / "entity_by_source.csv").is_file()
    sectors = pd.read_csv(out / "sectors.csv")
    assert "university" in set(sectors["sector"])
    merged = pd.read_csv(out / "aliases_merged.csv")
    assert ((merged["entity"] == "Zhejiang University") & (merged["surface"] == "ZJU")).any()
    evidence = pd.read_csv(out / "evidence.csv", keep_default_na=False)
    assert set(evidence["entity"]) and (evidence["mention"] != "").all()
    for figure in (
        "top_org.png",
        "top_place.png",
        "top_person.png",
        "sectors.png",
        "entity_by_document.png",
    ):
        assert (out / figure).read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("group_by", "month", "`group_by` value = 'month'"),
        ("types", "ORG,THING", "`types` value = 'THING'"),
        ("top_n", 0, "`top_n` value = 0"),
    ],
)
def test_01_rejects_bad_parameters(tmp_path, name, value, message):
    with pytest.raises(PapermillExecutionError, match=re.escape(message)):
        _execute(NOTEBOOKS_DIR / "01_entity_counts.ipynb", tmp_path, **{name: value})


def test_02_cooccurrence_writes_pairs_network_and_exports(tmp_path):
    import networkx as nx

    path = NOTEBOOKS_DIR / "02_cooccurrence.ipynb"
    out, _ = _execute(path, tmp_path, window="paragraph", min_count=1, top_n=10)
    pairs = pd.read_csv(out / "cooccurrence.csv")
    assert (pairs["window"] == "paragraph").all() and len(pairs) > 10
    graph = nx.read_gexf(out / "cooccurrence.gexf")
    assert graph.number_of_edges() == len(pairs)
    assert (
        nx.read_graphml(out / "cooccurrence.graphml").number_of_nodes() == graph.number_of_nodes()
    )
    edges = pd.read_csv(out / "edges.csv", keep_default_na=False)
    assert (edges["evidence"] != "").all()
    for figure in ("network.png", "pair_matrix.png", "ego_network.png"):
        assert (out / figure).read_bytes()[:4] == b"\x89PNG"


def test_02_rejects_an_unknown_measure(tmp_path):
    with pytest.raises(PapermillExecutionError, match=re.escape("`measure` value = 'chi'")):
        _execute(NOTEBOOKS_DIR / "02_cooccurrence.ipynb", tmp_path, measure="chi")


def test_03_partnership_timeline_writes_records_dyads_and_figures(tmp_path):
    path = NOTEBOOKS_DIR / "03_partnership_timeline.ipynb"
    out, _ = _execute(path, tmp_path, focus="Chongqing", date_from="2020")
    records = pd.read_csv(out / "partnerships.csv", keep_default_na=False)
    assert len(records) == 5 and set(records["kind"]) == {"agreement"}
    assert ((records["a"] == "Chongqing") | (records["b"] == "Chongqing")).all()
    events = pd.read_csv(out / "timeline_events.csv", keep_default_na=False)
    assert set(events["date"]) == {"2021-07-13"} and (events["evidence"] != "").all()
    undated = pd.read_csv(out / "undated.csv", keep_default_na=False)
    assert undated.empty
    dyads = pd.read_csv(out / "dyads.csv", keep_default_na=False)
    assert {"a", "b", "kinds", "first_date", "last_date", "docs", "docs_dedup"} <= set(
        dyads.columns
    )
    for figure in ("timeline.png", "events_by_kind.png", "events_by_sector_pair.png"):
        assert (out / figure).read_bytes()[:4] == b"\x89PNG"


def test_03_places_undated_records_at_their_article_date_when_asked(tmp_path):
    path = NOTEBOOKS_DIR / "03_partnership_timeline.ipynb"
    (tmp_path / "off").mkdir()
    (tmp_path / "on").mkdir()
    out, executed = _execute(path, tmp_path / "off")
    records = pd.read_csv(out / "partnerships.csv", keep_default_na=False)
    assert (records["article_title"] != "").all()
    undated = records[(records["date"] == "") & (records["article_date"] != "")]
    assert len(undated) > 0
    dated = int((records["date"] != "").sum())
    events = pd.read_csv(out / "timeline_events.csv", keep_default_na=False)
    assert set(events["placed"]) == {"stated"} and len(events) == dated
    assert {"resolved_from", "article_date"} <= set(events.columns)
    out, executed = _execute(path, tmp_path / "on", undated_at_article_date=True)
    events = pd.read_csv(out / "timeline_events.csv", keep_default_na=False)
    article = events[events["placed"] == "article"]
    assert len(article) == len(undated) and (article["date"] == "").all()
    assert (article["article_date"] != "").all()
    by_kind = pd.read_csv(out / "events_by_kind.csv")
    assert by_kind.drop(columns="year").to_numpy().sum() == dated
    printed = "".join(
        o.get("text", "") for cell in executed.cells for o in cell.get("outputs", [])
    )
    assert f"{len(undated):,} placed at their article's date" in printed


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("kinds", "treaty", "`kinds` value = 'treaty'"),
        ("date_from", "last week", "`date_from` value = 'last week'"),
        ("undated_at_article_date", "yes", "`undated_at_article_date` value = 'yes'"),
    ],
)
def test_03_rejects_bad_parameters(tmp_path, name, value, message):
    with pytest.raises(PapermillExecutionError, match=re.escape(message)):
        _execute(NOTEBOOKS_DIR / "03_partnership_timeline.ipynb", tmp_path, **{name: value})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_rejects_a_missing_corpus_right_after_its_parameters(path, tmp_path):
    with pytest.raises(
        PapermillExecutionError, match=r"`corpus` value = '/no/such/corpus' is invalid"
    ):
        _execute(path, tmp_path, corpus="/no/such/corpus")
    executed = nbformat.read(tmp_path / f"{path.stem}.ipynb", as_version=4)
    tags = [c.metadata.get("tags", []) for c in executed.cells]
    injected = next(i for i, t in enumerate(tags) if "injected-parameters" in t)
    next_code = next(c for c in executed.cells[injected + 1 :] if c.cell_type == "code")
    assert any(o.get("output_type") == "error" for o in next_code.outputs)


def test_02_rejects_an_unknown_window(tmp_path):
    with pytest.raises(
        PapermillExecutionError,
        match=re.escape(
            "`window` value = 'page' is invalid; value must be one of ['sentence', 'paragraph', 'document']"
        ),
    ):
        _execute(NOTEBOOKS_DIR / "02_cooccurrence.ipynb", tmp_path, window="page")
