"""`silkbridge bench load`: the platform under load, as its users see it (docs/benchmarks.md).

`data` adds realistic volume to a dedicated database (organisations, profiles, matches, signed-in
users), `runner` serves it with gunicorn and drives it with locust, `locustfile` says what the
simulated users do. Nothing here runs inside the platform's requests.
"""
