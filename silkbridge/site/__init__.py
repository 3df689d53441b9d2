"""The top floor: composes the domains into one site (home page, language switch, error pages, URL and
API roots, the bench and load_demo commands, the load test)."""
