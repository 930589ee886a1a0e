"""Self-evaluation forms as they arrive: Excel, WPS, LibreOffice and Word files.

Why: forms are handed over as spreadsheets and Word tables, in the thousands; typing them
into YAML first loses time and moves every finding away from the cell the evaluator knows.
This package finds each form by its printed labels (never by fixed addresses), reads its
header, funds rows and indicator rows as label → value with each value's cell, and hands
them to the same record models and loader the YAML goes through.
"""

from __future__ import annotations
