#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not any(os.environ.get(name) for name in ("DEBUG", "SECRET_KEY", "DATABASE_URL")):
        # Nothing configured at all: a developer's checkout on the embedded database (what
        # `make run` starts). A server always sets SECRET_KEY and DATABASE_URL, so it never
        # gets here; there DEBUG stays off unless set.
        os.environ["DEBUG"] = "true"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
