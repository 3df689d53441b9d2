"""Every page is served under a Content-Security-Policy that refuses inline script (issue 9, item 13c).

The policy only helps if the pages keep to it: a page with an inline <script>, an on…= handler or a
style="" attribute would break under it. So every parameterless page (as staff, who see the most),
and the pages with bars, confirmations and the print button, are fetched and their HTML checked.
The browser test (test_browser.py) loads the same kinds of pages in Chromium and fails on any
violation the browser reports.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from silkbridge.accounts.tests.factories import StaffFactory
from silkbridge.datacenters import services as datacenter_services
from silkbridge.directory.models import Organisation
from silkbridge.events.tests.factories import EventFactory, in_days

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "datacenters"
NONCE = re.compile(r"'nonce-([^']+)'")


class InlineCodeFinder(HTMLParser):
    """Collects what a strict policy would block: inline scripts without the nonce, handlers, styles."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in attributes:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
        if "style" in attributes:
            self.problems.append(f"<{tag} style=…>")
        executable = tag == "script" and attributes.get("type") in (None, "", "text/javascript", "module")
        is_inline = (executable and "src" not in attributes) or tag == "style"
        if is_inline and (self.nonce is None or attributes.get("nonce") != self.nonce):
            self.problems.append(f"inline <{tag}> without the response's nonce")


def _paths_without_parameters(resolver=None, prefix: str = "") -> list[str]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if "<" not in pattern and "^" not in pattern:
                found.extend(_paths_without_parameters(entry, prefix + pattern))
        elif isinstance(entry, URLPattern) and "<" not in pattern and "^" not in pattern and "(" not in pattern:
            found.append("/" + prefix + pattern.removesuffix("$"))
    return sorted(set(found))


def _check(response) -> list[str]:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, response.request["PATH_INFO"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    if "text/html" not in response.headers.get("Content-Type", ""):
        return []
    nonce = NONCE.search(policy)
    finder = InlineCodeFinder(nonce.group(1) if nonce else None)
    finder.feed(response.content.decode())
    return finder.problems


def test_every_page_has_the_policy_and_no_inline_code(client):
    staff = StaffFactory()
    client.force_login(staff)
    event = EventFactory(slot_days=[in_days(20)])
    assessment = datacenter_services.assessment_create(
        actor=staff,
        design=datacenter_services.UploadedText(name="tier3.yaml", content=(EXAMPLES / "tier3.yaml").read_bytes()),
        years=1_000,
        seed=1,
    )
    organisation = Organisation.objects.filter(visibility="public").order_by("key").first()
    paths = [
        *_paths_without_parameters(),
        reverse("events:manage", kwargs={"slug": event.slug}),
        reverse("events:event_detail", kwargs={"slug": event.slug}),
        reverse("datacenters:assessment_detail", kwargs={"reference": assessment.reference}),
        reverse("directory:organisation_detail", kwargs={"key": organisation.key}),
        "/api/v1/docs",
        "/no-such-page/",
    ]
    checked, problems = 0, {}
    for path in paths:
        response = client.get(path)
        if response.status_code in {301, 302, 405}:
            continue
        checked += 1
        found = _check(response)
        if found:
            problems[path] = found
    assert problems == {}
    assert checked >= 25


def test_the_api_docs_load_their_scripts_from_our_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'<script src="([^"]+)"', html) == [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    assert _check(response) == []
