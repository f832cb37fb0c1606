"""The buyer's address/phone, bank account and email become encrypted fields (ADR 0176).

They were plain ``varchar`` columns. First they widen to nullable text, then every value is
encrypted in place ('' becomes NULL: an encrypted field stores tokens or nothing), then the field
type changes so key rotation (which visits the encrypted field types, ADR 0545) finds them.
"""

from django.db import migrations, models

import xueshi_core.fields

#: (column, purpose)
COLUMNS = (
    ("buyer_address_phone", "invoice_buyer_address_phone"),
    ("buyer_bank", "invoice_buyer_bank"),
    ("email", "invoice_buyer_email"),
)


def convert(apps, schema_editor):
    """'' becomes NULL; plain values are encrypted; tokens of another purpose abort."""
    from xueshi_core import crypto

    model = apps.get_model("xueshi_invoices", "InvoiceRequest")
    prefix = f"{crypto.VERSION}."
    for column, purpose in COLUMNS:
        model.objects.filter(**{column: ""}).update(**{column: None})
        rows = model.objects.exclude(**{f"{column}__isnull": True}).exclude(
            **{f"{column}__startswith": prefix}
        )
        for pk, value in rows.values_list("pk", column).iterator():
            model.objects.filter(pk=pk).update(**{column: crypto.encrypt(value, purpose=purpose)})
        tokens = model.objects.filter(**{f"{column}__startswith": prefix}).values_list("pk", column)
        for pk, value in tokens.iterator():
            if crypto.parse(value)[0].purpose != purpose:
                raise ValueError(f"InvoiceRequest {pk}: {column} holds a token of another purpose")


def back(apps, schema_editor):
    """Decrypt to plain text again ('' for NULL), so the old code can read the rows."""
    from xueshi_core import crypto

    model = apps.get_model("xueshi_invoices", "InvoiceRequest")
    for column, _purpose in COLUMNS:
        rows = model.objects.exclude(**{f"{column}__isnull": True})
        for pk, value in rows.values_list("pk", column).iterator():
            model.objects.filter(pk=pk).update(**{column: crypto.decrypt(value).decode("utf-8")})
        model.objects.filter(**{f"{column}__isnull": True}).update(**{column: ""})


def _text(verbose_name):
    return models.TextField(verbose_name, null=True, blank=True)


class Migration(migrations.Migration):
    dependencies = [("xueshi_invoices", "0001_initial")]

    operations = [
        migrations.AlterField("invoicerequest", "buyer_address_phone", _text("address and phone")),
        migrations.AlterField("invoicerequest", "buyer_bank", _text("bank and account")),
        migrations.AlterField("invoicerequest", "email", _text("email")),
        migrations.RunPython(convert, back),
        migrations.AlterField(
            "invoicerequest",
            "buyer_address_phone",
            xueshi_core.fields.EncryptedTextField(
                blank=True, null=True, purpose="invoice_buyer_address_phone", verbose_name="address and phone"
            ),
        ),
        migrations.AlterField(
            "invoicerequest",
            "buyer_bank",
            xueshi_core.fields.EncryptedTextField(
                blank=True, null=True, purpose="invoice_buyer_bank", verbose_name="bank and account"
            ),
        ),
        migrations.AlterField(
            "invoicerequest",
            "email",
            xueshi_core.fields.EncryptedTextField(
                blank=True, null=True, purpose="invoice_buyer_email", verbose_name="email"
            ),
        ),
    ]
