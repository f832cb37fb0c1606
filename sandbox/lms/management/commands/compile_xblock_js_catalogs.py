"""``manage.py compile_xblock_js_catalogs``: write each of our XBlocks' compiled JavaScript catalogs.

Run by ``make translations`` after ``msgfmt`` (the ``.mo`` files are its input); the files are build
output, like ``public/js/dist/``, and ship in the wheel. ``--check`` only reports stale or missing
files, for CI. See ``sandbox/lms/jscatalogs.py`` and ADR 0081.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...jscatalogs import block_catalogs, output_path, render_catalog


class Command(BaseCommand):
    """Compile ``conf/locale/<locale>/LC_MESSAGES/djangojs.mo`` into ``public/js/translations/``."""

    help = (
        "Compile the XBlocks' djangojs catalogs into namespaced JavaScript (as compile_xblock_translations)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="fail if a compiled file is missing or stale"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stale = []
        for block_class, package_dir, locale in block_catalogs(settings.REPO_DIR):
            target = output_path(package_dir, locale)
            rendered = render_catalog(
                package_dir / "conf" / "locale", locale, block_class.get_i18n_js_namespace()
            )
            current = target.read_text(encoding="utf-8") if target.exists() else None
            if current == rendered:
                continue
            if options["check"]:
                stale.append(str(target.relative_to(settings.REPO_DIR)))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(rendered, encoding="utf-8")
            if options["verbosity"] > 1:
                self.stdout.write(f"wrote {target.relative_to(settings.REPO_DIR)}")
        if stale:
            raise CommandError(f"stale or missing (run make translations): {', '.join(stale)}")
