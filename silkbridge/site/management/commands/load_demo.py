"""`silkbridge load_demo`: the fictional demo organisations, event and profiles (with their matches) and the
demo staff account. It lives on the top floor because it composes every domain."""

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from silkbridge.accounts.services import demo_staff_ensure
from silkbridge.deals.demo import demo_deals_ensure
from silkbridge.deals.demo_relocation import demo_relocation_ensure
from silkbridge.deals.models import Deal
from silkbridge.directory.loaders import DATA_DIR, organisations_load
from silkbridge.events.demo import demo_case_site_visit_ensure, demo_delegation_ensure, demo_event_ensure
from silkbridge.marketplace.demo import demo_opportunities_ensure
from silkbridge.matching.services import in_worker, rebuild

DEMO_STAFF_EMAIL = "staff@silkbridge.example"


def demo_password(*, reset: bool = False) -> str:
    """A random password made once per installation and kept under var/, so re-runs print the same
    (`reset`: a new one replaces it)."""
    path = Path(settings.VAR_DIR) / "demo-staff-password.txt"
    if not reset and path.is_file() and path.read_text().strip():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = "demo-" + secrets.token_urlsafe(9)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


class Command(BaseCommand):
    help = "Load the reference data, the fictional demo organisations and the demo staff account."

    def add_arguments(self, parser):
        parser.add_argument("--no-reference", action="store_true", help="Skip loading the reference data.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_reference"]:
            call_command("load_reference", stdout=self.stdout)
        self.stdout.write(
            f"demo organisations: {organisations_load(DATA_DIR / 'demo_organisations.yaml', is_demo=True)}"
        )
        password = demo_password()
        staff, created = demo_staff_ensure(email=DEMO_STAFF_EMAIL, password=password)
        event, event_created = demo_event_ensure(staff=staff)
        self.stdout.write(f"demo event: {event.slug} ({'created' if event_created else 'unchanged'})")
        created_profiles = demo_opportunities_ensure(staff=staff)
        with in_worker():  # load_demo is a command, a worker's kind of process: it may build the index
            profiles = {**created_profiles, **rebuild()}
        self.stdout.write(
            f"demo opportunity profiles: {profiles['created']} created; {profiles['matches']} matches computed"
        )
        # After the matches: the delegation's hosts are those the marketplace matched with its members.
        visit, visit_created = demo_delegation_ensure(staff=staff)
        self.stdout.write(f"demo delegation visit: {visit.slug} ({'created' if visit_created else 'unchanged'})")
        deals = demo_deals_ensure(password=password)
        if deals["call"] is None:
            self.stdout.write(f"demo call for proposals: skipped ({deals['skipped']})")
        else:
            state = "created" if deals["created"] else "unchanged"
            self.stdout.write(f"demo call for proposals: {deals['call'].slug} ({state})")
        relocation = self._relocation(password, staff)
        self.stdout.write("")
        self.stdout.write("Demo staff account" + (" (created)" if created else "") + ":")
        self.stdout.write(f"  e-mail:   {DEMO_STAFF_EMAIL}")
        self.stdout.write(f"  password: {password}")
        if deals["people"]:
            self.stdout.write(
                "The deals demo's people (the CDA's chair, two reviewers, three companies), same password:"
            )
            for email in deals["people"]:
                self.stdout.write(f"  {email}")
        if relocation["people"]:
            self.stdout.write("The relocation demo's people (STZA's officer, three companies), same password:")
            for email in relocation["people"]:
                self.stdout.write(f"  {email}")

    def _relocation(self, password: str, staff: Any) -> dict[str, Any]:
        """Three fictional companies' relocation requests and one case at the site visit."""
        relocation = demo_relocation_ensure(password=password)
        if relocation["case"] is None:
            self.stdout.write(f"demo relocation requests: skipped ({relocation['skipped']})")
        else:
            state = "created" if relocation["created"] else "unchanged"
            self.stdout.write(
                f"demo relocation requests: {relocation['requests']}; "
                f"case {relocation['case']} at the site visit ({state})"
            )
            # The case's site visit takes place inside the demo delegation visit (issue 14 item 7).
            case = Deal.objects.get(reference=relocation["case"])
            if case.relocation_request_id is not None and case.zone is not None:
                added = demo_case_site_visit_ensure(
                    staff=staff, relocation_request_id=case.relocation_request_id, zone_key=case.zone.key
                )
                self.stdout.write(f"demo case site visit in the delegation visit: {'added' if added else 'unchanged'}")
        return relocation
