from django.core.management.base import BaseCommand

from apps.demo.context import DemoContext
from apps.demo.seed import seed


class Command(BaseCommand):
    help = "Load the synthetic demo community. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        ctx = DemoContext()
        seed(ctx)
        created = ", ".join(f"{n} {label}" for label, n in sorted(ctx.counts.items()))
        self.stdout.write(f"Demo community ready (created: {created or 'nothing new'}).")
        self.stdout.write("Demo logins:")
        for role, email, password in ctx.logins:
            self.stdout.write(f"  {role:<11} {email}  /  {password}")
