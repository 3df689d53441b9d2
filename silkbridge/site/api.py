"""The REST API under /api/v1/: one NinjaAPI, with a router per domain."""

from typing import Any

from ninja import NinjaAPI

from silkbridge.accounts.api import router as accounts_router
from silkbridge.accounts.api_auth import AUTH_REQUIRED
from silkbridge.analytics.api import router as analytics_router
from silkbridge.conversations.api import router as conversations_router
from silkbridge.core.api import router as core_router
from silkbridge.core.api_support import document_common_errors, install_error_handlers
from silkbridge.datacenters.api import router as datacenters_router
from silkbridge.deals.api import router as deals_router
from silkbridge.directory.api import router as directory_router
from silkbridge.events.api import router as events_router
from silkbridge.events.visit_api import router as visits_router
from silkbridge.marketplace.api import router as marketplace_router
from silkbridge.matching.api import router as matching_router
from silkbridge.money.api import router as money_router
from silkbridge.notifications.api import router as notifications_router
from silkbridge.zones.api import router as zones_router
from silkbridge.zones.facts_api import router as zone_facts_router
from silkbridge.zones.incentives_api import router as incentives_router
from silkbridge.zones.relocation_api import router as relocation_router


class SilkbridgeAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return document_common_errors(super().get_openapi_schema(*args, **kwargs))


api = SilkbridgeAPI(
    title="Silkbridge API",
    version="1.0.0",
    description=(
        "Directory, taxonomy, accounts, zones, data-center assessment, events, marketplace, matching, deals, "
        "analytics, notifications and conversations API of Silkbridge. "
        "Authenticate with a personal API token "
        "(`Authorization: Bearer sb_…`) or a browser session. Errors are JSON: "
        '`{"code", "message", "errors": [{"field", "message"}]}`.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/", directory_router)
api.add_router("/", accounts_router)
api.add_router("/", zones_router)
api.add_router("/", zone_facts_router)
api.add_router("/", relocation_router)
api.add_router("/", incentives_router)
api.add_router("/", datacenters_router)
api.add_router("/", events_router)
api.add_router("/", visits_router)
api.add_router("/", marketplace_router)
api.add_router("/", matching_router)
api.add_router("/", conversations_router)
api.add_router("/", deals_router)
api.add_router("/", analytics_router)
api.add_router("/", notifications_router)
api.add_router("/", money_router, auth=AUTH_REQUIRED)
api.add_router("/", core_router, auth=AUTH_REQUIRED)
