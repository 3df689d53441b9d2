"""Models that moved between apps keep their tables and rows: a database migrated to the state before
the move migrates forward without copying or losing anything (runs on SQLite and, in CI, PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.long]


@pytest.fixture(autouse=True)
def _reload_reference_data():
    """A transactional test empties every table when it ends; put back what the other tests read."""
    yield
    from silkbridge.conftest import reference_data_load

    reference_data_load()


def _migrate(targets: list[tuple[str, str | None]]):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    # The models as they were at the targets (an app migrated back to nothing has none).
    nodes = [(app, name) for app, name in targets if name is not None]
    return executor.loader.project_state([*nodes, ("contenttypes", "0002_remove_content_type_name")]).apps


def _latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_currency_rates_move_from_matching_to_money_with_their_rows():
    latest = _latest()
    old = _migrate([("matching", "0002_text_embedding"), ("money", None)])
    old_rate = old.get_model("matching", "CurrencyRate")
    old_rate.objects.create(currency="PKR", units_per_usd=Decimal("281.5"), valid_from=date(2026, 1, 2), source="SBP")
    content_type = old.get_model("contenttypes", "ContentType")
    content_type.objects.get_or_create(app_label="matching", model="currencyrate")

    _migrate(latest)

    from django.contrib.contenttypes.models import ContentType

    from silkbridge.money.models import CurrencyRate

    assert CurrencyRate._meta.db_table == "matching_currencyrate"
    assert list(CurrencyRate.objects.values_list("currency", "units_per_usd", "valid_from", "source")) == [
        ("PKR", Decimal("281.500000"), date(2026, 1, 2), "SBP")
    ]
    assert ContentType.objects.filter(app_label="money", model="currencyrate").count() == 1
    assert not ContentType.objects.filter(app_label="matching", model="currencyrate").exists()


def test_memberships_and_invitations_move_from_accounts_to_directory_with_their_rows():
    latest = _latest()
    old = _migrate([("directory", "0004_free_text_length_limits"), ("accounts", "0004_membership_invitation")])
    user = old.get_model("accounts", "User").objects.create(email="owner@example.org", password="!")
    organisation = old.get_model("directory", "Organisation").objects.create(
        key="moved-memberships", kind="company", name_en="Moved Memberships", language="en", country="PK"
    )
    old.get_model("accounts", "Membership").objects.create(user=user, organisation=organisation, role="owner")
    old.get_model("accounts", "MembershipInvitation").objects.create(
        organisation=organisation,
        email="invitee@example.org",
        role="member",
        token_hash="a" * 64,
        invited_by=user,
        expires_at=timezone.now() + timedelta(days=7),
    )

    _migrate(latest)

    from silkbridge.directory.models import Membership, MembershipInvitation
    from silkbridge.directory.selectors import is_member, is_owner, organisation_ids_of

    assert (Membership._meta.db_table, MembershipInvitation._meta.db_table) == (
        "accounts_membership",
        "accounts_membershipinvitation",
    )
    assert list(Membership.objects.values_list("user__email", "organisation_id", "role")) == [
        ("owner@example.org", organisation.pk, "owner")
    ]
    assert list(MembershipInvitation.objects.values_list("email", "invited_by__email")) == [
        ("invitee@example.org", "owner@example.org")
    ]
    owner = Membership.objects.get().user
    assert organisation_ids_of(owner) == [organisation.pk]
    assert is_member(owner, organisation.pk)
    assert is_owner(owner, organisation.pk)
