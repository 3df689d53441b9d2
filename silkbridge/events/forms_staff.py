"""Staff forms: the event set-up, the slot grid, the scheduler run and the meeting-list filter.

The forms only check and shape input; the writes are services.event_create, services.slots_generate and
services.schedule_run. Times the organiser types are wall-clock times in the EVENT's time zone, not in the
organiser's own, because that is how a programme is written.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silkbridge.events.models import Event
from silkbridge.events.services import RESERVED_SLUGS

MAX_GRID_DAYS = 62
DATE = r"\d{4}-\d{1,2}-\d{1,2}"
RANGE_SEPARATOR = re.compile(r"\s*(?:\.\.|–|—|~|至|\bto\b|\s-\s)\s*")
BREAK = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–—~]\s*(\d{1,2}):(\d{2})$")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


def _in_zone(value: datetime, zone_name: str) -> datetime:
    """Read a datetime the form made aware in the reader's zone as the same wall-clock time in `zone_name`."""
    return timezone.make_naive(value).replace(tzinfo=zoneinfo.ZoneInfo(zone_name))


def parse_days(text: str) -> list[date]:
    """Dates and ranges: "2025-05-10 .. 2025-05-12, 2025-05-14" (also "to", "–", "~" or " - " between)."""
    normalised = RANGE_SEPARATOR.sub("..", text.strip())
    days: set[date] = set()
    for token in re.split(r"[,;\s]+", normalised):
        if not token:
            continue
        first, _separator, last = token.partition("..")
        if not re.fullmatch(DATE, first) or (last and not re.fullmatch(DATE, last)):
            raise ValidationError(
                _("“%(value)s” is not a date or a range; write dates like 2025-05-10 or 2025-05-10 .. 2025-05-12."),
                params={"value": token},
            )
        try:
            start = date.fromisoformat(_padded(first))
            end = date.fromisoformat(_padded(last)) if last else start
        except ValueError as error:
            raise ValidationError(_("“%(value)s” is not a real date."), params={"value": token}) from error
        if end < start:
            raise ValidationError(_("The range “%(value)s” ends before it starts."), params={"value": token})
        if (end - start).days >= MAX_GRID_DAYS:
            raise ValidationError(_("One grid covers at most %(count)d days."), params={"count": MAX_GRID_DAYS})
        days.update(start + timedelta(days=offset) for offset in range((end - start).days + 1))
    if len(days) > MAX_GRID_DAYS:
        raise ValidationError(_("One grid covers at most %(count)d days."), params={"count": MAX_GRID_DAYS})
    return sorted(days)


def _padded(value: str) -> str:
    year, month, day = value.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def parse_breaks(text: str) -> list[tuple[time, time]]:
    """Breaks like "12:30-13:30, 16:00-16:15" (commas, semicolons or new lines between)."""
    breaks = []
    for item in re.split(r"[,;\n]+", text):
        item = item.strip()
        if not item:
            continue
        match = BREAK.match(item)
        if match is None:
            raise ValidationError(_("“%(value)s” is not a break; write it like 12:30-13:30."), params={"value": item})
        hour_start, minute_start, hour_end, minute_end = (int(part) for part in match.groups())
        try:
            start, end = time(hour_start, minute_start), time(hour_end, minute_end)
        except ValueError as error:
            raise ValidationError(_("“%(value)s” is not a time of day."), params={"value": item}) from error
        if end <= start:
            raise ValidationError(_("The break “%(value)s” ends before it starts."), params={"value": item})
        breaks.append((start, end))
    return breaks


class EventForm(forms.ModelForm):
    """An event's description and rules. The registration window is typed in the event's own time zone."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, initial="Asia/Karachi")

    class Meta:
        model = Event
        fields = (
            "title",
            "slug",
            "description",
            "kind",
            "time_zone",
            "venue",
            "registration_opens_at",
            "registration_closes_at",
            "participant_cap",
            "requires_approval",
            "request_policy",
            "request_mode",
            "scheduling_mode",
            "default_min_meetings",
            "default_max_meetings",
            "video_room_base_url",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "registration_opens_at": DATETIME_WIDGET,
            "registration_closes_at": DATETIME_WIDGET,
            "slug": forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "none", "spellcheck": "false"}),
            "video_room_base_url": forms.URLInput(attrs={"dir": "ltr"}),
        }
        help_texts = {
            "slug": _("Letters, digits and hyphens; it becomes the event's address."),
            "registration_opens_at": _("In the event's time zone."),
            "registration_closes_at": _("In the event's time zone."),
            "participant_cap": _("Leave blank for no limit."),
            "video_room_base_url": _("Each virtual meeting gets its own room under this address."),
        }

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("“%(value)s” is a reserved word here; choose another short name."), params={"value": slug}
            )
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone_name = data.get("time_zone")
        if zone_name:
            for name in ("registration_opens_at", "registration_closes_at"):
                if data.get(name):
                    data[name] = _in_zone(data[name], zone_name)
        return data

    def event_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SlotGridForm(forms.Form):
    """A grid of equal slots over some days, with breaks; names match services.slots_generate's arguments."""

    days = forms.CharField(
        label=_("Days"),
        help_text=_("A range or a list, e.g. 2025-05-10 .. 2025-05-12 or 2025-05-10, 2025-05-12."),
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "2025-05-10 .. 2025-05-12"}),
    )
    day_start = forms.TimeField(label=_("Day starts"), initial=time(9, 0), widget=TIME_WIDGET)
    day_end = forms.TimeField(label=_("Day ends"), initial=time(17, 0), widget=TIME_WIDGET)
    minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=5, max_value=240, initial=30)
    breaks = forms.CharField(
        label=_("Breaks"),
        required=False,
        help_text=_("Optional; several allowed, e.g. 12:30-13:30, 16:00-16:15."),
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "12:30-13:30"}),
    )
    tables = forms.IntegerField(
        label=_("Tables per slot"), required=False, min_value=1, help_text=_("Leave blank for unlimited (virtual).")
    )
    location = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=200,
        help_text=_("For delegation visits: the city or zone of this grid."),
    )

    def clean_days(self) -> list[date]:
        return parse_days(self.cleaned_data["days"])

    def clean_breaks(self) -> list[tuple[time, time]]:
        return parse_breaks(self.cleaned_data.get("breaks") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("day_start"), data.get("day_end")
        if start and end and end <= start:
            self.add_error("day_end", _("The day must end after it starts."))
        return data

    def grid_arguments(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class ScheduleRunForm(forms.Form):
    time_limit = forms.FloatField(label=_("Time limit (seconds)"), min_value=1, initial=30)
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**31 - 1, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The cap and the hourly budget are settings: bound and explain the field when the form is built.
        limit = settings.SCHEDULER_MAX_TIME_LIMIT
        time_limit = self.fields["time_limit"]
        assert isinstance(time_limit, forms.FloatField)
        time_limit.widget.attrs["max"] = limit
        message = _("At most %(limit)d seconds per run.") % {"limit": limit}
        time_limit.validators.append(MaxValueValidator(limit, message=message))
        time_limit.help_text = _(
            "At most %(limit)d seconds per run; each user may start %(runs)d runs with %(seconds)d seconds "
            "of search in total per hour."
        ) % {"limit": limit, "runs": settings.SCHEDULER_RUNS_PER_HOUR, "seconds": settings.SCHEDULER_SECONDS_PER_HOUR}
