"""The ``paycalc`` command: files in, files or JSON out, exit codes scripts can trust.

Exit codes: 0 ok, 1 invalid input (every problem listed on stderr), 2 usage (including an
output refused before any work), 70 internal error, 130/143 interrupted by SIGINT/SIGTERM
(see :mod:`paycalc.cli.main`). Each command lives in its own module with a
``register(subparsers)`` function.
"""

from paycalc.cli.main import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, main

__all__ = ["EXIT_INTERNAL", "EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "main"]
