"""An e-mail address proves an organisation's website only at the same registrable domain."""

import pytest

from silkbridge.common.domains import email_proves_website, registrable_domain


@pytest.mark.parametrize(
    ("email", "website"),
    [
        ("ali@example.com", "https://www.example.com/"),
        ("ali@EXAMPLE.com", "http://Example.COM"),
        ("ali@mail.example.com", "https://www.example.com/about"),
        ("ali@potohar.com.pk", "https://www.potohar.com.pk"),
        ("wang@tianshu.com.cn", "tianshu.com.cn"),
    ],
)
def test_an_address_at_the_same_domain_proves(email, website):
    assert email_proves_website(email=email, website=website)


@pytest.mark.parametrize(
    ("email", "website"),
    [
        ("ali@evil-example.com", "https://example.com"),
        ("ali@example.com.evil.net", "https://example.com"),
        ("ali@example.com", "https://example.com.evil.net"),
        ("ali@other.com.pk", "https://potohar.com.pk"),  # com.pk is a zone, not a company
        ("ali@gmail.com", "https://gmail.com"),  # anyone can have a public mail address
        ("wang@qq.com", "https://www.qq.com"),
        ("wang@163.com", "https://163.com"),
        ("ali@outlook.com", "https://outlook.com"),
        ("ali@example.com", ""),
        ("not-an-address", "https://example.com"),
    ],
)
def test_look_alikes_and_public_mail_prove_nothing(email, website):
    assert not email_proves_website(email=email, website=website)


def test_registrable_domain():
    assert registrable_domain("www.shop.example.com.pk") == "example.com.pk"
    assert registrable_domain("com.pk") == ""
    assert registrable_domain("localhost") == ""
