"""The ``corpus-tools`` command: a thin layer over the Python API.

``corpus-tools info CORPUS`` summarizes a corpus; ``corpus-tools report`` renders the notebooks;
``corpus-tools eval GOLD … [--corpus DIR]`` scores extraction against gold annotations
(``--suite``: the seeds and the development set, one line each, as ``make eval`` prints).
"""

from __future__ import annotations

import argparse
import ast
import logging
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from corpus_tools.corpus import Corpus, load_corpus
from corpus_tools.outputs import OutputBusyError, output_lock
from corpus_tools.paths import resolve_corpus
from corpus_tools.validation import ParameterError, invalid

_LIST_ALL_UP_TO = 50
_LIST_HEAD = 20


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``corpus-tools`` and its sub-commands."""
    parser = argparse.ArgumentParser(
        prog="corpus-tools",
        description="Institutional partnerships from English news: corpus tools.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    info = commands.add_parser("info", help="summarize a corpus and list what was skipped")
    info.add_argument(
        "corpus", nargs="?", default="", help="corpus folder or file (default: seeds/)"
    )
    info.add_argument("--metadata", default=None, help="metadata sidecar (CSV/JSONL with doc_id)")
    info.add_argument("--no-progress", action="store_true", help="no progress bar")

    extract = commands.add_parser(
        "extract",
        help="extract documents, sentences, mentions, entities and aliases to CSV/Parquet",
    )
    extract.add_argument(
        "corpus", nargs="?", default="", help="corpus folder or file (default: seeds/)"
    )
    extract.add_argument("--out", required=True, help="folder for the tables")
    extract.add_argument(
        "--metadata", default=None, help="metadata sidecar (CSV/JSONL with doc_id)"
    )
    extract.add_argument(
        "--aliases", default=None, help="your alias registry (CSV: alias, canonical, type, sector)"
    )
    extract.add_argument("--no-progress", action="store_true", help="no progress bar")
    extract.add_argument(
        "--jobs", type=int, default=0, help="worker processes (default: all cores; 1: one core)"
    )
    extract.add_argument(
        "--scheduler", default="",
        help="a Dask scheduler address (tcp://host:8786), or 'local' for a Dask LocalCluster",
    )  # fmt: skip
    extract.add_argument(
        "--no-cache", action="store_true", help="extract everything, store nothing"
    )

    evaluate = commands.add_parser(
        "eval", help="score entities and partnerships against gold annotations (seeds-gold format)"
    )
    evaluate.add_argument(
        "gold", nargs="*", help="gold JSON file(s), scored together (lists of documents)"
    )
    evaluate.add_argument("--corpus", default="", help="the annotated corpus (default: seeds/)")
    evaluate.add_argument("--aliases", default=None, help="your alias registry")
    evaluate.add_argument("--errors", action="store_true", help="list every error")
    evaluate.add_argument(
        "--suite", action="store_true",
        help="one line each for the seeds and, when found, dev-train and dev-check (make eval)",
    )  # fmt: skip
    evaluate.add_argument(
        "--dev", default=None,
        help="with --suite: the annotated development set (default: ../shared/annotation/dev)",
    )  # fmt: skip
    evaluate.add_argument(
        "--no-cache", action="store_true", help="extract everything, store nothing"
    )

    train_tagger = commands.add_parser(
        "train-tagger",
        help="retrain the name tagger (data/name_tagger.crfsuite) from gold annotations",
    )
    train_tagger.add_argument(
        "--set", nargs=2, action="append", default=[], metavar=("CORPUS", "GOLD[,GOLD…]"),
        help="an annotated corpus and its gold file(s); default: the seeds and dev-train",
    )  # fmt: skip
    train_tagger.add_argument(
        "--dev", default=None,
        help="the annotated development set (default: ../shared/annotation/dev)",
    )  # fmt: skip
    train_tagger.add_argument("--model", default=None, help="where to write the model file")
    train_tagger.add_argument(
        "--cross-validate", action="store_true",
        help="score dev-train out of fold (each gold file held out in turn); writes no model",
    )  # fmt: skip

    train_clusters = commands.add_parser(
        "train-clusters",
        help="rebuild the word clusters (data/word_clusters.tsv) from unannotated corpora",
    )
    train_clusters.add_argument("corpora", nargs="+", help="corpus folders or files")
    train_clusters.add_argument(
        "--exclude", default=None,
        help="file of documents to leave out, one 'CORPUS-FOLDER#doc_id' a line",
    )  # fmt: skip
    train_clusters.add_argument(
        "--dev", default=None,
        help="also leave out the dev-check documents of this development set",
    )  # fmt: skip
    train_clusters.add_argument("--out", default=None, help="where to write the cluster file")

    explain = commands.add_parser(
        "explain", help="show, word by word, how the name tagger reads a sentence"
    )
    explain.add_argument("sentence", help="the sentence")

    bench = commands.add_parser("bench", help="measure throughput per stage and on all cores")
    bench.add_argument("corpora", nargs="*", help="corpora (default: ../shared/corpora/*)")
    bench.add_argument("--out", default="BENCHMARKS.md", help="Markdown report (JSON beside it)")
    bench.add_argument("--jobs", type=int, default=0, help="cores for the full run (default: all)")
    bench.add_argument("--limit", type=int, default=0, help="documents per corpus (0: all)")
    bench.add_argument("--no-double", action="store_true", help="skip the twice-as-large run")

    report = commands.add_parser("report", help="run the notebooks and render HTML reports")
    report.add_argument("--corpus", default="", help="corpus folder or file (default: seeds/)")
    report.add_argument(
        "--out", default=None, help="run folder (default: reports/<corpus>-<time>/)"
    )
    report.add_argument(
        "--notebooks", nargs="+", default=None, help="notebooks to run (default: all)"
    )
    report.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
        help="notebook parameter for every set (VALUE read as a Python literal when it is one)",
    )  # fmt: skip
    report.add_argument(
        "--params-file", default=None,
        help="YAML/JSON file of named parameter sets; each renders into its own folder",
    )  # fmt: skip
    report.add_argument("--no-input", action="store_true", help="hide code cells in the HTML")
    report.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default: 2)")
    report.add_argument("--no-progress", action="store_true", help="no progress bars")
    report.add_argument(
        "--no-cache", action="store_true",
        help="read and write no cache (extract everything, execute every notebook)",
    )  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = build_parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        commands = {
            "info": _info, "extract": _extract, "eval": _eval, "report": _report, "bench": _bench,
            "train-tagger": _train_tagger, "train-clusters": _train_clusters, "explain": _explain,
        }  # fmt: skip
        return commands[args.command](args)
    except (FileNotFoundError, ParameterError, ValueError, OutputBusyError) as exc:
        print(f"corpus-tools: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a read-only or full disk, a file where a folder should be, …
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"corpus-tools: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Terminated) as stop:
        name = "SIGTERM" if isinstance(stop, Terminated) else "SIGINT"
        print(
            f"corpus-tools: stopped by {name}; workers stopped, every file written is whole, "
            "the rest is not written",
            file=sys.stderr,
        )
        return 128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT)
    finally:
        signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """SIGTERM arrived (cron, a CI timeout, ``docker stop``): unwind like Ctrl-C does."""


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _info(args: argparse.Namespace) -> int:
    corpus = load_corpus(args.corpus, metadata_path=args.metadata, progress=not args.no_progress)
    print(printable(format_info(corpus)))
    return 0


_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    r"""``text`` with control characters (terminal escape codes) shown as ``\xNN``."""
    return _TERMINAL_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def format_info(corpus: Corpus) -> str:
    """The text ``corpus-tools info`` prints."""
    s = corpus.summary()
    docs = corpus.documents
    lines = [
        f"Corpus:      {s['corpus']}",
        f"Metadata:    {corpus.metadata_path or '(none)'}",
        f"Documents:   {s['documents']:,}" + ("  (no documents loaded)" if docs.empty else ""),
        f"Words:       {s['words']:,}",
        f"Dates:       {s['dated_documents']:,} dated"
        + (f", {s['first_date']} … {s['last_date']}" if s["dated_documents"] else ""),
        f"Duplicates:  {s['exact_duplicates']:,} exact, {s['near_duplicates']:,} near "
        "(flagged in duplicate_of, not dropped)",
        f"Boilerplate: {s['boilerplate_removed']:,} removal(s)"
        + _counts_suffix(corpus.removed["rule"]),
        f"Sources:     {len(s['sources']):,}",
    ]
    for source, count in list(s["sources"].items())[:10]:
        lines.append(f"  {count:>8,}  {source}")
    if len(s["sources"]) > 10:
        lines.append(f"  … and {len(s['sources']) - 10:,} more")
    if not docs.empty:
        lines.append("")
        lines.append("Documents:")
        shown = docs if len(docs) <= _LIST_ALL_UP_TO else docs.head(_LIST_HEAD)
        width = min(max(len(d) for d in shown["doc_id"]), 40)
        for row in shown.itertuples():
            date = row.date or "(undated)"
            lines.append(
                f"  {row.doc_id:<{width}}  {date:<10}  {row.n_words:>7,} words  {row.title[:90]}"
            )
        if len(shown) < len(docs):
            lines.append(f"  … and {len(docs) - len(shown):,} more")
    if len(docs) <= _LIST_ALL_UP_TO and len(corpus.removed):
        lines.append("")
        lines.append("Removed boilerplate (doc_id, lines, rule, text):")
        id_width = max(len(d) for d in corpus.removed["doc_id"])
        for row in corpus.removed.itertuples():
            where = (
                f"{row.first_line}"
                if row.first_line == row.last_line
                else f"{row.first_line}-{row.last_line}"
            )
            text = " ".join(row.text.split())
            more = "…" if len(text) > 70 else ""
            lines.append(
                f"  {row.doc_id:<{id_width}}  {where:>6}  {row.rule:<15} {text[:70]}{more}"
            )
    lines.append("")
    lines.append(f"Skipped ({len(corpus.skipped):,}):" if len(corpus.skipped) else "Skipped: none")
    lines.extend(f"  {row.path}: {row.reason}" for row in corpus.skipped.itertuples())
    if len(corpus.warnings):
        lines.append(f"Warnings ({len(corpus.warnings):,}):")
        lines.extend(f"  {row.path}: {row.message}" for row in corpus.warnings.itertuples())
    return "\n".join(lines)


def _train_tagger(args: argparse.Namespace) -> int:
    from pathlib import Path

    from corpus_tools import training

    if args.set:
        sets = [(corpus, gold.split(",")) for corpus, gold in args.set]
    else:
        sets, note = training.default_sets(Path(args.dev) if args.dev else None)
        if note:
            print(note)
    if args.cross_validate:
        *always, (corpus, folds) = sets
        scores = training.cross_validate(corpus, [Path(f) for f in folds], always)
        e = scores.set_index("type")
        types = "  ".join(f"{kind} {e.loc[kind, 'f1']:.3f}" for kind in ("ORG", "PLACE", "PERSON"))
        print(f"out of fold  {types}  counts-exact {e.loc['ALL', 'count_accuracy']:.3f}")
        return 0
    summary = training.train(sets, args.model or training.MODEL_FILE)
    names = ", ".join(f"{kind} {summary.get(kind, 0)}" for kind in ("ORG", "PLACE", "PERSON"))
    print(
        f"Trained on {summary['documents']} documents, {summary.get('windows', 0)} stretches "
        f"of text ({names} names): wrote {summary['model']}"
    )
    if summary["missing"]:
        print(
            f"{len(summary['missing'])} annotated document(s) not found in their corpus, "
            f"not trained on: {', '.join(summary['missing'][:10])}"
        )
    return 0


def _train_clusters(args: argparse.Namespace) -> int:
    from pathlib import Path

    from corpus_tools import clusters, training

    excluded = set()
    if args.exclude:
        excluded |= {
            line.strip() for line in Path(args.exclude).read_text(encoding="utf-8").splitlines()
        } - {""}
    if args.dev:
        excluded |= training.held_out_origins(Path(args.dev))
    texts, skipped = training.unannotated_texts(args.corpora, excluded)
    summary = clusters.train(texts, args.out or clusters.CLUSTERS_FILE)
    print(
        f"Clustered {summary['words']:,} words from {summary['documents']:,} documents "
        f"({summary['tokens']:,} tokens; {skipped:,} documents left out as held out)"
    )
    return 0


def _explain(args: argparse.Namespace) -> int:
    from corpus_tools.tagger import explain

    with pd.option_context("display.width", 200, "display.max_colwidth", 80):
        print(explain(args.sentence).to_string(index=False))
    return 0


def _extract(args: argparse.Namespace) -> int:
    from corpus_tools.engine import Engine, available_cores
    from corpus_tools.pipeline import extract, write_tables

    engine = Engine(jobs=args.jobs or available_cores(), scheduler=args.scheduler)
    if Path(args.out).resolve() == resolve_corpus(args.corpus).resolve():
        raise invalid("--out", args.out, "not the corpus folder (a rerun would read its tables)")
    with output_lock(args.out):  # refused before the work starts if another run writes there
        tables = extract(
            args.corpus, metadata_path=args.metadata, alias_path=args.aliases,
            progress=not args.no_progress, engine=engine, use_cache=not args.no_cache,
        )  # fmt: skip
        written = write_tables(tables, args.out)
    counts = tables.entities.groupby("type")["entity"].nunique().to_dict()
    print(
        f"{len(tables.documents):,} documents, {len(tables.sentences):,} sentences, "
        f"{len(tables.mentions):,} mentions of "
        + ", ".join(f"{n:,} {kind}" for kind, n in sorted(counts.items()))
        + f" entities; {len(tables.skipped):,} skipped"
    )
    print(f"Wrote {len(written)} files to {args.out}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from corpus_tools.cache import cache_environment

    with cache_environment(disabled=args.no_cache):  # every extraction below, suite or not
        return _score(args)


def _score(args: argparse.Namespace) -> int:
    from pathlib import Path

    from corpus_tools import evaluate
    from corpus_tools.pipeline import extract

    if args.suite:
        if args.gold or args.corpus or args.errors:
            raise ParameterError("--suite takes no gold files, --corpus or --errors")
        dev = {"dev_dir": Path(args.dev)} if args.dev else {}
        parts, note = evaluate.suite_parts(**dev)
        if note:
            print(note)
        print("\n".join(evaluate.run_suite(parts, alias_path=args.aliases)))
        return 0
    if not args.gold:
        raise ParameterError("eval needs gold file(s), or --suite")
    gold = evaluate.load_gold(*args.gold)
    tables = extract(args.corpus, alias_path=args.aliases)
    evaluate.warn_missing(gold, tables.documents["doc_id"])
    entities = evaluate.score_entities(tables.entities, gold)
    pairs = evaluate.score_partnerships(tables.partnerships, gold)
    with pd.option_context("display.width", 160, "display.max_colwidth", 70):
        print("Entities (distinct per document; matched/count_exact: mention counts compared):")
        print(entities.to_string(index=False))
        print()
        print("Partnerships (unordered pairs per document; date = exact date of matched pairs):")
        print(pairs.to_string(index=False))
        print()
        print(evaluate.summary_line("summary", entities, pairs))
        if args.errors:
            print()
            print(evaluate.entity_errors(tables.entities, gold).to_string(index=False))
            print()
            print(evaluate.partnership_errors(tables.partnerships, gold).to_string(index=False))
    return 0


def _bench(args: argparse.Namespace) -> int:
    from pathlib import Path

    from corpus_tools.benchmark import default_corpora, run_benchmark, write_report

    corpora = [Path(c) for c in args.corpora] or default_corpora()
    if not corpora:
        raise FileNotFoundError("no corpora given and none found in ../shared/corpora/")
    for corpus in corpora:
        if not corpus.exists():
            raise FileNotFoundError(f"corpus path not found: {corpus}")
    report = run_benchmark(corpora, jobs=args.jobs, limit=args.limit, double=not args.no_double)
    for path in write_report(report, Path(args.out)):
        print(f"Wrote {path}")
    print(Path(args.out).read_text(encoding="utf-8"))
    return 0


def _counts_suffix(values: pd.Series) -> str:
    counts = values.value_counts()
    if counts.empty:
        return ""
    return " (" + ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items())) + ")"


def _literal(value: str) -> Any:
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value


def _report(args: argparse.Namespace) -> int:
    from corpus_tools.report import read_params_file, run_reports

    parameters = {name: _literal(value) for name, value in args.parameter}
    sets = read_params_file(args.params_file) if args.params_file else None
    run_dir, runs = run_reports(
        args.corpus, out_dir=args.out, notebooks=args.notebooks, parameters=parameters,
        parameter_sets=sets, no_input=args.no_input, jobs=args.jobs,
        progress=not args.no_progress, use_cache=not args.no_cache,
    )  # fmt: skip
    for run in runs:
        label = f"{run.parameter_set}/{run.name}" if sets else run.name
        print(f"{run.status:>6}  {label}  ({run.seconds:.1f} s)  {run.html}")
        if run.error:
            print(f"        {run.error}")
    print(f"Reports written to {run_dir / 'index.html'}")
    return 0 if all(run.status == "ok" for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
