"""zh_CN is first-class: every committed catalog is complete and its compiled .mo is current."""

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CATALOGS = sorted(
    p for root in ("plugins", "xblocks", "sandbox") for p in (REPO / root).rglob("*.po") if "zh_CN" in p.parts
)


def entries(po: Path):
    """Yield (msgid, msgstr) pairs with msgfmt's own parser (via --properties-output)."""
    out = subprocess.run(["msgcat", "--no-wrap", str(po)], capture_output=True, text=True, check=True).stdout
    blocks = out.split("\n\n")
    for block in blocks[1:]:
        lines = [ln for ln in block.splitlines() if not ln.startswith("#")]
        msgid = next((ln[7:-1] for ln in lines if ln.startswith("msgid ")), "")
        msgstr = next((ln[8:-1] for ln in lines if ln.startswith("msgstr ")), "")
        yield msgid, msgstr


def test_there_are_catalogs():
    assert len(CATALOGS) >= 2


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_catalog_is_fully_translated(po):
    missing = [msgid for msgid, msgstr in entries(po) if msgid and not msgstr]
    assert not missing, f"untranslated in {po}: {missing}"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(REPO)))
def test_compiled_catalog_is_current(po, tmp_path):
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed} is not compiled: run make translations"
    assert committed.read_bytes() == fresh.read_bytes(), f"{committed} is stale: run make translations"
