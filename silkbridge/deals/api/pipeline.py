"""The deals API: pipeline."""

from ninja import Router

router = Router(tags=["deals"])
