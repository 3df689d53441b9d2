from typing import Any

from ninja import Field, Schema


class MembershipOut(Schema):
    organisation: str = Field(..., alias="organisation.key")
    role: str


class UserOut(Schema):
    email: str
    full_name: str
    role: str
    language: str
    time_zone: str
    currency: str
    is_email_verified: bool
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_memberships(obj: Any) -> list[Any]:
        return list(obj.memberships.select_related("organisation"))


class UserPatch(Schema):
    full_name: str | None = Field(None, max_length=200)
    language: str | None = Field(None, max_length=16)
    time_zone: str | None = Field(None, max_length=64)
    currency: str | None = Field(
        None, max_length=3, description="ISO 4217 code amounts are converted into; empty follows the language."
    )
