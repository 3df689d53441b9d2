"""What the money app lets upper floors react to (registered in their AppConfig.ready())."""

from silkbridge.core.hooks import Hook

# A rate was set and committed: every conversion made with the old table is stale (matching rebuilds).
rates_changed: Hook[[]] = Hook("money.rates_changed")
