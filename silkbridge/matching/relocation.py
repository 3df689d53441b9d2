"""What matching answers the zones app's relocation advisor (zones.hooks), registered in apps.py."""

from __future__ import annotations

from silkbridge.marketplace.selectors import offered_to_others_q
from silkbridge.matching.models import Match


def partner_cities(*, organisation_id: int) -> dict[int, str]:
    """The city of each Pakistani organisation whose profile matched one of the company's, by
    organisation; only partners whose profiles the matching may show others (never a private one)."""
    matches = (
        Match.objects.filter(opportunity__organisation_id=organisation_id, other__organisation__country="PK")
        .exclude(other__organisation_id=organisation_id)
        .filter(offered_to_others_q("other__"))
        .exclude(other__organisation__city="")
        .values_list("other__organisation_id", "other__organisation__city")
        .distinct()
    )
    return dict(sorted(set(matches)))
