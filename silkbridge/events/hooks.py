"""What events lets upper floors react to, without importing them.

Conversations registers into `meetings_deleting` in its AppConfig.ready() (silkbridge/conversations/apps.py).
"""

from silkbridge.core.hooks import Hook

# Meetings are about to be deleted (cancelled, or their request withdrawn or their participant gone),
# with their ids; fired inside the deleting transaction before the rows go, so a receiver can still read
# what hangs on them (a thread's attachment files, which the database cascade would leave in storage).
meetings_deleting: Hook[[list[int]]] = Hook("events.meetings_deleting")
