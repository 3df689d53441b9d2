from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "silkbridge.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        # Accounts sits below the directory: its preferences page asks, through this hook, which
        # organisations the user belongs to.
        from silkbridge.accounts import hooks as accounts_hooks
        from silkbridge.directory.selectors import user_organisations

        accounts_hooks.organisations_of_user.register(user_organisations)

        from silkbridge.directory import search
        from silkbridge.directory.loaders import organisations_reindex_all

        search.register("organisations", organisations_reindex_all)

        # Core's runs tell the app when an import run ended (or was reaped): its stored upload goes.
        from silkbridge.core.runs import run_ended
        from silkbridge.directory.importer import import_run_ended

        run_ended.register(import_run_ended)

        # An organisation's description can be translated by its author or a machine (translations).
        from silkbridge.directory.models import Organisation
        from silkbridge.translations import registry

        registry.register(Organisation, fields=("description",), language_of=lambda organisation: organisation.language)
