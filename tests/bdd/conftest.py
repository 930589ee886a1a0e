from tests.bdd.report_steps import *  # noqa: F403  (the report's steps)
from tests.bdd.review_steps import *  # noqa: F403  (the 整改 cycle: store, decisions, baselines)
from tests.bdd.steps import *  # noqa: F403  (the shared step library)
from tests.bdd.workbook_steps import *  # noqa: F403  (forms as workbooks and Word files)
