from django.core.management.base import BaseCommand

from datasets import figures


class Command(BaseCommand):
    help = (
        "Print the figures of the loaded record that the README gives, as Markdown: published "
        "meetings by kind, body and year, the share with two or more sources, the disagreements "
        "and the held-out audit's result. Run it after load_sco_data."
    )

    def handle(self, *args, **options):
        for line in figures.markdown():
            self.stdout.write(line)
