from tests.bdd.steps import *  # noqa: F403  (the shared step library)
