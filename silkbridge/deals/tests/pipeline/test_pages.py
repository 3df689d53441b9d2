"""The deal pages: start a deal from a lead, the deal with its history, the staff board in three
languages with its buttons, filters, export and query budget."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from silkbridge.accounts.tests.factories import PASSWORD, StaffFactory
from silkbridge.deals.models import Deal, DealEvent
from silkbridge.deals.services import pipeline as services
from silkbridge.directory.tests.factories import OrganisationFactory

from .factories import accepted_interest, age, manual_deal, rated_meeting

pytestmark = pytest.mark.django_db


def _staff_client(client, language: str = "en"):
    staff = StaffFactory()
    client.login(email=staff.email, password=PASSWORD)
    client.cookies["django_language"] = language
    return staff


def test_a_side_starts_a_deal_from_an_accepted_interest_through_the_page(client):
    interest, sender, _owner = accepted_interest()
    client.login(email=sender.email, password=PASSWORD)
    url = f"/deals/start/?interest={interest.pk}"
    page = client.get(url).content.decode()
    assert interest.organisation.display_name in page
    assert interest.opportunity.organisation.display_name in page
    response = client.post(url, {"title": "X-ray AI licence", "subject": "licence"})
    deal = Deal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.reference}/"
    assert deal.interest == interest
    again = client.post(url, {"title": "Twice", "subject": "licence"})
    assert again.status_code == 400
    assert f"({deal.reference})" in again.content.decode()
    assert Deal.objects.count() == 1


def test_an_accepted_interest_offers_start_a_deal_and_a_second_click_opens_the_first(client):
    interest, sender, owner = accepted_interest()
    client.login(email=owner.email, password=PASSWORD)
    page = client.get(f"/marketplace/interests/{interest.pk}/").content.decode()
    assert f'href="/deals/start/?interest={interest.pk}"' in page
    deal = services.deal_start(
        actor=sender, title="Licence", subject="licence", organisations=[], origin="interest", interest=interest
    )
    response = client.get(f"/deals/start/?interest={interest.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.reference}/"


def test_a_meeting_rated_cooperation_possible_offers_start_a_deal_on_the_agenda(client):
    meeting, requester, _recipient = rated_meeting()
    client.login(email=requester.email, password=PASSWORD)
    page = client.get(f"/events/{meeting.event.slug}/agenda/").content.decode()
    assert f'href="/deals/start/?meeting={meeting.pk}"' in page
    form = client.get(f"/deals/start/?meeting={meeting.pk}").content.decode()
    assert meeting.request.recipient.organisation.display_name in form


def test_a_meeting_id_in_the_address_is_checked(client):
    meeting, requester, _recipient = rated_meeting(outcome="informative")
    client.login(email=requester.email, password=PASSWORD)
    response = client.get(f"/deals/start/?meeting={meeting.pk}")
    assert response.status_code == 400
    assert "Only a meeting rated “cooperation possible” can start a deal." in response.content.decode()
    response = client.get("/deals/start/?meeting=not-a-number")
    assert response.status_code == 400
    response = client.get(f"/deals/start/?meeting={meeting.pk + 1000}")
    assert "No meeting of your organisations has this number." in response.content.decode()
    assert client.post(f"/deals/start/?meeting={meeting.pk}", {"title": "x", "subject": "other"}).status_code == 400
    assert not Deal.objects.exists()


def test_the_deal_page_shows_parties_next_step_and_history_from_to_with_the_note(client):
    deal = manual_deal()
    services.deal_stage_set(actor=deal.owner, deal=deal, stage="stalled", note="Waiting for the budget")
    client.login(email=deal.owner.email, password=PASSWORD)
    page = client.get(f"/deals/{deal.reference}/").content.decode()
    for party in deal.parties.all():
        assert party.organisation.display_name in page
    assert re.search(r"Lead\s*→\s*Stalled", page)
    assert "Waiting for the budget" in page
    assert "Save the next step" in page


def test_staff_move_a_card_from_the_board_and_the_reason_is_asked_for(client):
    staff = _staff_client(client)
    deal = manual_deal(staff=staff)
    url = f"/deals/{deal.reference}/stage/"
    response = client.post(url, {"stage": "withdrawn", "note": "", "board": "owner=" + str(staff.pk)}, follow=True)
    assert response.redirect_chain[-1][0] == f"/deals/board/?owner={staff.pk}"
    assert "Say why the deal is declined, withdrawn or stalled." in response.content.decode()
    deal.refresh_from_db()
    assert deal.stage == "lead"
    client.post(url, {"stage": "proposal", "note": "", "board": ""})
    deal.refresh_from_db()
    assert deal.stage == "proposal"
    assert DealEvent.objects.filter(deal=deal, kind="stage_changed").count() == 1


def test_the_board_shows_cards_by_stage_with_time_in_stage_and_overdue_steps(client):
    staff = _staff_client(client)
    deal = age(manual_deal(staff=staff, title="Relocation to Islamabad STZ", subject="relocation"), days_in_stage=12)
    services.deal_next_step_set(
        actor=staff, deal=deal, next_step="Site visit", due_on=timezone.localdate() + timedelta(days=1)
    )
    Deal.objects.filter(pk=deal.pk).update(next_step_on=timezone.localdate() - timedelta(days=2))
    page = client.get("/deals/board/").content.decode()
    column = page.split('id="stage-lead"')[1].split("</section>")[0]
    assert "Relocation to Islamabad STZ" in column
    assert "12 days" in column
    assert "overdue" in column
    assert 'id="stage-mou_drafting"' in page  # every stage has its column, empty ones too
    assert page.count('<button type="submit" class="button button-small">Move</button>') == 1


@pytest.mark.parametrize(
    ("language", "direction", "stage_label"),
    [("zh-hans", "ltr", "起草谅解备忘录"), ("ur", "rtl", "مفاہمتی یادداشت کا مسودہ")],
)
def test_the_board_in_chinese_and_urdu(client, language, direction, stage_label):
    _staff_client(client, language)
    manual_deal(title="数据中心项目")
    page = client.get("/deals/board/").content.decode()
    assert f'dir="{direction}"' in page
    assert stage_label in page
    assert "数据中心项目" in page
    assert ">Lead<" not in page


def test_board_filters_by_sector_country_owner_and_age(client):
    staff = _staff_client(client)
    other = StaffFactory()
    cloud = manual_deal(
        OrganisationFactory(country="CN"), OrganisationFactory(country="PK"), title="Cloud", staff=staff
    )
    from silkbridge.directory.models import Sector

    services.deal_update(actor=staff, deal=cloud, fields={"sector": Sector.objects.get(code="cloud.datacenter")})
    age(
        manual_deal(OrganisationFactory(country="AE"), OrganisationFactory(country="PK"), title="Old", staff=other),
        days_old=60,
    )

    def titles(query: str) -> set[str]:
        page = client.get(f"/deals/board/?{query}").content.decode()
        return set(re.findall(r'<h3 class="card-title"><a [^>]*>([^<]+)</a>', page))

    assert titles("sector=cloud") == {"Cloud"}
    assert titles("country=AE") == {"Old"}
    assert titles(f"owner={other.pk}") == {"Old"}
    assert titles("older_than=30") == {"Old"}
    assert titles("") == {"Cloud", "Old"}
    page = client.get("/deals/board/?sector=nothing-like-this").content.decode()
    assert "Some filters could not be applied" in page


def test_board_export_as_csv_and_xlsx_with_the_filters_and_spreadsheet_safe_cells(client):
    staff = _staff_client(client)
    manual_deal(
        OrganisationFactory(country="CN"), OrganisationFactory(country="PK"), title="=HYPERLINK(1)", staff=staff
    )
    manual_deal(OrganisationFactory(country="AE"), OrganisationFactory(country="PK"), title="Gulf investor")
    response = client.get("/deals/board/export/?format=csv&country=CN")
    assert response["Content-Disposition"] == 'attachment; filename="deals.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Reference", "Title", "Subject", "Stage"]
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][3] == "Lead"
    workbook = load_workbook(io.BytesIO(client.get("/deals/board/export/?format=xlsx").content))
    sheet_rows = list(workbook.active.iter_rows(values_only=True))
    assert len(sheet_rows) == 3
    assert {row[1] for row in sheet_rows[1:]} == {"=HYPERLINK(1)", "Gulf investor"}


def test_the_board_runs_a_fixed_number_of_queries_for_30_deals(client, django_assert_max_num_queries):
    staff = _staff_client(client)
    partners = [OrganisationFactory(country="CN") for _ in range(3)]
    for number in range(30):
        manual_deal(partners[number % 3], OrganisationFactory(), title=f"Deal {number}", staff=staff)
    # Session, user, deals (with sector and owner), parties (with organisations), the sector and
    # owner choices of the filters, the countries present among the parties (cached for five minutes), the
    # header's unread-notification count: the same eight for 1 deal or 300.
    with django_assert_max_num_queries(8):
        response = client.get("/deals/board/")
    assert response.content.decode().count('class="card deal-card"') == 30
