"""The `silkbridge` command line: Django's management commands behind one entry point."""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["schedule"]:
        # The scheduler is a file-to-file engine run: no Django start-up (seconds), so it starts at once.
        from silkbridge.events.engine.cli import main as schedule_main

        sys.exit(schedule_main(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silkbridge.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "silkbridge"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
