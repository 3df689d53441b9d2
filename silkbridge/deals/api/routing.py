"""The deals API: routing."""

from ninja import Router

router = Router(tags=["deals"])
