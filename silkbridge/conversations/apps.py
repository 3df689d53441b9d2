from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "silkbridge.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from silkbridge.conversations.models import Message
        from silkbridge.conversations.services import attachments_forget_with_meetings
        from silkbridge.events import hooks as events_hooks
        from silkbridge.translations import registry

        # A message's body is machine-translated in the background like any other free text (the
        # translations app); its language is detected from its script when it is posted.
        registry.register(Message, fields=("body",), language_of=lambda message: message.language)
        # A deleted meeting takes its thread with it (a database cascade); the files of its attachments
        # leave the storage once the deletion is committed.
        events_hooks.meetings_deleting.register(attachments_forget_with_meetings)
