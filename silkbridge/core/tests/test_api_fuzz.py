"""Schema fuzzing: schemathesis against the running platform's OpenAPI document (issue 9's CI suite).

The platform runs as pytest-django's live server (a real HTTP server in a thread, on the test
database: SQLite in the first CI pass, PostgreSQL in the second) with the demo data loaded. Every
operation of /api/v1/openapi.json is called with data generated from its schema — valid data and
data that breaks the schema — and each generated request is sent twice: anonymously and with a
member's API token. A 500, or a response whose status, content type or body the document does not
describe, fails the test with the operation, the caller, the request that caused it and the reason.

Generating a case costs about three times what the platform spends answering it (a py-spy profile,
docs/benchmarks.md "CI duration"), so each case is generated once and sent by both callers. A failed
check is recorded per caller inside the case, so Hypothesis does not shrink it: the report gives the
first failing request as sent (with its curl line), which derandomize makes the same on every run.

SILKBRIDGE_FUZZ_EXAMPLES sets the examples per operation and mode (default 10: 136 operations ×
2 modes × 10 examples × 2 callers = 5,440 requests).
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

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.long]
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


def _run(
    operation: Any, mode: Any, base_url: str, callers: dict[str, dict[str, str]], counter: Counter
) -> dict[str, str]:
    """Send each case generated for one operation and mode as every caller; the first failure per caller."""
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    failed: dict[str, str] = {}

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
        for caller, headers in callers.items():
            if caller in failed:
                continue
            counter[caller] += 1
            try:
                response = case.call(base_url=base_url, headers=headers, timeout=60)
                case.validate_response(response, checks=checks)
            except (Exception, BaseExceptionGroup) as error:  # a failed check, with the request that caused it
                failed[caller] = "".join(traceback.format_exception_only(error)).strip()

    call()
    return failed


def _fuzz(schema: Any, base_url: str, callers: dict[str, dict[str, str]], counter: Counter) -> list[str]:
    from schemathesis import GenerationMode

    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                failed = _run(operation, mode, base_url, callers, counter)
            except (Exception, BaseExceptionGroup) as error:  # no case could be made or sent: for every caller
                failed = {"every caller": "".join(traceback.format_exception_only(error)).strip()}
            failures += [f"{operation.label} [{mode.value}, {caller}]: {text}" for caller, text in failed.items()]
    return failures


def test_every_operation_keeps_to_the_openapi_document(live_server, settings, tmp_path):
    import schemathesis

    settings.VAR_DIR = tmp_path  # the demo staff password file
    # With the reference data: transactional tests run last and each empties the database when it ends.
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    token = _member_token()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    counter: Counter = Counter()
    callers = {"anonymous": {}, "member": {"Authorization": f"Bearer {token}"}}
    failures = _fuzz(schema, live_server.url, callers, counter)
    print(f"fuzzed requests: {dict(counter)}, {EXAMPLES} examples per operation and mode")
    assert failures == [], "\n\n".join(failures)
