"""User files go through the storage that STORAGES configures, never straight to a path on disk.

The storage here is a real FileSystemStorage in a temporary folder, configured through STORAGES the way
an installation configures it (a bucket is configured the same way with SILKBRIDGE_STORAGE=s3).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from silkbridge.accounts.tests.factories import UserFactory
from silkbridge.core.backup import BackupError, backup_create
from silkbridge.core.uploads import upload_discard, upload_keep, upload_read
from silkbridge.datacenters.models import Assessment
from silkbridge.datacenters.tests.epw_samples import epw_text

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "datacenters"


@pytest.fixture
def configured_storage(settings, tmp_path):
    """STORAGES["default"] pointed at a folder of its own; MEDIA_ROOT elsewhere, to catch any bypass."""
    location = tmp_path / "configured-storage"
    settings.MEDIA_ROOT = tmp_path / "media-root-unused"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
    }
    return location


def _files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


@pytest.mark.django_db
def test_an_uploaded_weather_file_lands_in_the_configured_storage(
    client, configured_storage, settings, django_capture_on_commit_callbacks
):
    user = UserFactory(role="reviewer")
    client.force_login(user)
    weather = epw_text(city="Coldtown", mean_c=2.0).encode("utf-8")
    with django_capture_on_commit_callbacks(execute=True):  # the assessment runs as a task on commit
        response = client.post(
            reverse("datacenters:assessment_list"),
            {
                "years": 1000,
                "seed": 7,
                "design": SimpleUploadedFile("tier3.yaml", (EXAMPLES / "tier3.yaml").read_bytes()),
                "weather": SimpleUploadedFile("cold.epw", weather),
            },
        )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert _files(configured_storage) == [assessment.weather_file.name]
    assert assessment.weather_file.name.startswith("datacenters/weather/cold")
    assert (configured_storage / assessment.weather_file.name).read_bytes() == weather
    assert not Path(settings.MEDIA_ROOT).exists()

    # Deleting the assessment removes its file from the same storage (after the transaction commits).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("datacenters:assessment_delete", args=[assessment.reference]))
    assert Assessment.objects.count() == 0
    assert _files(configured_storage) == []


@pytest.mark.django_db
def test_an_upload_kept_for_a_worker_is_read_back_and_discarded(configured_storage):
    name = upload_keep(content="名称,kind\n".encode(), name="../../etc/organisations.csv", purpose="directory.import")
    assert name.startswith("uploads/directory.import/")
    assert name.endswith("/organisations.csv")
    assert _files(configured_storage) == [name]
    assert upload_read(name) == "名称,kind\n".encode()
    # Two uploads of the same name never meet.
    other = upload_keep(content=b"other", name="organisations.csv", purpose="directory.import")
    assert other != name
    assert upload_read(name) == "名称,kind\n".encode()
    upload_discard(name)
    upload_discard(other)
    assert _files(configured_storage) == []
    with pytest.raises(FileNotFoundError):
        upload_read(name)


@pytest.mark.django_db(transaction=True)  # SQLite's online backup waits for open transactions to end
def test_a_backup_reads_the_media_of_the_configured_storage(configured_storage, tmp_path):
    kept = upload_keep(content=b"kept", name="deck.pdf", purpose="test")
    manifest = backup_create(destination=tmp_path / "backup.tar")
    assert manifest["media"]["files"] == 1
    assert list(manifest["files"])[-1] == f"media/{kept}"


@pytest.mark.django_db
def test_a_backup_refuses_media_it_cannot_read_from_disk(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with pytest.raises(BackupError, match="Files are kept in InMemoryStorage, not on this disk"):
        backup_create(destination=tmp_path / "backup.tar")
    assert not (tmp_path / "backup.tar").exists()
