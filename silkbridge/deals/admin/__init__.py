"""The deals admin, one module per part."""

from silkbridge.deals.admin import calls, mou, pipeline, proposals, reviews, routing  # noqa: F401  (registers)
