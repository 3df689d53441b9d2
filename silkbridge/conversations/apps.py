from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "silkbridge.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from silkbridge.conversations.models import Attachment, Message
        from silkbridge.conversations.services import attachment_file_forget
        from silkbridge.translations import registry

        # A thread is deleted with its meeting or interest (a cascade no service of this app sees): its
        # files go with it.
        post_delete.connect(attachment_file_forget, sender=Attachment, dispatch_uid="conversations_attachment_file")

        # A message's body is machine-translated in the background like any other free text (the
        # translations app); its language is detected from its script when it is posted.
        registry.register(Message, fields=("body",), language_of=lambda message: message.language)
