# English as written in Pakistan and by Chinese companies: day, month, year, and a 24-hour clock.
# Format strings: https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-12-07' (what date inputs send)
    "%d/%m/%Y",  # '07/12/2026'
    "%d/%m/%y",  # '07/12/26'
    "%d %B %Y",  # '7 December 2026'
    "%d %b %Y",  # '7 Dec 2026'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",  # what datetime-local inputs send
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
