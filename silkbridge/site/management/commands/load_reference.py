"""`silkbridge load_reference`: the sector taxonomy, the concept glossary, real institutions, zones, and
the MoU clause library."""

from typing import Any

from django.core.management.base import BaseCommand

from silkbridge.deals.services.mou import clause_library_load
from silkbridge.directory.loaders import (
    DATA_DIR,
    concepts_load,
    organisations_load,
    sectors_load,
)
from silkbridge.directory.search import rebuild_all, search_index_current
from silkbridge.zones.incentives_services import incentive_rates_load
from silkbridge.zones.services import zones_load


class Command(BaseCommand):
    help = "Load (or update) the reference data; running it again changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        sectors = sectors_load()
        concepts = concepts_load()
        self.stdout.write(f"sectors: {sectors}")
        self.stdout.write(f"concepts: {concepts}")
        self.stdout.write(f"zones: {zones_load()}")
        self.stdout.write(f"incentive calculator rates: {incentive_rates_load()}")
        self.stdout.write(f"MoU clauses added: {clause_library_load()}")
        self.stdout.write(
            f"institutions: {organisations_load(DATA_DIR / 'reference_organisations.yaml', is_demo=False)}"
        )
        if sectors.created + sectors.updated + concepts.created + concepts.updated or not search_index_current():
            # Documents index the labels of their technologies and the glossary phrases their text
            # spells: a changed glossary needs a rebuild (here, inline: this is a command).
            self.stdout.write(f"search index rebuilt: {rebuild_all()}")
