"""Assessment pages: upload, report in three languages, PDF, downloads, confidentiality, bad input."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.core.models import Run
from silkbridge.datacenters.models import Assessment

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "datacenters"
LANGUAGES = [("en", "en", "ltr"), ("zh-hans", "zh-Hans", "ltr"), ("ur", "ur", "rtl")]


def _upload(client, name="tier3.yaml", content=None, **fields):
    data = {"years": 2000, "seed": 7, **fields}
    if content is None:
        content = (EXAMPLES / name).read_bytes()
    data["design"] = SimpleUploadedFile(name, content, content_type="application/yaml")
    # The page queues the assessment; the task framework runs it once the request's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("datacenters:assessment_list"), data)


@pytest.fixture
def evaluator(client):
    user = UserFactory(role="reviewer")
    client.force_login(user)
    return user


def test_uploading_an_example_goes_to_the_progress_page_then_shows_the_verdict_first(client, evaluator):
    response = _upload(client, "tier3.yaml")
    assessment = Assessment.objects.get()
    run = Run.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:run_detail", args=[run.pk])
    assert (run.kind, run.status) == ("datacenters.assessment", "succeeded")
    assert run.result == {"reference": assessment.reference, "tier": 3, "url": f"/datacenters/{assessment.reference}/"}
    assert assessment.tier == 3
    assert assessment.created_by == evaluator
    progress_page = client.get(response["Location"]).content.decode()
    report_url = reverse("datacenters:assessment_detail", args=[assessment.reference])
    assert f'<a class="button" href="{report_url}">See the result</a>' in progress_page
    html = client.get(report_url).content.decode()
    verdict = html.index("Meets Tier III")
    assert verdict < html.index("Criteria") < html.index("Availability") < html.index("Energy")
    assert "Concurrent" in html
    assert re.search(r"\d+\.\d minutes of downtime a year", html)


def test_an_invalid_design_is_rejected_with_every_error_and_nothing_is_stored(client, evaluator):
    broken = b"name: Broken\nit_load_kw: -5\npower:\n  ups:\n    - id: UPS-A\n      modules: 0\n"
    response = _upload(client, "broken.yaml", broken)
    assert response.status_code == 422
    html = response.content.decode()
    assert "it_load_kw" in html
    assert "power.ups[0].modules" in html
    assert "nothing was stored" in html
    assert Assessment.objects.count() == 0


def test_a_file_that_is_not_utf8_is_refused_by_name(client, evaluator):
    response = _upload(client, "design.yaml", "名称: 数据中心".encode("gb18030"))
    assert response.status_code == 422
    assert "not UTF-8" in response.content.decode()
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(("code", "lang", "direction"), LANGUAGES)
def test_the_report_renders_in_each_language(client, evaluator, code, lang, direction):
    _upload(client, "tier4.yaml")
    assessment = Assessment.objects.get()
    client.cookies["django_language"] = code
    response = client.get(reverse("datacenters:assessment_detail", args=[assessment.reference]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    verdict = re.search(r'<h2 id="verdict-title">(.*?)</h2>', html, re.S).group(1)
    assert "IV" in verdict
    if code == "zh-hans":
        assert re.search(r"[\u4e00-\u9fff]", verdict)
        assert "容错" in html  # fault tolerance, among the criteria
    if code == "ur":
        assert re.search(r"[\u0600-\u06ff]", verdict)


@pytest.mark.parametrize(("code", "verdict"), [("en", "Meets Tier II"), ("zh-hans", "符合 Tier II"), ("ur", "Tier II")])
def test_the_pdf_opens_and_shows_the_verdict_on_page_one(client, evaluator, code, verdict):
    _upload(client, "tier2.yaml")
    assessment = Assessment.objects.get()
    client.cookies["django_language"] = code
    response = client.get(reverse("datacenters:assessment_pdf", args=[assessment.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-")
    assert b"%%EOF" in content[-1024:]
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 2
    assert verdict in reader.pages[0].extract_text()


def test_assessments_are_confidential_to_their_uploader_reviewers_and_staff(client):
    owner = UserFactory()
    client.force_login(owner)
    _upload(client, "tier1.yaml")
    assessment = Assessment.objects.get()
    detail = reverse("datacenters:assessment_detail", args=[assessment.reference])
    assert client.get(detail).status_code == 200
    client.force_login(UserFactory())
    assert client.get(detail).status_code == 404
    assert client.get(reverse("datacenters:assessment_pdf", args=[assessment.reference])).status_code == 404
    assert assessment.name not in client.get(reverse("datacenters:assessment_list")).content.decode()
    client.force_login(UserFactory(role="reviewer"))
    assert client.get(detail).status_code == 200
    client.logout()
    assert client.get(detail).status_code == 302


def test_only_the_uploader_or_staff_may_delete(client):
    owner = UserFactory()
    client.force_login(owner)
    _upload(client, "tier1.yaml")
    assessment = Assessment.objects.get()
    delete = reverse("datacenters:assessment_delete", args=[assessment.reference])
    client.force_login(UserFactory(role="reviewer"))
    assert client.post(delete).status_code == 403
    assert Assessment.objects.count() == 1
    client.force_login(StaffFactory())
    assert client.post(delete).status_code == 302
    assert Assessment.objects.count() == 0


def test_downloads_give_back_the_design_and_the_json(client, evaluator):
    _upload(client, "tier1.yaml")
    assessment = Assessment.objects.get()
    design = client.get(reverse("datacenters:assessment_design", args=[assessment.reference]))
    assert design.content == (EXAMPLES / "tier1.yaml").read_bytes()
    result = client.get(reverse("datacenters:assessment_json", args=[assessment.reference])).json()
    assert result["tier"] == 1
    assert {"tier", "criteria", "availability", "pue"} <= set(result)
    example = client.get(reverse("datacenters:example", args=["tier4.yaml"]))
    assert b"".join(example.streaming_content) == (EXAMPLES / "tier4.yaml").read_bytes()
    assert client.get(reverse("datacenters:example", args=["..%2Fsettings.py"])).status_code == 404


def test_an_uploaded_weather_file_drives_the_energy_estimate(client, evaluator):
    from silkbridge.datacenters.tests.epw_samples import epw_text

    cold = SimpleUploadedFile("cold.epw", epw_text(city="Coldtown", mean_c=2.0).encode("utf-8"))
    _upload(client, "tier3.yaml", weather=cold)
    assessment = Assessment.objects.get()
    energy = assessment.result["energy"]
    assert energy["climate_source"]["kind"] == "epw"
    assert assessment.weather_name == "cold.epw"
    assert assessment.weather_file.read().startswith(b"LOCATION,Coldtown")
    _upload(client, "tier3.yaml")
    lahore = Assessment.objects.exclude(pk=assessment.pk).get()
    assert lahore.result["energy"]["climate_source"]["kind"] == "normals"
    assert assessment.pue is not None
    assert lahore.pue is not None
    assert assessment.pue < lahore.pue
    html = client.get(reverse("datacenters:assessment_detail", args=[assessment.reference])).content.decode()
    assert "Coldtown" in html


def test_a_broken_weather_file_names_the_line_and_stores_nothing(client, evaluator):
    broken = SimpleUploadedFile("broken.epw", b"LOCATION,Nowhere\nnot,an,epw\n")
    response = _upload(client, "tier3.yaml", weather=broken)
    assert response.status_code == 422
    assert "weather" in response.content.decode()
    assert Assessment.objects.count() == 0
