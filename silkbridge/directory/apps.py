from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "silkbridge.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from silkbridge.directory import search
        from silkbridge.directory.loaders import organisations_reindex_all

        search.register("organisations", organisations_reindex_all)
