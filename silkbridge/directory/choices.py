from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    RESEARCH = "research", _("University or research institute")
    INVESTOR = "investor", _("Investor")
    GOVERNMENT = "government", _("Government body")
    ZONE_DEVELOPER = "zone_developer", _("Zone developer")
    ASSOCIATION = "association", _("Association")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: everyone")
    MEMBERS = "members", _("Members: signed-in users")
    PRIVATE = "private", _("Private: the organisation and staff")


class SizeBand(models.TextChoices):
    MICRO = "1-10", _("1–10 people")
    SMALL = "11-50", _("11–50 people")
    MEDIUM = "51-200", _("51–200 people")
    LARGE = "201-1000", _("201–1,000 people")
    VERY_LARGE = "1001-5000", _("1,001–5,000 people")
    ENTERPRISE = "5000+", _("More than 5,000 people")


class ContentLanguage(models.TextChoices):
    """The language an organisation writes in (not necessarily a UI language)."""

    ENGLISH = "en", _("English")
    CHINESE = "zh", _("Chinese")
    URDU = "ur", _("Urdu")


class ImportStatus(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    COMPLETED_WITH_ERRORS = "completed_with_errors", _("Completed with errors")
    REJECTED = "rejected", _("Rejected: nothing imported")


class OrganisationEventKind(models.TextChoices):
    """What an organisation's history row records."""

    VERIFIED = "verified", _("Verified by staff")
    VERIFICATION_WITHDRAWN = "verification_withdrawn", _("Verification withdrawn by staff")
    IDENTITY_CHANGED = "identity_changed", _("Name, country or website changed")
    VERIFICATION_CLEARED = "verification_cleared", _("Name, country or website changed; verification cleared")
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Details changed")
    IMPORTED = "imported", _("Created or changed by an import")


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ClaimProof(models.TextChoices):
    """How a claim was decided: the user's verified e-mail at the organisation's domain, or staff."""

    EMAIL_DOMAIN = "email_domain", _("E-mail address at the organisation's domain")
    STAFF = "staff", _("Staff decision")
