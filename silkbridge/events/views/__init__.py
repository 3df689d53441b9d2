"""Event pages: `participant` (register, browse, request, answer, agenda, calendar) and `staff` (set-up, approvals,
scheduler, check-in, dashboard, exports)."""
