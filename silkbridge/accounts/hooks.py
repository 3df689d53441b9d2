"""What accounts asks upper floors for, without importing them (registered in their AppConfig.ready())."""

from typing import Any

from silkbridge.core.hooks import Provider

# The organisations a user belongs to, as the directory lists them (keyword argument `user`); the
# preferences page shows them.
organisations_of_user: Provider[..., Any] = Provider("accounts.organisations_of_user")
