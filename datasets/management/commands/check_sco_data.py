from django.core.management.base import BaseCommand, CommandError

from datasets.checks import run_checks


class Command(BaseCommand):
    help = "Check the loaded record (datasets/checks.py); fails when any check finds a problem."

    def handle(self, *args, **options):
        results = run_checks()
        failed = 0
        for name, problems in results.items():
            self.stdout.write(f"{name.replace('_', ' ')}: {len(problems) or 'ok'}")
            for problem in problems:
                self.stdout.write(f"  - {problem}")
            failed += len(problems)
        if failed:
            raise CommandError(f"{failed} problem(s) in the data.")
