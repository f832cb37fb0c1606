"""README.md's table names every package of the repository (it was once four behind)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_readme_lists_every_package():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    packages = sorted(
        f"{root}/{path.name}"
        for root in ("plugins", "xblocks")
        for path in (REPO / root).iterdir()
        if path.is_dir() and path.name.startswith("xueshi_") and (path / "__init__.py").exists()
    )
    assert packages, "no packages found"
    missing = [p for p in packages if f"`{p}`" not in readme]
    assert not missing, f"README.md does not list {missing}"
