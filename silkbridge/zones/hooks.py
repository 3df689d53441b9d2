"""What the zones app asks of upper floors without importing them.

Matching answers the first two and events the third, each in its AppConfig.ready(); without them, a
request's sectors are only those it states and it has no partners to measure distances to.
"""

from silkbridge.core.hooks import Provider

# Sector and concept codes a text speaks of, keyword arguments `text` and `language`; the answer is
# {"sectors": [...], "concepts": [...]}: the matching engine's glossary and sector model read a
# relocation request's activities (written in Chinese, English or Urdu) as they read a profile.
relocation_terms: Provider[..., dict[str, list[str]]] = Provider("zones.relocation_terms")

# The cities of a company's matched Pakistani partners in the marketplace, keyword argument
# `organisation_id`; the answer is {partner organisation id: city} (the advisor measures distances).
partner_cities: Provider[..., dict[int, str]] = Provider("zones.partner_cities")

# The same for the Pakistani organisations the company agreed to meet at events (accepted meeting
# requests, either way round).
event_partner_cities: Provider[..., dict[int, str]] = Provider("zones.event_partner_cities")
