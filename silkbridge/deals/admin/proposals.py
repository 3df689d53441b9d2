"""Admin for proposals. Nothing the selectors hide (sealed proposals, reviews, unsigned MoUs) may show here."""
