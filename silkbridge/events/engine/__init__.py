"""Meeting scheduler engine for B2B matchmaking events (no Django import): validate, schedule, benchmark.

The names are loaded on first use: the solvers pull in SciPy (and OR-Tools), which a command that only
validates an instance or prints its help should not wait for.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Instance": "silkbridge.events.engine.instance",
    "InstanceError": "silkbridge.events.engine.instance",
    "instance_from_dict": "silkbridge.events.engine.instance",
    "instance_from_json": "silkbridge.events.engine.instance",
    "Meeting": "silkbridge.events.engine.scheduler",
    "Plan": "silkbridge.events.engine.scheduler",
    "schedule": "silkbridge.events.engine.scheduler",
    "schedule_json": "silkbridge.events.engine.scheduler",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
