"""Load the shipped rule files (``rulefiles/*.json``) as version 1 of each rule set not present yet.

Later changes to the shipped files are loaded as new versions by ``manage.py lms
xueshi_hours_load_rules`` (and the demo), never by editing a stored version.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import migrations

FILES = Path(__file__).resolve().parent.parent / "rulefiles"


def load(apps: Any, schema_editor: Any) -> None:
    from xueshi_hours.rules import parse_file

    model = apps.get_model("xueshi_hours", "RuleVersion")
    for path in sorted(FILES.glob("*.json")):
        for rule in parse_file(json.loads(path.read_text(encoding="utf-8"))):
            if model.objects.filter(rule_id=rule.id).exists():
                continue
            model.objects.create(
                rule_id=rule.id,
                version=1,
                title=rule.title,
                region=rule.region,
                category=rule.category,
                body=json.loads(json.dumps(rule.to_json())),
                note=f"shipped file {path.name}",
            )


class Migration(migrations.Migration):
    dependencies = [("xueshi_hours", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
