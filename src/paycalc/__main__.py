"""``python -m paycalc`` runs the ``paycalc`` command."""

import sys

from paycalc.cli import main

sys.exit(main())
