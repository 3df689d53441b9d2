"""The ground floor: plain Python helpers that every app and engine may use (no Django, no app)."""
