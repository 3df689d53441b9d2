"""Admin for pipeline. Nothing the selectors hide (sealed proposals, reviews, unsigned MoUs) may show here."""
