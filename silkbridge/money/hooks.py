"""What the money app lets upper floors react to (registered in their AppConfig.ready())."""

from typing import Any

from silkbridge.core.hooks import Hook

# A rate was set (fired inside its transaction, with the staff member who set it): every conversion made
# with the old table is stale (matching queues a rebuild, which starts once the rate is committed).
rates_changed: Hook[[Any]] = Hook("money.rates_changed")
