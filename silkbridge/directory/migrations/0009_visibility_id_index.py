"""The directory search counts the matches a visitor may see from an index on (visibility, id) alone
(an index-only scan); it replaces the index on visibility, which it covers."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_alter_organisationevent_kind"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="organisation",
            name="directory_o_visibil_e9d75a_idx",
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["visibility", "id"], name="directory_org_visibility_id"),
        ),
    ]
