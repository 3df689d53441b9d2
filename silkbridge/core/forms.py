"""Form helpers shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field_name, field_messages in error.message_dict.items():
            for message in field_messages:
                form.add_error(field_name if field_name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
