"""What every page's footer needs from analytics."""

from typing import Any

from django.http import HttpRequest

from silkbridge.analytics.selectors import public_figure_keys


def public_figures(request: HttpRequest) -> dict[str, Any]:
    """The footer links the public figures page only while it has a figure to show: a setting that names
    only unknown or unpublishable figures leaves the page a 404, and then no link leads there."""
    return {"public_figures_enabled": bool(public_figure_keys())}
