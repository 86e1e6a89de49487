"""The package checks before python-calamine reads a workbook (salesxl/read/package.py)."""

from __future__ import annotations

import pytest

from salesxl.core.issues import Code
from salesxl.read import Limits, ReadError, package


@pytest.mark.parametrize(
    ("xml", "strings"),
    [
        (b"<sst>" + b"<si><t>x</t></si>" * 12 + b"</sst>", 12),
        (b'<sst><si><t>x</t></si><si xml:space="preserve"/><si/><si ><t/></si></sst>', 4),
        (b"<x:sst><x:si><x:t>x</x:t></x:si><x:si/></x:sst>", 3),  # an upper bound
        (b"<sst><sig/><si><t>x</t></si></sst>", 1),  # `<si` of another element
        (b"<sst></sst>", 0),
    ],
)
def test_shared_strings_are_counted_by_their_elements(xml, strings):
    assert package._count_strings(xml) == strings


@pytest.mark.parametrize("ranges", [1, 2, 3, 40])
def test_merged_ranges_beyond_the_limit_are_refused_however_short_the_part(ranges):
    # a part of nothing but ranges is as short as a part holding so many can be (11 bytes
    # each): at the limit it passes unsearched, one range more is counted and refused
    for spelling in (b'<mergeCell ref="A1:B1"/>', b":mergeCell "):
        xml = spelling * ranges
        scan = package.PackageScan()
        package._scan_sheet("s.xml", xml, 0, Limits(max_merged_ranges=ranges), scan)
        with pytest.raises(ReadError) as refused:
            package._scan_sheet("s.xml", xml, 0, Limits(max_merged_ranges=ranges - 1), scan)
        assert refused.value.code == Code.TOO_LARGE
