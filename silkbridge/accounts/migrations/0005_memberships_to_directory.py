# Memberships and invitations now belong to the directory (directory 0005 takes them over, keeping the
# tables and their rows).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_membership_invitation"),
        ("directory", "0005_memberships_from_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="MembershipInvitation"),
                migrations.DeleteModel(name="Membership"),
            ],
            database_operations=[],
        ),
    ]
