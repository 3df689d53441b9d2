"""Reading settings from the environment (django-environ), strictly: a bad value stops start-up with a
message that names the variable, the value and what is expected.

django-environ on its own is lenient in ways that hide mistakes in production: `DJANGO_DEBUG=flase` reads
as False, `SILKBRIDGE_LOGIN_DELAY_BASE=1.5s` as 1.5 (it strips what is not a digit), and a value that
starts with `$` is taken as the name of another variable (a password such as `$ecret` would then fail
with "Set the ecret environment variable"). `StrictEnv` keeps django-environ's URL parsers (database,
cache, e-mail) and its `.env` reader, and changes three things:

- an unset or empty variable means "use the default" (what the settings did before django-environ);
- booleans are one of 1/true/yes/on or 0/false/no/off, numbers are plain numbers;
- no `$` indirection: a value is taken as written.

Plain Python (settings import it before Django is set up).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})

_EXPECTED = {
    bool: "one of 1, true, yes, on, 0, false, no, off",
    int: "a whole number",
    float: "a number",
}


class StrictEnv(environ.Env):
    """environ.Env whose every parse failure is an ImproperlyConfigured naming the variable."""

    def get_value(
        self, var: str, cast: Any = None, default: Any = environ.Env.NOTSET, parse_default: bool = False
    ) -> Any:
        raw = self.ENVIRON.get(var)
        if raw is None or raw.strip() == "":
            if default is self.NOTSET:
                raise ImproperlyConfigured(f"{var} must be set.")
            return default
        value = raw if cast in (None, str) else raw.strip()
        try:
            return self.parse_value(value, cast)
        except (ValueError, TypeError) as error:
            expected = _EXPECTED.get(cast, "a valid value")
            raise ImproperlyConfigured(f"{var}={raw!r} is not valid: expected {expected}.") from error

    @classmethod
    def parse_value(cls, value: Any, cast: Any) -> Any:
        if cast is bool:
            word = value.strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValueError(value)
        if cast is float:
            return float(value)
        if cast is int:
            return int(value)
        if cast is list:
            return [item.strip() for item in value.split(",") if item.strip()]
        return super().parse_value(value, cast)

    def list(self, var: str, cast: Any = None, default: Any = environ.Env.NOTSET) -> Any:
        """Comma-separated, blanks dropped; an empty list (e.g. "," alone) counts as unset."""
        value = self.get_value(var, cast=list, default=default)
        return value or default

    def positive_int(self, var: str, default: int) -> int:
        """A whole number of at least 0 (counts, sizes, seconds)."""
        value = self.int(var, default=default)
        if value < 0:
            raise ImproperlyConfigured(f"{var}={value} is not valid: expected a whole number of at least 0.")
        return value

    def positive_float(self, var: str, default: float) -> float:
        value = self.float(var, default=default)
        if value < 0:
            raise ImproperlyConfigured(f"{var}={value} is not valid: expected a number of at least 0.")
        return value

    def choice(self, var: str, choices: tuple[str, ...], default: str) -> str:
        value = self.str(var, default=default).strip()
        if value not in choices:
            raise ImproperlyConfigured(f"{var}={value!r} is not valid: expected one of {', '.join(choices)}.")
        return value

    def db_url(self, var: str = "DATABASE_URL", default: Any = environ.Env.NOTSET, engine: Any = None) -> Any:
        return self._url_config(
            var, default, self.db_url_config, "a database URL such as postgres://user:password@host:5432/name"
        )

    def cache_url(self, var: str = "CACHE_URL", default: Any = environ.Env.NOTSET, backend: Any = None) -> Any:
        return self._url_config(
            var,
            default,
            self.cache_url_config,
            "a cache URL such as dbcache://silkbridge_cache, locmemcache:// or redis://host:6379/0",
        )

    def email_url(self, var: str = "EMAIL_URL", default: Any = environ.Env.NOTSET, backend: Any = None) -> Any:
        return self._url_config(
            var,
            default,
            self.email_url_config,
            "an e-mail URL such as smtp+tls://user:password@host:587 or consolemail://",
        )

    def _url_config(self, var: str, default: Any, parse: Any, expected: str) -> dict[str, Any]:
        url = self.get_value(var, default=default)
        try:
            config = parse(url)
            if not config:
                raise ValueError(url)
        except (ImproperlyConfigured, ValueError, KeyError, IndexError) as error:
            raise ImproperlyConfigured(
                f"{var}={_without_password(url)!r} is not valid: expected {expected}."
            ) from error
        return dict(config)


def _without_password(url: str) -> str:
    """The URL as an error message may show it: a password in it is replaced by ***."""
    scheme, separator, rest = url.partition("://")
    if not separator or "@" not in rest:
        return url
    credentials, _at, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url


_HOST_NAME = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*")


def tile_server_origin(var: str, url: str) -> str:
    """The origin (https://host[:port]) of a slippy-map tile URL template such as
    https://tile.openstreetmap.org/{z}/{x}/{y}.png, for the Content-Security-Policy's img-src.

    Only https with a plain host name and the {z}, {x} and {y} placeholders in the path: anything else
    (http, javascript:, no host, a user name, a {s} subdomain) is refused with a message naming the variable."""
    expected = "an https tile address such as https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"{var}={url!r} is not valid: expected {expected}.") from error
    host = parts.hostname or ""
    if (
        parts.scheme.lower() != "https"
        or not host
        or "@" in parts.netloc
        or not _HOST_NAME.fullmatch(host)
        or "\\" in url
        or any(character.isspace() for character in url)
        or not all(placeholder in parts.path for placeholder in ("{z}", "{x}", "{y}"))
    ):
        raise ImproperlyConfigured(f"{var}={url!r} is not valid: expected {expected}.")
    return f"https://{host}" + (f":{port}" if port else "")
