from __future__ import annotations

from typing import Any

import factory

from silkbridge.directory.models import Concept, Organisation, Sector
from silkbridge.directory.services import organisation_reindex


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation with its search text indexed, as the services leave it."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    key = factory.Sequence(lambda number: f"test-organisation-{number}")
    kind = "company"
    name_en = factory.Sequence(lambda number: f"Test Organisation {number}")
    language = "en"
    country = "PK"
    city = "Lahore"
    visibility = "public"

    @factory.post_generation
    def sectors(self, create: bool, codes: list[str] | None, **kwargs: Any) -> None:
        if create and codes:
            self.sectors.set(Sector.objects.filter(code__in=codes))

    @factory.post_generation
    def concepts(self, create: bool, codes: list[str] | None, **kwargs: Any) -> None:
        if create and codes:
            self.concepts.set(Concept.objects.filter(code__in=codes))

    @factory.post_generation
    def index(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            organisation_reindex(organisation=self)
