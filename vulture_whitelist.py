"""Names vulture cannot see being used: framework entry points, found by Django, django-ninja, pytest
and locust by name. `make lint` runs vulture over silkbridge/ with this file. Keep it honest: add a
name only when a framework reads it, in the group that says which one. Dead code is deleted, not listed."""
# ruff: noqa
# fmt: off

# Classes Django loads by dotted path from settings.py (INSTALLED_APPS, MIDDLEWARE,
# AUTHENTICATION_BACKENDS) and AppConfig hooks.
_.AccountsConfig
_.CoreConfig
_.DatacentersConfig
_.DealsConfig
_.DirectoryConfig
_.EventsConfig
_.MarketplaceConfig
_.MatchingConfig
_.MoneyConfig
_.NotificationsConfig
_.SiteConfig
_.TranslationsConfig
_.StorableInputMiddleware
_.ThrottledModelBackend
_.UserPreferencesMiddleware
_.ZonesConfig
# Template context processors, listed by dotted path in settings.TEMPLATES.
_.unread_notifications
_.ready
# Django system checks are called with app_configs by keyword.
_.app_configs
_.verbose_name

# Management commands: Django imports `Command` and calls add_arguments() and handle().
_.Command
_.add_arguments
_.help

# ModelAdmin, inline and list-filter options and hooks: the admin reads them by name.
_.autocomplete_fields
_.can_delete
_.date_hierarchy
_.fieldsets
_.filter_horizontal
_.fk_name
_.get_queryset
_.has_add_permission
_.has_change_permission
_.has_delete_permission
_.inlines
_.list_display
_.list_display_links
_.list_editable
_.list_filter
_.list_select_related
_.login_form
_.lookups
_.model_admin
_.ordering
_.parameter_name
_.prepopulated_fields
_.raw_id_fields
_.readonly_fields
_.search_fields

# Model fields, Meta options, manager and user-model hooks, choices members: read by the ORM,
# templates, forms, admin and serialisers by name (a template's {{ zone.area_note }} is invisible here).
_.title_zh  # deals calls
_.title_ur  # deals calls
_.scope_zh  # deals calls
_.scope_ur  # deals calls
_.eligibility_zh  # deals calls
_.eligibility_ur  # deals calls
_.contact_name  # deals calls
_.contact_email  # deals calls
_.minimum_tier  # deals calls
_.eligibility  # deals calls
_.asked_by  # deals calls
_.asked_by_organisation  # deals calls
_.asked_at  # deals calls
_.opened_by  # deals calls
_.filed_by  # deals calls
_.filed_at  # deals calls
_.appointed_by  # deals reviews: ReviewAssignmentAdmin.fields shows it by name
_.uploaded_by  # deals proposals: the proposal page names who added each document, for the submitter's members
_.DOMESTIC  # deals CounterpartKind: offered through .choices by the MoU form, the routes admin and the API enum
_.ACQUISITION
_.AFTERNOON
_.ALREADY_IN_CONTACT
_.ASSOCIATION
_.BENEFIT_UNCLEAR
_.CHINESE
_.COMMERCIAL_ROUTE_UNCLEAR
_.COMPANY
_.COPYRIGHT
_.DELEGATION
_.DESCRIPTION_UNCLEAR
_.DID_NOT_TAKE_PLACE
_.DISTRIBUTION
_.EMAIL_FIELD
_.ENTERPRISE
_.EQUITY
_.GOVERNMENT
_.HYBRID
_.INFORMATIVE
_.INSUFFICIENT_INTEREST
_.INVESTMENT_OFFER
_.INVESTMENT_REQUEST
_.IT_PARK
_.JOINT_RND
_.JOINT_VENTURE
_.LARGE
_.LICENCE
_.LOAN
_.MEDIUM
_.MICRO
_.NONE
_.NOTIFIED
_.NOT_APPLICABLE
_.NOT_OUR_FIELD
_.NOT_RELEVANT
_.NO_THANKS
_.NO_TIME
_.OPERATIONAL
_.PATENT_APPLIED
_.PATENT_GRANTED
_.PHYSICAL
_.PLANNED
_.REGISTERED_DESIGN
_.REQUIRED_FIELDS
_.RESEARCH
_.RND_REQUEST
_.SECRET_KNOW_HOW
_.SERVICE
_.SEZ
_.STZ
_.SUBCONTRACTING
_.TECHNICAL_COOPERATION
_.TOO_EARLY
_.UNDER_DEVELOPMENT
_.URDU
_.USERNAME_FIELD
_.VERY_LARGE
_.ZONE_DEVELOPER
_.abstract
_.answer_note
_.answered_at
_.area_acres
_.area_note
_.closed_at
_.constraints
_.create_superuser
_.date_joined
_.developer
_.downtime_minutes
_.focus_note
_.get_short_name
_.indexes
_.invited_by
_.is_public
_.is_published
_.min_meetings
_.ordering
_.province
_.registered_at
_.set_by
_.size_band
_.started_by
_.status_note
_.submitted_at
_.unchanged_count
_.updated_count
_.use_in_migrations
_.venue
_.verbose_name
_.verbose_name_plural

# django-ninja: schema fields and resolve_<field> methods, pagination Input/Output, the
# authentication hooks and the exception handlers installed by decorator.
_.en  # deals calls
_.zh  # deals calls
_.resolve_sector  # deals calls
_.resolve_criteria  # deals calls
_.resolve_submissions  # deals calls
_.resolve_event  # events delegation visits (site visits)
_.resolve_attendees  # events delegation visits (site visits)
_.rates_as_of  # deals calls
_.tie_break_rule  # deals calls
_.Input
_.Output
_.PageInput
_._get_key
_._known_zone
_.acceptance_rate
_.answer_note
_.answered_at
_.area_acres
_.area_note
_.checked_in
_.developer
_.downtime_minutes
_.first_found
_.focus_note
_.interested
_.interpreter_meetings
_.is_published
_.items_attribute
_.leads
_.local_ends_at
_.local_starts_at
_.min_meetings
_.my_preference
_.my_rating
_.no_shows
_.occupancy
_.openapi_description
_.opportunity_available
_.opportunity_title
_.paginate_queryset
_.pending_registrations
_.province
_.registered_at
_.registrations
_.requests_by_status
_.resolve_author
_.resolve_clauses
_.resolve_concepts
_.resolve_contacts
_.resolve_counterpart
_.resolve_currency
_.resolve_decline_reason
_.resolve_gap
_.resolve_interpreter_needed
_.resolve_ipr_status
_.resolve_local_ends_at
_.resolve_local_starts_at
_.resolve_meeting
_.resolve_memberships
_.resolve_my_preference
_.resolve_my_rating
_.resolve_opportunity_available
_.resolve_opportunity_title
_.resolve_saved_by
_.resolve_owner
_.resolve_recipient
_.resolve_request
_.resolve_requester
_.resolve_sectors
_.resolve_slot
_.resolve_slots
_.resolve_starts_at
_.resolve_subsectors
_.resolve_time_zone
_.resolve_url
_.size_band
_.status_note
_.venue
# deals routing schemas
_.acted_at
_.current_office
_.mou_reference
_.mou_title
_.office_en
_.resolve_acted_by
_.resolve_by
_.resolve_office
_.sealed_with_embedded_key
# deals reviews: schema fields filled from dicts (schemas/reviews.py), and a property the chair's page reads
_.appointments
_.flagged
_.in_effect
_.meaning
_.reviewer_email

# Django forms: fields, Meta.widgets/help_texts, clean_<field> methods and label_from_instance.
_.clean_rubric  # deals calls
_.clean_breaks
_.clean_days
_.clean_slug
_.clean_team
_.clean_timeline
_.file
_.help_text
_.help_texts
_.label_from_instance
_.max_value
_.password_again
_.size_band
_.widgets

# URL configuration read by Django (app_name, handler400..500) and the error views it names.
_.app_name
_.disabled
_.error_400
_.error_403
_.error_404
_.handler400
_.handler403
_.handler404
_.handler500

# pytest fixtures requested by parameter name, markers, and factory_boy post-generation hooks.
_.DEBUG
_.EMAIL_BACKEND
_.EMAIL_HOST
_.EMAIL_PORT
_.EMAIL_TIMEOUT
_.PASSWORD_HASHERS
_.TASKS
_._after_postgeneration
_.camel_milk_concept
_.django_db_setup
_.django_user_model
_.handle_starttag
_.members_organisation
_.plain
_.pytest_addoption
_.pytest_collection_modifyitems
_.pytestmark
_.skip_postgeneration_save
_.slot_days
_.transactional_db
_.why

# Engine dataclass fields and enum members read through asdict(), JSON output and reports,
# OR-Tools solver parameters set as attributes, and the max-flow solve counter the benchmark prints.
_.CONTINUOUS
_._concept_code
_.block_of_element
_.business
_.demand_kw
_.design_name
_.embedding
_.interleave_search
_.max_deterministic_time
_.max_time_in_seconds
_.num_workers
_.random_seed
_.solves
_.standard
_.unit_ids

# Attributes that templates and e-mails read (set by services), Django's token generator hooks,
# jieba's cache directory, the backup's file time, and locust's entry points (the load test).
_.Member
_._make_hash_value
_.answer_note
_.answered_at
_.closed_at
_.key_salt
_.mtime
_.on_start
_.submitted_at
_.tmp_dir
_.user_count
_.wait_time

# settings.py (excluded above: Django reads it setting by setting) reads the environment through these
# StrictEnv methods; environ.Env reads parse_default by name.
_.positive_int
_.positive_float
_.db_url
_.cache_url
_.email_url
_.parse_default

# Django's PasswordResetForm.send_mail() is called with these keyword arguments.
_.from_email
_.html_email_template_name

# Model fields and properties read by templates and django-ninja schemas.
_.host_answers  # events.visit_selectors.AgendaItem: the host's Confirm / Decline on _delegation_agenda.html
_.heartbeat_at
_.is_finished
_.page_url
_.resolve_error
_.resolve_page_url
_.resolve_run
_.kind_label  # HistoryEntryOut: filled from core.selectors.history_entries' dicts
_.by_label
_.actor_email

# pytest-django's `settings` fixture applies attributes set on it.
_.CACHES

# django-filter calls a filter's `method` by name.
_.filter_search
_.filter_country
_.filter_sector
_.filter_verified
_.filter_box
_.filter_direction
_.filter_title

# A FilterSet's declared filter (and the API schema's field that feeds it through .dict()).
_.box

# Django's test client reads this attribute; pytest passes fixtures by parameter name.
_.raise_request_exception
_.unprefixed_subfield

# Django calls a database router's methods by name (DATABASE_ROUTERS).
_.ReplicaRouter
_.db_for_read
_.db_for_write
_.allow_relation
_.allow_migrate

# A search's ranked results (directory.search.RankedResults): Django's Paginator and django-ninja's
# pagination slice them; SearchPagination's Output field is read by django-ninja.
_.__getitem__
_.count_is_capped

# python-docx writes these properties of sections, paragraphs, tables and fonts into the document
# when they are set (deals.documents.mou_docx).
_.alignment
_.autofit
_.bottom_margin
_.cs_size
_.left_margin
_.orientation
_.page_height
_.page_width
_.right_margin
_.top_margin
# The proposals API answers with dicts built by deals.api.proposals.proposal_out; django-ninja reads
# these schema fields by name.
_.download_url
_.shown_version
# deals (pipeline): the app's config, its choices members and party field read by name, the deal
# schemas' resolvers, DealFilterSet's methods and the forms' field options.
_.DealsConfig
_.MOU_DRAFTING
_.VETTING
_.IMPLEMENTATION
_.INVESTMENT
_.RELOCATION
_.JOINT_RESEARCH
_.added_at
_.field_class
_.field_order
_.filter_older_than
_.filter_in_stage_over
_.in_stage_over
_.next_step_overdue
_.resolve_country
_.resolve_days_in_stage
_.resolve_name
_.resolve_next_step_overdue
_.resolve_organisation
_.resolve_parties
_.resolve_sector
_.resolve_stage_label

# matching API (issue 12): the reasons past the three shown, filled from a dict (matching/api.py)
_.more_reasons

# analytics (issue 15): Django finds the app config and the form's clean_<field> by name
_.AnalyticsConfig
_.clean_country
_.clean_start  # and the other fields of the figure filter (the review fixes)
_.clean_end
_.clean_sector
_.clean_event
_.previous_start  # analytics API schema fields, filled from a dict
_.previous_end
# zones incentive calculator (issue 14): choices members and model/schema fields read by name, the
# engine's Decimal context precision
_.CORPORATE_INCOME_TAX
_.SALES_TAX
_.CUSTOMS_DUTY_CAPITAL_GOODS
_.PROPERTY_TAX
_.PKR_PER_USD
_.CNY_PER_USD
_.STATUTE
_.ASSUMPTION
_.basis
_.source_url
_.changed_at
_.payroll
_.prec
_.sales_tax
_.customs_duty
_.property_tax
# zones relocation requests (issue 14 items 2-3): choices members and model/form/schema fields read by
# name (the form's cleaned_data, the templates, the API's schema)
_.BONDED_WAREHOUSE
_.FIBRE
_.HOUSING
_.PLOT
_.RACK
_.airport_name
_.budget_usd
_.facility_note
_.facility_sources
_.move_by
_.power_redundancy
_.staff_to_bring
_.staff_to_hire

# Django admin titles, read by AdminSite (silkbridge/site/urls.py)
_.site_header
_.site_title
_.index_title
_.site_url

# deals relocation cases (issue 14 item 5): RelocationStage members offered through .choices and the
# case's schema resolvers read by django-ninja.
_.ADVISORY
_.SITE_VISIT
_.LICENCE_APPLICATION
_.LICENCE_GRANTED
_.OPERATING
_.resolve_zone
_.resolve_relocation_request

# deals documents and the deals list's track filter (issue 14 item 5): a django-filter method named in
# `method=`, a TrackFilter member offered to the API, the document schema's resolver read by django-ninja.
_.filter_track
_.ALL
_.resolve_download_url

# translations (issue 13 item 1): what the reading notice template reads of a Reading, and the test
# server's quiet request log (http.server calls it).
_.showing_original
_.machine_translation_on
_.shows_translation
_.has_machine
_.source_language_name
_.reader_language_name
_.log_message
# The marketplace form's fields for the author's own translations, read by name through TRANSLATION_FIELDS.
_.summary_en
_.summary_zh
_.summary_ur
# The organisation form's fields for the author's own translations, read by name through
# DESCRIPTION_TRANSLATION_FIELDS.
_.description_en
_.description_zh
_.description_ur

# zone facts (issue 14 item 1): Zone fields shown through ZoneFactField and read by the zone's schema, and
# schema fields django-ninja serialises.
_.seaport_name
_.seaport_km
_.fibre_carriers
_.proposed_at
_.approved_at
_.approved_by
# ZoneFactField members, offered through .choices
_.POWER_AVAILABLE_KW
_.POWER_REDUNDANCY
_.HAS_FIBRE
_.FIBRE_CARRIERS
_.DATA_CENTER_TIER
_.HAS_HOUSING
_.HAS_BONDED_WAREHOUSE
_.AIRPORT_NAME
_.AIRPORT_KM
_.SEAPORT_NAME
_.SEAPORT_KM
_.OFFICE_SPACE_M2
_.PLOTS_AVAILABLE
_.RACKS_AVAILABLE
_.CONTACTS

# organisation claims and requests held for organisations without members (issue 13 item 2): schema
# fields and resolvers read by django-ninja.
_.user_email
_.owner_has_members
_.delivery_note
_.resolve_owner_has_members
_.resolve_delivery_note

# translations clients: urllib calls the redirect handler's hook; the test server's GET handler is http.server's.
_.redirect_request
_.do_GET

# The zones map's tile layer, read by the template (zones/_zone_map.html)
_.tiles
_.attribution
_.points_json
_.leaflet_available

# conversations: the app's config, Django's multiple-file widget switch, the message schema's fields and resolvers.
_.ConversationsConfig
_.allow_multiple_selected
_.organisation_key
_.resolve_organisation_key
_.resolve_organisation_name
_.resolve_attachments
_.resolve_translation

# Django form fields read this attribute when they render a select (core.forms.organisation_choices_set)
_.empty_label

# the glossary type-ahead's schema fields, filled from the selector's dict (matching/selectors.py)
_.matched_language
_.free_keyword

# meeting requests held for organisations without members: RequestOut resolvers read by django-ninja.
_.resolve_recipient_has_readers
