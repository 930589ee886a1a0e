"""A computed value read once and then remembered on the instance, without a lock.

Why not :class:`functools.cached_property` itself: on Python 3.11 it takes a lock
on every first read (dropped in 3.12), which cost more than it saved on the record
fields read once per check (a fact reads ~13 computed fields of each indicator).
A subclass, so pydantic's ``computed_field`` accepts it as a cached property.
Two threads reading the same instance at once may both compute it: the same value.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Self, TypeVar, overload

T = TypeVar("T")


class remembered(cached_property[T]):
    """Like ``cached_property``: computed on first read, then kept in the instance's ``__dict__``."""

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type[Any] | None = None) -> T | Self:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.attrname or self.func.__name__] = value
        return value
