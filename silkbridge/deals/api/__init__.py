"""The deals API: one router per part, joined here."""

from ninja import Router

from silkbridge.deals.api import calls, mou, pipeline, proposals, reviews, routing

router = Router()
for part in (pipeline, calls, proposals, reviews, mou, routing):
    router.add_router("/", part.router)
