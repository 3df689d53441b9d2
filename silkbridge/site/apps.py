from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "silkbridge.site"
    label = "site"
