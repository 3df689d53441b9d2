from silkbridge.events.views import participant, staff, visits

app_name = "events"

# Staff patterns first: "new/" would otherwise be read as the event page of an event with the slug "new".
urlpatterns = staff.urlpatterns + visits.urlpatterns + participant.urlpatterns
