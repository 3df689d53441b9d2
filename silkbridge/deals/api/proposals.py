"""The deals API: proposals."""

from ninja import Router

router = Router(tags=["deals"])
