"""Units of the log mining: normalization, intent classification, phrasing, merging, and
search counting across batch boundaries."""

from __future__ import annotations

import itertools
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamdata.ingest.logs import classify, load_lexicon, mine_file, normalize_query, phrase_task
from lamdata.ingest.logs.matching import PlanIndex
from lamdata.ingest.logs.merge import cluster_variants
from lamdata.ingest.logs.stage import Options

LEX = load_lexicon()

CASES = [  # query, reason, app
    ("how to insert a table in word", "actionable", "word"),
    ("Word: add page numbers!", "actionable", "word"),
    ("excel remove duplicates", "actionable", "excel"),
    ("ＥＸＣＥＬ  sort", "actionable", "excel"),
    ("inserting tables in MS Word 2003", "actionable", "word"),
    ("how to insert an excel chart into powerpoint", "actionable", "powerpoint"),
    ("facebook.com", "navigational", None),
    ("www.google", "navigational", None),
    ("http://www.aol.com/mail", "navigational", None),
    ("yahoo mail", "navigational", None),
    ("weather", "informational", None),
    ("lyrics", "informational", None),
    ("the word for happy", "informational", None),
    ("how to grow tomatoes", "non_software", None),
    ("how to excel in school", "non_software", None),
    ("how to add page numbers", "no_app", None),
    ("microsoft word free download", "not_actionable", "word"),
    ("excel jobs", "not_actionable", "excel"),
    ("powerpoint", "not_actionable", "powerpoint"),
    ("-", "empty", None),
    ("how do you make a graph on excel", "actionable", "excel"),
    ("microsoft office word 2007 how to insert a table", "actionable", "word"),
    ("how to recover a word document", "actionable", "word"),
    ("how do i get rid of a page break in word", "actionable", "word"),
    ("how to insert table in word perfect", "no_app", None),
    ("microsoft word help", "not_actionable", "word"),
    ("free excel spreadsheet templates", "not_actionable", "excel"),
    ("help wanted", "non_software", None),
    ("how to get rid of ants", "non_software", None),
    # whitespace around a query changes nothing (the bulk path does not strip it first)
    ("  www.example.com ", "navigational", None),
    (" craigslist  ", "navigational", None),
    ("\thow to grow tomatoes ", "non_software", None),
    ("  how to insert a header  ", "no_app", None),
    ("   ", "empty", None),
    ("  weather in boston", "informational", None),
    # a version next to an ambiguous app name makes it the app, glued or not
    ("how to add page numbers in Word2016?", "actionable", "word"),
    ("how to add a watermark in a word 2010 file", "actionable", "word"),
    ("how to spell a word", "non_software", None),
    # plural file names, feature names of functions and settings, longer how-to leads
    ("how to print excel files", "actionable", "excel"),
    ("how to use the countif formula in excel", "actionable", "excel"),
    ("how to manage autosave in excel", "actionable", "excel"),
    ("use multiple themes in powerpoint", "actionable", "powerpoint"),
    ("teach me how to make a pivot table in excel", "actionable", "excel"),
    # updating or installing the app itself is no task; updating something in it is
    ("how to update table of contents in word", "actionable", "word"),
    ("update or remove a broken link in powerpoint", "actionable", "powerpoint"),
    ("update a pivot table in excel", "actionable", "excel"),
    ("how to update microsoft word", "not_actionable", "word"),
    ("word 2007 update", "not_actionable", "word"),
    ("upgrade excel 2003 to 2007", "not_actionable", "excel"),
    ("how to install microsoft word on my laptop for free", "not_actionable", "word"),
    ("word 2003 service pack 3", "not_actionable", "word"),
    # 'open' is a task verb; OpenOffice is another product
    ("How to open a backup file in Word 2010 ?", "actionable", "word"),
    ("how to open a docx file in word 2003", "actionable", "word"),
    ("open office word", "not_actionable", "word"),
    ("openoffice excel", "not_actionable", "excel"),
    ("how to open excel", "not_actionable", "excel"),
    ("word open", "not_actionable", "word"),
]


@pytest.mark.parametrize(("query", "reason", "app"), CASES)
def test_classify(query: str, reason: str, app: str | None) -> None:
    row = classify(pl.Series([query]), LEX).row(0, named=True)
    assert row["reason"] == reason
    if reason != "actionable":
        return
    assert row["app"] == app or row["app"] == "\x00multi"


def test_classify_in_bulk_equals_one_by_one() -> None:
    queries = [q for q, _, _ in CASES]
    bulk = dict(classify(pl.Series(queries), LEX).select("query", "reason").iter_rows())
    assert bulk == {q: r for q, r, _ in CASES}


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("  How To  Insert\ta Table?? ", "how to insert a table"),
        ("Don't  stop", "dont stop"),
        ("ＥＸＣＥＬ＿ｓｏｒｔ", "excel sort"),
        ("café — crème", "café crème"),
        ("", ""),
    ],
)
def test_normalize_query(raw: str, norm: str) -> None:
    assert normalize_query(raw) == norm


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_normalization_is_idempotent(text: str) -> None:
    once = normalize_query(text)
    assert normalize_query(once) == once
    assert once == once.strip() and "  " not in once


@pytest.mark.parametrize(
    ("norm", "app", "task"),
    [
        ("how to insert a table in word", "word", "Insert a table in Word"),
        ("word add page numbers", "word", "Add page numbers in Word"),
        ("excel remove duplicates", "excel", "Remove duplicates in Excel"),
        ("merging cells in excel 2007", "excel", "Merge cells in Excel"),
        ("excel pivot table", "excel", "Create pivot table in Excel"),
        ("how to insert page numbers in a word document", "word", "Insert page numbers in Word"),
        ("make microsoft word double spaced", "word", "Make Word double spaced"),
        ("word count in word", "word", "Check word count in Word"),
        ("excel how to sort tutorial", "excel", "Sort in Excel"),
        ("how to recover a word document", "word", "Recover a Word document"),
        ("how to use word 2007 to make a brochure", "word", "Use Word 2007 to make a brochure"),
        ("how to do a mail merge in word", "word", "Do a mail merge in Word"),
        ("excel help vlookup", "excel", "Use vlookup in Excel"),
        ("how to insert a table in a word document", "word", "Insert a table in Word"),
        ("how to add page numbers in word2016", "word", "Add page numbers in Word"),
        ("excel 2010 merge cells", "excel", "Merge cells in Excel"),
        ("teach me how to make a pivot table in excel", "excel", "Make a pivot table in Excel"),
        # after 'how to' a first word that starts no feature is the verb
        ("how to manage autosave in excel", "excel", "Manage autosave in Excel"),
        ("how to go to the bookmark in word", "word", "Go to the bookmark in Word"),
        ("how to page numbers in word", "word", "Add page numbers in Word"),
        ("help margins in word", "word", "Use margins in Word"),
    ],
)
def test_phrase_task(norm: str, app: str, task: str) -> None:
    terms = LEX.app(app)
    assert terms is not None
    assert phrase_task(norm, LEX, terms) == task


def test_merge_keeps_word_order_and_joins_typos() -> None:
    variants = ["sort a to z in excel", "sort z to a in excel", "insert tabel", "insert table"]
    keys = ["sort to z", "sort z to", "insert tabel", "insert table"]
    mapping = cluster_variants(variants, keys)
    assert mapping["sort z to a in excel"] == "sort z to a in excel"
    assert mapping["insert table"] == "insert tabel"  # the first (preferred) names the cluster


def test_bare_variant_joins_only_an_unambiguous_verb_cluster() -> None:
    variants = ["add page numbers", "page numbers", "insert chart", "delete chart", "chart"]
    objects = ["page numbers", None, "chart", "chart", None]
    mapping = cluster_variants(variants, variants, objects=objects)
    assert mapping["page numbers"] == "add page numbers"
    assert mapping["chart"] == "chart"


def test_searches_are_counted_the_same_across_batch_boundaries(tmp_path: Path) -> None:
    rows = ["AnonID\tQuery\tQueryTime\tItemRank\tClickURL"]
    for user in ("1", "2"):
        q = f"{user}\texcel remove duplicates"
        rows += [f"{q}\t2006-03-01 10:00:00\t1\thttp://a", f"{q}\t2006-03-01 10:00:00\t2\thttp://b"]
        rows += [f"{q}\t2006-03-01 10:02:00\t\t", f"{user}\tweather\t2006-03-01 10:05:00\t\t"]
        rows += [f"{q}\t2006-03-02 10:00:00\t\t"]
    path = tmp_path / "log.txt"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    csv_path = tmp_path / "log.csv"  # (the CSV reader makes batches of batch_rows rows)
    csv_path.write_text("\n".join(r.replace("\t", ",") for r in rows) + "\n", encoding="utf-8")
    results = []
    for log, batch_rows, reasons in itertools.product(
        (path, csv_path), (1, 2, 3, 1000), (False, True)
    ):
        options = Options(LEX, PlanIndex([]), batch_rows=batch_rows, drop_reasons=reasons)
        (plan,) = mine_file(log, options).records
        results.append((plan.signals.frequency, plan.signals.distinct_users, plan.source.locator))
        assert plan.signals.top_clicks == ["http://a", "http://b"]
    assert set(results) == {(4, 2, "2")}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abcdet ", min_size=0, max_size=12), min_size=0, max_size=40, unique=True
    ),
    st.sampled_from([0.0, 60.0, 90.0]),
)
def test_variant_pairs_one_matrix_equals_per_block(keys: list[str], threshold: float) -> None:
    """Small inputs score one masked matrix, large ones a matrix per block: same clusters."""
    from lamdata.ingest.logs import merge

    variants = [f"v{i}" for i in range(len(keys))]
    whole = cluster_variants(variants, keys, threshold=threshold)
    saved = merge.FULL_MATRIX_MAX
    merge.FULL_MATRIX_MAX = -1
    try:
        per_block = cluster_variants(variants, keys, threshold=threshold)
    finally:
        merge.FULL_MATRIX_MAX = saved
    assert whole == per_block


POOL = [  # queries of every kind: actionable, naming an app but not a task, naming none
    "excel remove duplicates",
    "how to remove duplicates in excel",
    "word add page numbers",
    "Word  add page-numbers",
    "how to insert a table in word",
    "excel jobs",
    "word",
    "weather",
    "facebook.com",
    "how to grow tomatoes",
    "how to make a pivot table",
    "café word count",
    "",
]
UNNAMED = {"empty", "navigational", "no_app", "non_software", "informational"}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["1", "2", ""]), st.sampled_from(POOL), st.booleans()),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from([1, 2, 5, 1000]),
)
def test_screening_unnamed_rows_changes_only_the_counts(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, bool]], batch_rows: int
) -> None:
    """Rows naming no app are screened out before grouping unless the drop reasons are
    asked for: the task-plans (counts, users, lines, clicks, variants) are the same, and the
    one ``unnamed`` count is the sum of the reasons it stands for."""
    path = tmp_path_factory.mktemp("log") / "log.csv"  # (CSV: batches of batch_rows rows)
    lines = ["AnonID,Query,QueryTime,ItemRank,ClickURL"]
    for i, (user, query, click) in enumerate(rows):
        url = f"http://c{i % 3}" if click else ""
        lines.append(f"{user},{query},2006-03-01 10:{i:02d}:00,{'1' if click else ''},{url}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = []
    for reasons in (False, True):
        options = Options(LEX, PlanIndex([]), batch_rows=batch_rows, drop_reasons=reasons)
        result = mine_file(path, options)
        plans = sorted(
            (
                p.task,
                p.source.locator,
                p.signals.frequency,
                p.signals.distinct_users,
                tuple(p.signals.top_clicks),
                tuple(p.signals.variants),
            )
            for p in result.records
        )
        results.append((plans, result.dropped))
    (fast, screened), (full, reasoned) = results
    assert fast == full
    assert "unnamed" not in reasoned
    # (a query naming an app may drop for those reasons too: 'word.com' is navigational)
    assert all(screened[r] <= reasoned[r] for r in UNNAMED)
    assert screened["unnamed"] == sum(reasoned[r] - screened[r] for r in UNNAMED)
    others = set(screened) | set(reasoned)
    assert all(screened[r] == reasoned[r] for r in others - UNNAMED - {"unnamed"})
