"""What the zones app asks of upper floors without importing them.

Matching answers both, in its AppConfig.ready() (silkbridge/matching/apps.py); without it, a request's
sectors are only those it states and it has no partners to measure distances to.
"""

from silkbridge.core.hooks import Provider

# Sector and concept codes a text speaks of, keyword arguments `text` and `language`; the answer is
# {"sectors": [...], "concepts": [...]}: the matching engine's glossary and sector model read a
# relocation request's activities (written in Chinese, English or Urdu) as they read a profile.
relocation_terms: Provider[..., dict[str, list[str]]] = Provider("zones.relocation_terms")

# The cities of a company's matched Pakistani partners, keyword argument `organisation_id`; the answer
# is a list of city names, one per partner (the advisor measures distances from them).
partner_cities: Provider[..., list[str]] = Provider("zones.partner_cities")
