"""WeChat openids become encrypted personal data (ADR 0341), with the appid they belong to.

The column becomes a TEXT first, the openids already stored (plain) are encrypted in place with
the ``wechat_openid`` purpose, then the field is declared encrypted (no further schema change).
Reversing decrypts them back into the 64-character column.
"""

from django.db import migrations, models

import xueshi_core.fields

PURPOSE = "wechat_openid"


def encrypt_openids(apps, schema_editor):
    from xueshi_core import crypto

    binding = apps.get_model("xueshi_notify", "WechatBinding")
    for pk, openid in binding.objects.values_list("pk", "openid"):
        if openid and not str(openid).startswith(crypto.VERSION + "."):
            binding.objects.filter(pk=pk).update(openid=crypto.encrypt(str(openid), purpose=PURPOSE))


def decrypt_openids(apps, schema_editor):
    from xueshi_core import crypto

    binding = apps.get_model("xueshi_notify", "WechatBinding")
    for pk, token in binding.objects.values_list("pk", "openid"):
        if token and str(token).startswith(crypto.VERSION + "."):
            binding.objects.filter(pk=pk).update(openid=crypto.decrypt_text(str(token))[:64])


class Migration(migrations.Migration):
    dependencies = [
        ("xueshi_notify", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="wechatbinding",
            name="appid",
            field=models.CharField(blank=True, max_length=32, verbose_name="official account"),
        ),
        migrations.AlterField(model_name="wechatbinding", name="openid", field=models.TextField()),
        migrations.RunPython(encrypt_openids, decrypt_openids),
        migrations.AlterField(
            model_name="wechatbinding",
            name="openid",
            field=xueshi_core.fields.EncryptedTextField(purpose=PURPOSE, verbose_name="openid"),
        ),
    ]
