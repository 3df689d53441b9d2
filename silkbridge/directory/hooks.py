"""What the directory tells upper floors (silkbridge.core.hooks; receivers register in their AppConfig.ready)."""

from __future__ import annotations

from silkbridge.core.hooks import Hook

# Organisations were written in bulk (an import): counts kept from them elsewhere (the analytics summary)
# are out of date. Fired in the writer's transaction.
organisations_bulk_changed: Hook[[]] = Hook("directory.organisations_bulk_changed")
