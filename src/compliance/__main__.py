"""``python -m compliance`` runs the command line."""

import sys

from compliance.cli.main import main

sys.exit(main())
