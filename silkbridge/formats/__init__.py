"""Date and number formats per language where Django's own do not suit our readers (FORMAT_MODULE_PATH).

English: Pakistani and Chinese readers of English write the day before the month ("7 December 2026",
07/12/2026) and the 24-hour clock; Django's "en" is American (Dec. 7, 2026, 12/07/2026, 2 p.m.).
Urdu: Django has no Urdu formats and would fall back to the American ones. Chinese keeps Django's dates
(2026年12月7日) and groups large numbers by thousands, as Chinese business documents do.
"""
