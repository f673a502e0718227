"""docs/shipping.md stays true to the code: every refusal and every limit is documented."""

from __future__ import annotations

import re

from agentdesk.core.shipping import limits
from agentdesk.core.shipping.refusals import Reason
from tests.conftest import REPO

DOC = REPO / "docs" / "shipping.md"


def test_every_reason_code_has_a_row_in_the_refusals_table() -> None:
    rows = set(re.findall(r"^\| `([a-z-]+)` +\|", DOC.read_text(encoding="utf-8"), re.M))
    assert rows == {str(reason) for reason in Reason}


def test_the_limits_table_gives_the_constants() -> None:
    text = DOC.read_text(encoding="utf-8")
    mib = 1024 * 1024
    for value in (
        f"| {limits.MAX_FILES} ",
        f"| {limits.MAX_FILE_BYTES // mib} MiB ",
        f"| {limits.MAX_TOTAL_BYTES // mib} MiB ",
        f"| {limits.MAX_ARCHIVE_BYTES // mib} MiB ",
        f"| {limits.MAX_RATIO} (entries over {limits.RATIO_FLOOR_BYTES // 1024} KiB) ",
        f"| {limits.MAX_MANIFEST_BYTES // mib} MiB each ",
    ):
        assert value in text, value


def test_links_within_the_guide_lead_to_a_heading() -> None:
    text = DOC.read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", text, re.M)
    }
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert target in anchors, target
