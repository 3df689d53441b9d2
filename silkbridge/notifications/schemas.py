from datetime import datetime

from ninja import Field, Schema


class NotificationOut(Schema):
    id: int
    kind: str = Field(
        description="request_received, answer, meeting, reminder, profile_review, match, event or message."
    )
    title: str = Field(description="In the caller's language.")
    body: str
    url: str = Field(description="Where to act on it (may be empty).")
    created_at: datetime
    read_at: datetime | None


class UnreadCountOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int
