"""Admin for mou. Nothing the selectors hide (sealed proposals, reviews, unsigned MoUs) may show here."""
