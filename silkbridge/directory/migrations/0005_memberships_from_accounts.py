# Memberships and invitations move from accounts to the directory, beside the organisations, without
# copying a row: the tables keep their names (accounts_membership, accounts_membershipinvitation) and only
# Django's idea of which app owns them changes. accounts 0005 drops them from accounts' state. The content
# types are handed over too, so permissions granted on them stay.

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ("membership", "membershipinvitation")


def content_types_to_directory(apps, schema_editor):
    _hand_over(apps, "accounts", "directory")


def content_types_to_accounts(apps, schema_editor):
    _hand_over(apps, "directory", "accounts")


def _hand_over(apps, old_label, new_label):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not content_type.objects.filter(app_label=new_label, model=model).exists():
            content_type.objects.filter(app_label=old_label, model=model).update(app_label=new_label)


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0004_free_text_length_limits"),
        ("accounts", "0004_membership_invitation"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('owner', 'Owner'), ('member', 'Member')], default='member', max_length=16, verbose_name='role')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='directory.organisation', verbose_name='organisation')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'membership',
                        'verbose_name_plural': 'memberships',
                        'db_table': 'accounts_membership',
                        'constraints': [models.UniqueConstraint(fields=('user', 'organisation'), name='accounts_membership_unique', violation_error_message='This user is already a member of this organisation.')],
                    },
                ),
                migrations.CreateModel(
                    name='MembershipInvitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                        ('role', models.CharField(choices=[('owner', 'Owner'), ('member', 'Member')], default='member', max_length=16, verbose_name='role')),
                        ('token_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='token hash')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('expires_at', models.DateTimeField(verbose_name='expires at')),
                        ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted at')),
                        ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='directory.organisation', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'membership invitation',
                        'verbose_name_plural': 'membership invitations',
                        'db_table': 'accounts_membershipinvitation',
                        'ordering': ('-created_at',),
                        'constraints': [models.UniqueConstraint(models.F('organisation'), django.db.models.functions.text.Lower('email'), condition=models.Q(('accepted_at__isnull', True)), name='accounts_invitation_one_pending_per_address', violation_error_message='This address already has a pending invitation.')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_directory, content_types_to_accounts),
    ]
