from django.db import migrations, models

from apps.accounts.models import handle_new


def fill_handles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for pk in User.objects.filter(handle__isnull=True).values_list("pk", flat=True):
        User.objects.filter(pk=pk).update(handle=handle_new())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="handle",
            field=models.CharField(max_length=10, null=True),
        ),
        migrations.RunPython(fill_handles, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="handle",
            field=models.CharField(
                default=handle_new, max_length=10, unique=True
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="display_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="public name"),
        ),
    ]
