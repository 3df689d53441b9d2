"""The deals API: one router per part, joined here."""

from ninja import Router

from silkbridge.deals.api import calls, mou, pipeline, proposals, reviews, routing

router = Router()
# The pipeline's routes come last: its `/deals/{reference}` would otherwise catch `/deals/proposals`,
# `/deals/calls`… (a reference is any string to the router).
for part in (calls, proposals, reviews, mou, routing, pipeline):
    router.add_router("/", part.router)
