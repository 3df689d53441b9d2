from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "silkbridge.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Registers the account mails' makers (@mail_message), which a worker looks up by path.
        from silkbridge.accounts import emails  # noqa: F401
