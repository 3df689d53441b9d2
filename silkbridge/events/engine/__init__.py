"""Meeting scheduler engine for B2B matchmaking events (no Django import): validate, schedule, benchmark."""

from silkbridge.events.engine.instance import Instance, InstanceError, instance_from_dict, instance_from_json
from silkbridge.events.engine.scheduler import Meeting, Plan, schedule, schedule_json

__all__ = [
    "Instance",
    "InstanceError",
    "Meeting",
    "Plan",
    "instance_from_dict",
    "instance_from_json",
    "schedule",
    "schedule_json",
]
