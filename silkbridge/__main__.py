"""The `silkbridge` command line: Django's management commands behind one entry point."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silkbridge.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "silkbridge"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
