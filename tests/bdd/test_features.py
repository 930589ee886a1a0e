"""Every feature file under features/ runs here."""

from pytest_bdd import scenarios

scenarios(".")
