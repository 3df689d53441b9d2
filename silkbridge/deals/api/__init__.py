"""The deals API: one router per part, joined here."""

from ninja import Router

from silkbridge.deals.api import calls, mou, pipeline, proposals, reviews, routing

router = Router()
# The pipeline last: its "/deals/{reference}" would otherwise answer the other parts' one-segment
# addresses (/deals/calls, /deals/mous, /deals/verify...) as a deal reference (404 or 405).
for part in (calls, proposals, reviews, mou, routing, pipeline):
    router.add_router("/", part.router)
