"""Money: the currency rates staff set (units per US dollar from a date on), below every app that converts."""
