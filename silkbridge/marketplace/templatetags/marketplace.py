from django import template

from silkbridge.marketplace.choices import DealType

register = template.Library()


@register.filter
def deal_type_name(code: str) -> str:
    """The partnership type's name in the reader's language."""
    try:
        return str(DealType(code).label)
    except ValueError:
        return code
