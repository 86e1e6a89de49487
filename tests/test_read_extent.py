"""A sheet's real extent from its XML (salesxl/read/extent.py), checked by hand per case."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesxl.read.extent import (
    Extent,
    _usual,
    _usual_noting,
    bad_string_reference,
    scan_cells,
    walk,
)
from salesxl.read.formulas import error_cells, uncached_formula_cells

HEAD = b'<?xml version="1.0"?><worksheet xmlns="x">'


def sheet(body: bytes, dimension: bytes | None = None) -> bytes:
    dim = b'<dimension ref="' + dimension + b'"/>' if dimension else b""
    return HEAD + dim + b"<sheetData>" + body + b"</sheetData></worksheet>"


def cell(ref: bytes, value: bytes = b"1") -> bytes:
    return b'<c r="' + ref + b'"><v>' + value + b"</v></c>"


# (name, sheet data, rows, columns, values) — the grid from A1 to the farthest value.
WALK_CASES = [
    ("one cell", cell(b"B3"), 3, 2, 1),
    ("far cell", cell(b"A1") + cell(b"XFD1048576"), 1_048_576, 16_384, 2),
    # without references, a cell follows the one before it and a row the row before it
    (
        "no references",
        b"<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>",
        2,
        2,
        3,
    ),
    ("row r, cells without", b'<row r="7"><c><v>1</v></c><c><v>2</v></c></row>', 7, 2, 2),
    # B3, C3 and D3 (the farthest), back to A3, then B3 again
    (
        "cells without between cells with",
        b'<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c><c><v>3</v></c>'
        b'<c r="A3"><v>4</v></c><c><v>5</v></c></row>',
        3,
        4,
        5,
    ),
    # an empty <v></v> reaches; a cell closed at once (C1) does not
    ("an empty value, then no value", b"<row><c><v>1</v></c><c><v></v></c><c/></row>", 1, 2, 2),
    (
        "100,000 cells without references in one row",
        b'<row r="100">' + b"<c><v>1</v></c>" * 100_000 + b"</row>",
        100,
        100_000,
        100_000,
    ),
    ("a cell after one with r", b'<row r="2"><c r="C2"><v>1</v></c><c><v>2</v></c></row>', 2, 4, 2),
    # only cells with a value reach: a far format alone does not, an empty <v></v> does
    ("format only", cell(b"A1") + b'<c r="XFD1048576" s="3"/>', 1, 1, 1),
    ("lower case and a prefix", b'<x:c r="d5"><x:v>1</x:v></x:c>', 5, 4, 1),
    ("single quotes", b"<c r='E2'><v>1</v></c>", 2, 5, 1),
    ("inline string", b'<c r="F4" t="inlineStr"><is><t>x</t></is></c>', 4, 6, 1),
    # in a part with a comment every placed cell counts (a comment cannot hide one)
    ("a comment", b'<c r="B2"><!-- </c> --><v>1</v></c><c r="Z9" s="1"/>', 9, 26, 2),
    ("beyond any sheet", cell(b"A99999999999999"), 10**12 + 1, 1, 1),  # 14 digits: just far
]


@pytest.mark.parametrize(
    ("body", "rows", "cols", "values"), [c[1:] for c in WALK_CASES], ids=[c[0] for c in WALK_CASES]
)
def test_walk_places_cells_as_python_calamine_does(body, rows, cols, values):
    got = walk(sheet(body))
    assert (got.rows, got.cols, got.values) == (rows, cols, values)


def _small(extent: Extent) -> bool:
    return extent.cells <= 1_000_000


def test_an_honest_dimension_is_confirmed_in_one_pass():
    body = b"".join(cell(b"%s%d" % (c, r)) for r in range(1, 301) for c in (b"A", b"O"))
    got = scan_cells(sheet(body, b"A1:O300"), 0, _small)
    # bound from the dimension: rows up to 999 (3 digits), columns up to Z (one letter)
    assert (got.extent.rows, got.extent.cols, got.extent.exact) == (999, 26, False)
    assert got.strings_ok


def _usual_limits(extent: Extent) -> bool:
    """The reader's default limits: 20 million cells, 4 million unless they are filled."""
    return extent.cells <= 20_000_000 and (
        extent.cells <= 4_000_000 or extent.cells <= 8 * extent.values
    )


def test_a_sheet_without_a_dimension_in_columns_a_to_z_is_bounded_in_one_pass():
    body = b"".join(cell(b"%s%d" % (c, r)) for r in range(1, 301) for c in (b"A", b"O"))
    got = scan_cells(sheet(body), 0, _usual_limits)
    assert (got.extent.rows, got.extent.cols, got.extent.exact) == (99_999, 26, False)


@pytest.mark.parametrize(
    ("far", "rows", "cols"),
    [
        (b"AA2", 300, 27),  # one column past Z: the references are read
        (b"B100000", 100_000, 26),  # a sixth row digit
        (b"XFD1048576", 1_048_576, 16_384),
    ],
)
def test_a_sheet_without_a_dimension_reaching_farther_is_measured(far, rows, cols):
    body = b"".join(cell(b"A%d" % r) for r in range(1, 301)) + cell(far)
    got = scan_cells(sheet(body), 0, _usual_limits)
    assert (got.extent.rows, got.extent.cols) == (rows, cols)


def test_a_dimension_that_lies_small_does_not_hide_a_far_cell():
    got = scan_cells(sheet(cell(b"A1") + cell(b"XFD1048576"), b"A1:B2"), 0, _small)
    assert (got.extent.rows, got.extent.cols) == (1_048_576, 16_384)


def test_a_dimension_that_lies_large_costs_a_closer_look_not_the_file():
    got = scan_cells(sheet(cell(b"A1") + cell(b"C4"), b"A1:XFD1048576"), 0, _small)
    assert (got.extent.rows, got.extent.cols) == (4, 26)  # rows exact, columns up to Z


@pytest.mark.parametrize(
    ("value", "strings", "bad"),
    [
        (b"0", 1, False),
        (b"12", 13, False),
        (b"-1", 13, True),  # python-calamine would read string 0
        (b"1.5", 13, True),
        (b" 1 ", 13, True),
        (b"99999999999999999999", 13, True),
        (b"123", 13, True),  # more digits than a table of 13 strings has
    ],
)
def test_a_shared_string_index_the_table_cannot_have_is_found(value, strings, bad):
    xml = sheet(b'<c r="A1" t="s"><v>' + value + b"</v></c>")
    assert bad_string_reference(xml, strings) is bad
    assert scan_cells(xml, strings, _small).strings_ok is not bad


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="A1" t="s" s="2"><v>-1</v></c>',  # t before s: not the usual order
        b'<c r="A1" s="2" cm="1" t="s"><v>-1</v></c>',  # another attribute between
        b'<c r="A1" s="2" t="n" t="s"><v>-1</v></c>',  # t twice (the last one counts)
    ],
)
def test_an_unusual_string_cell_is_looked_at_closely(cell):
    assert not scan_cells(sheet(cell, b"A1"), 13, _small).strings_ok


def test_a_comment_between_a_string_cell_and_its_value_hides_nothing():
    xml = sheet(b'<c r="A1" t="s"><!-- x --><v>-1</v></c>')
    assert bad_string_reference(xml, 5)


def _tiny(extent: Extent) -> bool:
    return extent.cells <= 5_000


def test_a_large_sheet_with_an_honest_dimension_gets_the_dimension_itself():
    # 4 row digits and 1 letter bound 9,999 × 26 cells: too many for _tiny; the dimension's
    # own 1,200 × 3 is confirmed by looking for a cell past it (there is none).
    body = b"".join(cell(b"%s%d" % (c, r)) for r in range(1, 1201) for c in (b"A", b"C"))
    got = scan_cells(sheet(body, b"A1:C1200"), 0, _tiny)
    # not walked tag by tag (that would be exact): two searches were enough
    assert (got.extent.rows, got.extent.cols, got.extent.exact) == (1200, 3, False)


@pytest.mark.parametrize(
    ("far", "dimension", "rows", "cols"),
    [
        # one row past, as many digits: the references give 1,201 × 26 (one letter), too
        # many for _tiny, so the sheet is walked: 1,201 rows, only column A filled
        (b"A1201", b"A1:C1200", 1201, 1),
        # one column past, as many letters: the references give 99 rows × 26, which fits
        (b"D5", b"A1:C1200", 99, 26),
        # a leading zero: 999 has fewer digits than 0120 yet is later; walked: 999 × 2
        (b"B999", b"A1:C0120", 999, 2),
    ],
)
def test_a_cell_past_a_large_sheets_dimension_is_seen(far, dimension, rows, cols):
    body = b"".join(cell(b"A%d" % r) for r in range(1, 100)) + cell(far)
    got = scan_cells(sheet(body, dimension), 0, _tiny)
    assert (got.extent.rows, got.extent.cols) == (rows, cols)


def test_the_pattern_for_a_cell_past_the_dimension_agrees_with_arithmetic():
    from salesxl.read.extent import _column, _past

    for column, row in [(b"C", b"1200"), (b"AB", b"99"), (b"Z", b"9"), (b"XFD", b"1048576")]:
        last_col, last_row = _column(column), int(row)
        for letters in [b"A", b"C", b"D", b"Z", b"AA", b"AB", b"AC", b"BA", b"XFC", b"XFD", b"XFE"]:
            for digits in [b"1", b"9", b"99", b"100", b"1199", b"1200", b"1201", b"9999"]:
                if len(letters) > len(column) or len(digits) > len(row):
                    continue  # `_usual` lets no such reference through
                past = _column(letters) > last_col or int(digits) > last_row
                found = _past(column, row).search(b'<c r="' + letters + digits + b'">')
                assert (found is not None) is past, (column, row, letters, digits)


# ----------------------------------------------------------------------------
# The cells with a formula or an error, noted by the same pass
# ----------------------------------------------------------------------------

USUAL = cell(b"A1") + b'<c r="B1" s="2" t="s"><v>3</v></c><c r="C1" s="1"/>'


@pytest.mark.parametrize(
    "noted",
    [
        b'<c r="D1"><f>1+2</f></c>',  # uncached
        b'<c r="D1" s="4"><f>1+2</f><v>3</v></c>',
        b'<c r="D1" t="str"><f>IF(A1,"","x")</f><v></v></c>',
        b'<c r="D1"><f t="shared" si="0"/></c>',
        b'<c r="D1"><f/></c>',
        b'<c r="D1"/><f>1</f>',  # a formula right after a closed tag is the cell's to the scan
        b'<c r="D1" s="3" t="e"><v>#N/A</v></c>',
        b'<c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
        b'<c r="D1" t="e"/>',
    ],
)
def test_a_cell_with_a_formula_or_an_error_is_noted_where_it_starts(noted):
    xml = sheet(USUAL + noted + USUAL, b"A1:D1")
    got = scan_cells(xml, 10, _small)
    at = (xml.index(noted),)
    assert got.formulas == (at if b"<f" in noted else ())
    assert got.errors == (at if b'"e"' in noted else ())
    assert set(uncached_formula_cells(xml, got.formulas)) == set(uncached_formula_cells(xml))
    assert error_cells(xml, got.errors) == error_cells(xml)


@pytest.mark.parametrize(
    "unnoted",
    [
        b'<c r="D1"><f\t>1</f></c>',  # a formula whose start tag only the search judges
        b'<c r="D1" t="e"><f\t>1</f><v>#N/A</v></c>',
        b'<c r="D1"/ t="e"><v>#N/A</v></c>',  # after the `/`, only the search looks
        b'<c r="D1"/ x="1"><f>1</f></c>',
    ],
)
def test_a_usual_cell_whose_formula_or_error_only_a_search_finds_leaves_none_noted(unnoted):
    xml = sheet(USUAL + unnoted, b"A1:D1")
    got = scan_cells(xml, 10, _small)
    assert got.strings_ok and got.formulas is None and got.errors is None
    assert _usual(xml, 1, 1, 1)


@pytest.mark.parametrize(
    "odd",
    [
        b'<c r="D1" t="s"><f>1</f></c>',  # a string cell with a formula
        b'<c r="D1" cm="1"><f>1</f><v>1</v></c>',  # another attribute
        b'<c t="e" r="D1"><v>#N/A</v></c>',  # another order
        b'<x:c r="D1"><x:f>1</x:f></x:c>',  # a prefix
        b'<c r="E12"><f>1</f></c>',  # past the dimension
    ],
)
def test_an_unusual_cell_leaves_none_noted(odd):
    xml = sheet(USUAL + odd, b"A1:D1")
    assert _usual_noting(xml, 1, 1, 1) is None
    assert not _usual(xml, 1, 1, 1)
    got = scan_cells(xml, 10, _small)
    assert got.formulas is None and got.errors is None


_CELLS = st.sampled_from(
    [
        cell(b"A1"),
        b'<c r="B2" s="2" t="s"><v>7</v></c>',
        b'<c r="B3" t="s"><v>123</v></c>',  # more digits than the table has
        b'<c r="C4" s="1"/>',
        b'<c r="D5"><f>1+2</f></c>',
        b'<c r="D5"><f>1+2</f><v>3</v></c>',
        b'<c r="D5" t="str"><f>"x"</f><v></v></c>',
        b'<c r="D5"><f t="shared" si="0"/></c>',
        b'<c r="D5"/><f>1</f>',
        b'<c r="E6" t="e"><v>#N/A</v></c>',
        b'<c r="E6" s="2" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
        b'<c r="E6" t="e"/>',
        b'<c r="E6" t="e"><f\t>1</f></c>',
        b'<c r="F7"><f\t>1</f></c>',
        b'<c r="F7"/ t="e"><v>#REF!</v></c>',
        b'<c r="F7" t="s"><f>1</f></c>',
        b'<c t="e" r="F7"><v>#N/A</v></c>',
        b'<c r="G8" cm="1"><f>1</f></c>',
        b'<x:c r="G8"><x:v>1</x:v></x:c>',
        b'<c r="AB12"><v>1</v></c>',
        b'<c r="B2" t="e"><v>#N/A</v></c><!-- t="e" <f> -->',
        b"<c><v>1</v></c>",
    ]
)


@given(st.lists(_CELLS, max_size=12), st.sampled_from([(1, 1), (1, 2), (2, 2), (3, 7)]))
def test_the_noted_cells_give_what_searching_the_part_gives(cells, bound):
    xml = sheet(b"".join(cells))
    noted = _usual_noting(xml, *bound, 1)
    assert (noted is not None) is _usual(xml, *bound, 1)
    formulas, errors = noted or (None, None)
    assert (formulas is None) is (errors is None)
    if formulas is not None:
        assert set(uncached_formula_cells(xml, formulas)) == set(uncached_formula_cells(xml))
        assert error_cells(xml, errors) == error_cells(xml)
