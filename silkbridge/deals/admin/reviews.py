"""Admin for reviews. Nothing the selectors hide (sealed proposals, reviews, unsigned MoUs) may show here."""
