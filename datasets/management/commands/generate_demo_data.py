import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from datasets import demo
from public.cache import bump_content_version


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic meetings, officials, summits and initiatives (the same "
        "for the same seed), e.g. --meetings 100000 --officials 10000 --seed 1. Refuses a "
        "database that holds real records unless --force; replaces an earlier run's records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=1_000)
        parser.add_argument("--officials", type=int, default=200)
        parser.add_argument("--initiatives", type=int, default=None,
                            help="Default: 5,000, or one per 20 meetings if fewer.")  # fmt: skip
        parser.add_argument("--summits", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="Add to a database that holds real records."
        )

    def handle(self, *args, **options):
        if options["officials"] < 10 or options["meetings"] < 1:
            raise CommandError("Give at least 1 meeting and 10 officials.")
        if demo.holds_real_records() and not options["force"]:
            raise CommandError(
                "This database holds records that are not synthetic; generate_demo_data adds "
                "to it only with --force. Use an empty database (see DATABASE_URL)."
            )
        started = time.monotonic()
        if demo.holds_demo_records():
            self.stdout.write("Removing the synthetic records of an earlier run")
            demo.remove_demo_records(self.stdout.write)
        initiatives = options["initiatives"]
        if initiatives is None:
            initiatives = min(5_000, max(1, options["meetings"] // 20))
        demo.generate(
            meetings=options["meetings"],
            officials=options["officials"],
            initiatives=initiatives,
            summits=options["summits"],
            seed=options["seed"],
            say=self.stdout.write,
        )
        bump_content_version()
        call_command("count_figures", stdout=self.stdout)
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s.")
