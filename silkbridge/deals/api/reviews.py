"""The deals API: reviews."""

from ninja import Router

router = Router(tags=["deals"])
