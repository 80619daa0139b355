"""``python -m heatbounds`` runs the command line."""

import sys

from heatbounds.cli import main

sys.exit(main())
