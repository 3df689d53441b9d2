"""The deals API: calls."""

from ninja import Router

router = Router(tags=["deals"])
