"""A remembered computed field is computed once, then read from the instance."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, computed_field

from compliance.core.remembered import remembered


class _Counted(BaseModel):
    model_config = ConfigDict(frozen=True)
    value: int

    @computed_field  # type: ignore[prop-decorator]
    @remembered
    def doubled(self) -> int:
        _Counted.calls += 1
        return self.value * 2

    calls: ClassVar[int] = 0


def test_computed_once_then_remembered_and_dumped() -> None:
    record = _Counted(value=21)
    assert (record.doubled, record.doubled) == (42, 42)
    assert _Counted.calls == 1
    assert record.model_dump() == {"value": 21, "doubled": 42}
    assert record == _Counted(value=21)  # what was remembered is no field
