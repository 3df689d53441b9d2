"""Finding 3 of issue 9: the embedded mode signed with a key that was in the repository.

Each installation now makes its own random key on first start (VAR_DIR/secret_key, mode 0600) and
reads it back on later starts; links signed with the old public key are refused.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signing
from django.test import override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from silkbridge.accounts.models import User
from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.accounts.tokens import email_verification_token
from silkbridge.core.secret_key import installation_secret_key
from silkbridge.matching import digest
from silkbridge.matching import services as matching_services

PACKAGE_DIR = Path(__file__).resolve().parents[2]
# Assembled at run time, so that this file does not itself carry the string it looks for.
OLD_PUBLIC_KEY = "-".join(["embedded", "mode", "only", "not", "a", "secret", "0f3c9a7e5b1d"])


def _start(var_dir: Path) -> str:
    """Start the platform's settings in a new process, as `silkbridge runserver` would, and return its key."""
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DJANGO_SECRET_KEY", "SILKBRIDGE_MODE"}
    }
    environment.update({"SILKBRIDGE_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "silkbridge.settings"})
    completed = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return completed.stdout.strip()


def test_a_fresh_installation_makes_a_private_random_key_and_keeps_it(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    key = _start(first)
    key_file = first / "secret_key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key) >= 50
    assert key != OLD_PUBLIC_KEY
    assert _start(first) == key  # a second start reads the same key: sessions and links survive restarts
    assert _start(second) != key  # two installations never share one


def test_processes_starting_together_agree_on_one_key(tmp_path):
    with ProcessPoolExecutor(max_workers=6) as pool:
        keys = set(pool.map(installation_secret_key, [tmp_path] * 12))
    assert keys == {(tmp_path / "secret_key").read_text().strip()}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["secret_key"]  # no temporary file left


def test_a_key_file_copied_with_loose_permissions_is_made_private_again(tmp_path):
    key = installation_secret_key(tmp_path)
    (tmp_path / "secret_key").chmod(0o644)
    assert installation_secret_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_the_test_run_itself_does_not_sign_with_the_old_public_key():
    assert settings.SECRET_KEY != OLD_PUBLIC_KEY


def test_the_old_public_key_is_nowhere_in_the_code():
    found = [
        str(path.relative_to(PACKAGE_DIR.parent))
        for path in PACKAGE_DIR.rglob("*")
        if path.is_file()
        and path.suffix in {".py", ".txt", ".html", ".po", ".yaml", ".json", ".toml", ".cfg"}
        and OLD_PUBLIC_KEY[:31] in path.read_text(encoding="utf-8", errors="ignore")
    ]
    for extra in ("README.md", ".env.example", "Makefile", "pyproject.toml"):
        path = PACKAGE_DIR.parent / extra
        if path.exists() and OLD_PUBLIC_KEY[:31] in path.read_text(encoding="utf-8"):
            found.append(extra)
    assert found == []


@pytest.mark.django_db
def test_a_digest_opt_out_link_forged_with_the_old_key_is_refused(client):
    victim = UserFactory(email="victim@example.org")
    matching_services.digest_set(user=victim, weekly=True)
    forged = signing.dumps({"user": victim.pk}, key=OLD_PUBLIC_KEY, salt=digest.SALT)
    assert digest.user_for_token(forged) is None
    page = client.get(reverse("matching:digest_opt_out", kwargs={"token": forged}))
    assert page.status_code == 404
    assert "victim@example.org" not in page.content.decode()
    client.post(reverse("matching:digest_opt_out", kwargs={"token": forged}))
    assert matching_services.digest_wanted(user=victim) is True
    # A link the installation signed itself still works.
    genuine = digest.opt_out_token(victim)
    assert client.get(reverse("matching:digest_opt_out", kwargs={"token": genuine})).status_code == 200


@pytest.mark.django_db
def test_an_email_verification_forged_with_the_old_key_is_refused(client):
    someone_else = User.objects.create_user("ceo@bank.example", "correct-horse-battery-9")
    with override_settings(SECRET_KEY=OLD_PUBLIC_KEY):
        forged_token = email_verification_token.make_token(someone_else)
    uid = urlsafe_base64_encode(force_bytes(someone_else.pk))
    response = client.get(reverse("accounts:verify_email", kwargs={"uidb64": uid, "token": forged_token}))
    assert response.status_code == 400
    someone_else.refresh_from_db()
    assert someone_else.email_verified_at is None
