"""Issue 13, item 3: the user's only organisation is chosen already in every form that asks for one;
with two, the user chooses (nothing is chosen for them)."""

from __future__ import annotations

import pytest

from silkbridge.accounts.tests.factories import PASSWORD, MembershipFactory
from silkbridge.deals.forms.calls import GrievanceForm, QuestionForm
from silkbridge.deals.forms.proposals import ProposalForm
from silkbridge.directory.models import Organisation
from silkbridge.directory.tests.factories import OrganisationFactory
from silkbridge.events.forms import RegistrationForm
from silkbridge.marketplace.forms import InterestForm, OpportunityForm
from silkbridge.zones.relocation_forms import RelocationRequestForm

pytestmark = pytest.mark.django_db

FORMS = (
    OpportunityForm,
    InterestForm,
    RegistrationForm,
    RelocationRequestForm,
    ProposalForm,
    QuestionForm,
    GrievanceForm,
)


def _selected_options(html: str) -> list[str]:
    return [
        part.split(">", 1)[1].split("<", 1)[0]
        for part in html.split("<option")[1:]
        if " selected" in part.split(">", 1)[0]
    ]


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form_class: form_class.__name__)
def test_the_only_organisation_is_chosen_already_and_two_are_left_to_choose(form_class):
    only = OrganisationFactory(name_en="Indus Agritech")
    form = form_class(organisations=Organisation.objects.filter(pk=only.pk))
    html = str(form["organisation"])
    assert _selected_options(html) == ["Indus Agritech"]
    assert "---------" not in html

    other = OrganisationFactory(name_en="Ravi Robotics")
    form = form_class(organisations=Organisation.objects.filter(pk__in=[only.pk, other.pk]))
    assert [name for name in _selected_options(str(form["organisation"])) if name != "---------"] == []


def test_the_new_proposal_page_has_the_members_only_organisation_chosen(client):
    membership = MembershipFactory(organisation=OrganisationFactory(name_en="Indus Agritech"))
    authority = OrganisationFactory(name_en="Capital Development Authority")
    client.login(email=membership.user.email, password=PASSWORD)
    page = client.get(f"/deals/proposals/new/?to={authority.key}").content.decode()
    select = page.split('name="organisation"', 1)[1].split("</select>", 1)[0]
    assert _selected_options(select) == ["Indus Agritech"]
