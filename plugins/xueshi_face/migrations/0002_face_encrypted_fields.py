"""Face images, templates and check frames become encrypted model fields (ADR 0545).

They were ``TextField`` columns holding tokens made by hand with ``crypto.encrypt``, so key rotation
(which visits the encrypted field types) skipped them. The column type stays ``longtext``: only the
"no value" marker changes from ``''`` to ``NULL`` (an encrypted field stores tokens or nothing), and
every remaining value is checked to be a token of the column's purpose. A value that is not a token
(never written by this code, but possible after a manual repair) is encrypted now rather than left
in clear; a token of another purpose stops the migration, since it would fail on every read.
"""

from django.db import migrations, models

import xueshi_core.fields

#: (model, column, purpose, whether an empty value is allowed)
COLUMNS = (
    ("FaceEnrolment", "image", "face_image", False),
    ("FaceEnrolment", "template", "face_template", True),
    ("FaceCheck", "image", "face_check_frame", True),
)


def convert(apps, schema_editor):
    """'' becomes NULL; plain values are encrypted; foreign tokens abort (nothing is half-done)."""
    from xueshi_core import crypto

    for model_name, column, purpose, nullable in COLUMNS:
        model = apps.get_model("xueshi_face", model_name)
        if nullable:
            model.objects.filter(**{column: ""}).update(**{column: None})
        rows = model.objects.exclude(**{f"{column}__isnull": True}).exclude(
            **{f"{column}__startswith": f"{crypto.VERSION}."}
        )
        for pk, value in rows.values_list("pk", column).iterator():
            model.objects.filter(pk=pk).update(**{column: crypto.encrypt(value, purpose=purpose)})
        for pk, value in model.objects.filter(**{f"{column}__startswith": f"{crypto.VERSION}."}).values_list(
            "pk", column
        ).iterator():
            header, _ = crypto.parse(value)
            if header.purpose != purpose:
                raise ValueError(f"{model_name} {pk}: {column} holds a {header.purpose!r} token")


def back(apps, schema_editor):
    """NULL becomes '' again (tokens stay tokens: the old code reads them by hand)."""
    for model_name, column, _purpose, nullable in COLUMNS:
        if nullable:
            model = apps.get_model("xueshi_face", model_name)
            model.objects.filter(**{f"{column}__isnull": True}).update(**{column: ""})


class Migration(migrations.Migration):
    dependencies = [("xueshi_face", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="faceenrolment",
            name="template",
            field=models.TextField(null=True, blank=True, default=""),
        ),
        migrations.AlterField(
            model_name="facecheck",
            name="image",
            field=models.TextField(null=True, blank=True, default=""),
        ),
        migrations.RunPython(convert, back),
        migrations.AlterField(
            model_name="faceenrolment",
            name="image",
            field=xueshi_core.fields.EncryptedBinaryField(help_text="encrypted photo", purpose="face_image"),
        ),
        migrations.AlterField(
            model_name="faceenrolment",
            name="template",
            field=xueshi_core.fields.EncryptedBinaryField(
                help_text="encrypted face descriptor of the local engine", null=True, purpose="face_template"
            ),
        ),
        migrations.AlterField(
            model_name="facecheck",
            name="image",
            field=xueshi_core.fields.EncryptedBinaryField(
                help_text="encrypted first frame; NULL after retention", null=True, purpose="face_check_frame"
            ),
        ),
    ]
