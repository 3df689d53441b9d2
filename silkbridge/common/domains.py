"""Whether an e-mail address is at a website's domain: the proof that lets a user claim an organisation
at once. Plain Python (no Django).

Compared by *registrable domain* (the part a company registers: example.com, example.com.pk), so
`mail.example.com` proves `www.example.com`, while `evil-example.com` and `example.com.evil.net` prove
nothing. Without the full Public Suffix List (no such package in requirements.lock), the registrable
domain is the last two labels, or the last three under a country's second-level zone (`com.pk`,
`co.uk`, `org.cn`…), which covers the countries Silkbridge serves; an assumption, stated here. Public
mail providers never prove anything: anyone can have an address there.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Second-level zones under which companies register (com.pk, co.uk, org.cn, ac.jp, gov.pk…).
_SECOND_LEVEL = frozenset(
    {"ac", "co", "com", "edu", "gov", "gob", "ltd", "net", "ne", "or", "org", "plc", "biz", "web"}
)

# Mail providers where anyone may open an address (the large ones seen in Pakistan, China and abroad).
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "yandex.com",
        "yandex.ru",
        "zoho.com",
        "qq.com",
        "foxmail.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "aliyun.com",
        "139.com",
        "189.cn",
        "wo.cn",
    }
)


def _clean_host(host: str) -> str:
    host = (host or "").strip().lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


def registrable_domain(host: str) -> str:
    """`www.shop.example.com.pk` → `example.com.pk`; an empty string for what is not a domain name."""
    labels = _clean_host(host).split(".")
    if len(labels) < 2 or not all(labels) or labels[-1].isdigit():
        return ""
    count = 3 if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    if len(labels) < count:
        return ""  # a bare zone such as com.pk is nobody's domain
    return ".".join(labels[-count:])


def website_host(website: str) -> str:
    if not website:
        return ""
    try:
        return urlsplit(website if "//" in website else f"//{website}").hostname or ""
    except ValueError:
        return ""


def email_proves_website(*, email: str, website: str) -> bool:
    """Whether an address at `email`'s domain shows that its owner belongs to the site's organisation."""
    _local, at, domain = (email or "").rpartition("@")
    if not at:
        return False
    domain = _clean_host(domain)
    if not domain or domain in PUBLIC_MAIL_DOMAINS or registrable_domain(domain) in PUBLIC_MAIL_DOMAINS:
        return False
    ours = registrable_domain(domain)
    return bool(ours) and ours == registrable_domain(website_host(website))
