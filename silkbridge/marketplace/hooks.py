"""What the marketplace lets upper floors react to or answer, without importing them.

Matching registers into both in its AppConfig.ready() (silkbridge/matching/apps.py).
"""

from silkbridge.core.hooks import Hook, Provider

# A profile was published, edited, closed, expired or renewed (fired inside the transaction that
# changed it, with the profile's id; receivers that start long work do so on commit).
opportunity_changed: Hook[[int]] = Hook("marketplace.opportunity_changed")

# Sector and concept codes that a text speaks of, keyword arguments `text` and `language`; the answer
# is {"sectors": [...], "concepts": [...]} (what a new profile's form offers to pre-fill).
terms_suggested: Provider[..., dict[str, list[str]]] = Provider("marketplace.terms_suggested")
