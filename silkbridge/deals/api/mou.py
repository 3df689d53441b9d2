"""The deals API: mou."""

from ninja import Router

router = Router(tags=["deals"])
