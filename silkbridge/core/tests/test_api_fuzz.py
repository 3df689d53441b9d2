"""Schema fuzzing: schemathesis against the running platform's OpenAPI document (issue 9's CI suite).

The platform runs as pytest-django's live server (a real HTTP server in a thread, on the test
database: SQLite in the first CI pass, PostgreSQL in the second) with the demo data loaded. Every
operation of /api/v1/openapi.json is called with data generated from its schema — valid data and
data that breaks the schema — once anonymously and once with a member's API token. A 500, or a
response whose status, content type or body the document does not describe, fails the test with
the operation, the request that caused it and the reason.

SILKBRIDGE_FUZZ_EXAMPLES sets the examples per operation, mode and caller (default 10: 61
operations × 2 modes × 2 callers × 10 = 2,440 requests, about 1.5 minutes on two cores; 60 gives
14,640 and about 6 minutes).
"""

from __future__ import annotations

import os
import traceback
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command

from silkbridge.accounts.services import api_token_create
from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.directory.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLES = int(os.environ.get("SILKBRIDGE_FUZZ_EXAMPLES", "10"))


@pytest.fixture(autouse=True)
def _reload_reference_data():
    """A transactional test empties every table when it ends; put back what the other tests read."""
    yield
    from silkbridge.conftest import reference_data_load

    reference_data_load()


def _member_token() -> str:
    from silkbridge.directory.models import Membership

    member = UserFactory(email="fuzz.member@example.org")
    organisation = Organisation.objects.filter(visibility="public", is_demo=True).order_by("key").first()
    Membership.objects.create(user=member, organisation=organisation, role="owner")
    _, secret = api_token_create(user=member, name="schemathesis")
    return secret


def _fuzz(schema: Any, base_url: str, headers: dict[str, str], counter: Counter) -> list[str]:
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis import GenerationMode
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,  # the same cases on every run, so CI failures reproduce
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case: Any) -> None:
                counter["member" if headers else "anonymous"] += 1
                response = case.call(base_url=base_url, headers=headers, timeout=60)
                case.validate_response(response, checks=checks)

            try:
                call()
            except (Exception, BaseExceptionGroup) as error:  # a failed check, with the request that caused it
                text = "".join(traceback.format_exception_only(error)).strip()
                failures.append(f"{operation.label} [{mode.value}, {'member' if headers else 'anonymous'}]: {text}")
    return failures


def test_every_operation_keeps_to_the_openapi_document(live_server, settings, tmp_path):
    import schemathesis

    settings.VAR_DIR = tmp_path  # the demo staff password file
    # With the reference data: transactional tests run last and each empties the database when it ends.
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    token = _member_token()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    counter: Counter = Counter()
    failures = _fuzz(schema, live_server.url, {}, counter)
    failures += _fuzz(schema, live_server.url, {"Authorization": f"Bearer {token}"}, counter)
    print(f"fuzzed cases: {dict(counter)}, {EXAMPLES} examples per operation, mode and caller")
    assert failures == [], "\n\n".join(failures)
