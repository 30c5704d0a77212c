"""Rows written before actor labels became public names carried the actor's email; the
history pages show labels to record holders, so rewrite them to the name others see."""

from django.db import migrations


def relabel(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(pk__in=AuditEvent.objects.values("actor_id")):
        label = user.display_name or f"Researcher {user.handle[:4].upper()}"
        AuditEvent.objects.filter(actor_id=user.pk).update(actor_label=label)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("accounts", "0002_user_handle")]

    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
