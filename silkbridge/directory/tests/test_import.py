"""Bulk import: encodings, .xlsx, per-row errors, idempotent upsert, all-or-nothing, disguised files."""

import io
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from silkbridge.accounts.tests.factories import StaffFactory, UserFactory
from silkbridge.core.models import Run
from silkbridge.directory.importer import ImportFileError, organisations_import
from silkbridge.directory.models import ImportRun, Organisation

pytestmark = pytest.mark.django_db

HEADER = (
    "key,name_en,name_local,kind,country,city,sectors,technologies,founded_year,description,contact_name,contact_email"
)
GOOD_ROWS = [
    "cn-import-one,Tianchi Agri AI,天池农业智能,company,CN,Hangzhou,ai.agri;iot.agri,,2017,"
    "作物病害识别与精准灌溉,张伟,zhang@example.cn",
    "pk-import-two,Ravi Fintech,راوی فن ٹیک,company,PK,Lahore,fintech.payments,,2019,"
    "Mobile wallets,Sana Ali,sana@example.pk",
]


def _csv(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def _import(text, encoding="utf-8", name="orgs.csv", **options):
    return organisations_import(file_name=name, content=text.encode(encoding), **options)


def test_utf8_csv_is_imported_with_sectors_and_contacts():
    result = _import(_csv(*GOOD_ROWS))
    assert (result.created, result.updated, result.unchanged, result.errors) == (2, 0, 0, [])
    organisation = Organisation.objects.get(key="cn-import-one")
    assert organisation.name_local == "天池农业智能"
    assert sorted(organisation.sectors.values_list("code", flat=True)) == ["ai.agri", "iot.agri"]
    assert organisation.contacts.get().email == "zhang@example.cn"
    assert " 病害 " in organisation.search_document


def test_utf8_with_bom_and_gb18030_as_chinese_excel_saves_it():
    bom = organisations_import(file_name="bom.csv", content=b"\xef\xbb\xbf" + _csv(GOOD_ROWS[0]).encode())
    assert bom.created == 1
    assert bom.errors == []
    gb = _import(_csv(GOOD_ROWS[0].replace("cn-import-one", "cn-import-gb")), encoding="gb18030")
    assert gb.created == 1
    assert Organisation.objects.get(key="cn-import-gb").name_local == "天池农业智能"


def test_semicolon_separated_csv_is_read():
    text = _csv(*(row.replace(";", "|").replace(",", ";") for row in GOOD_ROWS), header=HEADER.replace(",", ";"))
    assert _import(text).created == 2


def test_xlsx_is_imported():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for row in GOOD_ROWS:
        values: list[str | int] = list(row.split(","))
        values[8] = int(values[8])
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = organisations_import(file_name="orgs.xlsx", content=buffer.getvalue())
    assert (result.created, result.errors) == (2, [])
    assert Organisation.objects.get(key="pk-import-two").founded_year == 2019


def test_reimporting_the_same_file_changes_nothing():
    text = _csv(*GOOD_ROWS)
    _import(text)
    before = {organisation.key: organisation.updated_at for organisation in Organisation.objects.all()}
    again = _import(text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    after = {organisation.key: organisation.updated_at for organisation in Organisation.objects.all()}
    assert after == before


def test_changed_rows_are_updated_not_duplicated():
    _import(_csv(*GOOD_ROWS))
    result = _import(_csv(GOOD_ROWS[0].replace("Hangzhou", "Shenzhen")))
    assert (result.created, result.updated) == (0, 1)
    assert Organisation.objects.filter(key="cn-import-one").count() == 1
    assert Organisation.objects.get(key="cn-import-one").city == "Shenzhen"


def test_rows_without_a_key_are_matched_on_country_and_english_name():
    header = "name_en,kind,country,city"
    _import(_csv("Karakoram Cloud,company,PK,Gilgit", header=header))
    result = _import(_csv("Karakoram Cloud,company,PK,Skardu", header=header))
    assert result.updated == 1
    assert Organisation.objects.filter(name_en="Karakoram Cloud").count() == 1


def test_each_bad_row_is_reported_with_row_number_field_and_reason_and_good_rows_kept():
    rows = [
        GOOD_ROWS[0],
        "pk-bad-kind,Bad Kind,,spaceship,PK,,,,,,,",
        "pk-bad-country,Bad Country,,company,ZQ,,,,,,,",
        "pk-bad-year,Bad Year,,company,PK,,,,nineteen,,,",
        "pk-bad-sector,Bad Sector,,company,PK,,quantum.teleport,,,,,",
        ",,,company,PK,,,,,,,",
        "pk-bad-email,Bad Email,,company,PK,,,,,,Someone,not-an-email",
        GOOD_ROWS[1],
    ]
    result = _import(_csv(*rows))
    assert result.created == 2
    problems = {(error.row, error.field) for error in result.errors}
    assert problems == {
        (3, "kind"),
        (4, "country"),
        (5, "founded_year"),
        (6, "sectors"),
        (7, "name_en"),
        (8, "contacts.0.email"),
    }
    assert all(error.message for error in result.errors)
    assert set(Organisation.objects.filter(key__startswith="pk-bad").values_list("key", flat=True)) == set()
    run = ImportRun.objects.get()
    assert run.status == "completed_with_errors"
    assert run.failed_rows == 6


def test_all_or_nothing_imports_nothing_when_one_row_fails():
    before = Organisation.objects.count()
    result = _import(_csv(GOOD_ROWS[0], "pk-bad-kind,Bad Kind,,spaceship,PK,,,,,,,", GOOD_ROWS[1]), all_or_nothing=True)
    assert [(error.row, error.field) for error in result.errors] == [(3, "kind")]
    assert (result.created, result.updated) == (0, 0)
    assert Organisation.objects.count() == before
    assert ImportRun.objects.get().status == "rejected"


def test_a_row_repeated_in_the_file_is_reported_not_applied_twice():
    result = _import(_csv(GOOD_ROWS[0], GOOD_ROWS[0].replace("Hangzhou", "Ningbo")))
    assert result.created == 1
    assert [(error.row, error.field) for error in result.errors] == [(3, "key")]
    assert Organisation.objects.get(key="cn-import-one").city == "Hangzhou"


def test_a_row_failing_midway_leaves_nothing_of_itself():
    # The sectors are resolved, then the contact fails: neither the organisation nor its sectors stay.
    result = _import(_csv("pk-half,Half Row,,company,PK,,ai.cv,,,,Name,bad@"))
    assert result.created == 0
    assert not Organisation.objects.filter(key="pk-half").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("orgs.xlsx", b"name_en,kind,country\nX,company,PK\n", "not an Excel workbook"),
        ("orgs.xlsx", b"PK\x03\x04garbage", "not a readable .xlsx"),
        ("orgs.csv", b"\x00\x01\x02binary", "binary"),
        ("orgs.csv", b"\xff\xfe\xfa\xfb\xfc" * 3, "neither UTF-8 nor GB18030"),
        ("orgs.csv", b"", "empty"),
        ("orgs.csv", b"name_en,city\nX,Lahore\n", "kind, country"),
        ("orgs.pdf", b"%PDF-1.7", "Upload a .csv or .xlsx"),
    ],
)
def test_unreadable_files_are_refused_whole(name, content, message):
    with pytest.raises(ImportFileError, match=message):
        organisations_import(file_name=name, content=content)
    assert not ImportRun.objects.exists()


def test_staff_page_imports_in_a_worker_and_ends_on_the_report(client, django_capture_on_commit_callbacks):
    client.force_login(StaffFactory())
    upload = SimpleUploadedFile("orgs.csv", _csv(GOOD_ROWS[0], "pk-bad-kind,Bad,,spaceship,PK,,,,,,,").encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:import"), {"file": upload})
    run = Run.objects.get(kind="directory.import")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:run_detail", kwargs={"run_id": run.pk})
    assert run.status == "succeeded"
    report = ImportRun.objects.get(run=run)
    assert run.result == {"import_run": report.pk, "url": f"/directory/import/{report.pk}/"}
    assert (report.created_count, report.failed_rows) == (1, 1)
    assert f'href="/directory/import/{report.pk}/"' in client.get(response["Location"]).content.decode()
    page = client.get(run.result["url"]).content.decode()
    assert "1 rows: 1 created, 0 updated, 0 unchanged." not in page  # two data rows
    assert "2 rows: 1 created, 0 updated, 0 unchanged." in page
    assert "<code>kind</code>" in page
    assert Organisation.objects.filter(key="cn-import-one").exists()


def test_staff_page_refuses_a_disguised_file_with_a_form_error(client):
    client.force_login(StaffFactory())
    upload = SimpleUploadedFile("orgs.xlsx", b"this is not a workbook")
    response = client.post(reverse("directory:import"), {"file": upload})
    assert "file" in response.context["form"].errors
    assert not Run.objects.exists()


def test_members_cannot_reach_the_import_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("directory:import"))
    # Signed in but not staff: refused outright, like every staff page (signing in again would not help).
    assert response.status_code == 403


def test_command_line_import_reports_rows_and_exit_code(tmp_path, settings):
    # The real entry point, as staff would script it, against this test database.
    good = tmp_path / "good.csv"
    good.write_text(_csv(GOOD_ROWS[1]), encoding="utf-8")
    from django.core.management import call_command

    output = io.StringIO()
    call_command("import", "organisations", str(good), stdout=output)
    assert "1 created" in output.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(_csv("pk-bad-kind,Bad,,spaceship,PK,,,,,,,"), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "organisations", str(bad), stdout=io.StringIO())
    assert exit_info.value.code == 1


def test_command_line_entry_point_exists():
    completed = subprocess.run(
        [sys.executable, "-m", "silkbridge", "import", "--help"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0
    assert "--all-or-nothing" in completed.stdout


def test_the_progress_of_a_one_row_import_says_row_not_rows():
    said = []
    _import(_csv(GOOD_ROWS[0]), progress=lambda share, message: said.append(message))
    assert said == ["0 of 1 row"]  # ngettext: not "0 of 1 rows"
