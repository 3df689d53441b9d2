# Simplified Chinese: Django's dates (2026年12月7日) stay; large numbers are grouped by thousands with a
# comma, as Chinese business and statistical documents print them (1,234,567), where Django groups nothing.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
