"""The only module that talks to durable-rules; every trap of the engine is handled here.

- One project is one session (``sid``); its state is deleted after the run so the
  1,024-live-session cap is never reached. A sentinel fact, asserted after all of
  the project's facts and matched by a rule of its own, guarantees an action ran
  before ``delete_state`` (deleting a session where none ran crashed the process),
  and lets negations see the whole project.
- A ruleset name can be registered once: each :class:`Engine` takes a fresh name
  and a fresh :class:`durable.engine.Host` whose background threads are disabled.
- A registered ruleset lives in C memory the Python objects do not own (about 2 MB
  for the bundled pack); durable's Python layer has no unregister. :meth:`Engine.close`
  (also run when an Engine is garbage-collected) frees it with the C core's
  ``delete_ruleset``, so memory stays flat however many Engines a process makes.
  A closed Engine refuses to run: its ruleset's memory is gone.
- ``register_rulesets`` mutates its argument: definitions are deep-copied.
- Facts nobody matches raise ``MessageNotHandledException``: that means "no finding".
  A project's facts and the sentinel go in one ``assert_facts`` call (one JSON round
  trip instead of one per fact). That call refuses the whole list if any fact is
  unmatched, and then runs no action at all; so a sink rule, which never completes,
  gives every fact a pattern to match. If the batch is refused anyway (a fact given
  twice), the project is asserted again one fact at a time in a fresh session.
- Exceptions inside actions are swallowed into the session state: it is read back
  after every project and reported.
- A definition the engine rejects is isolated rule by rule so that the other
  rules still run.
- durable's Python layer passes every fact, action state and result through the
  standard ``json`` module (a third of the engine's time per project); it is given
  orjson instead (:class:`_Json`), with the standard module as the fallback for
  anything orjson refuses, so what reaches the C core is the same JSON text.
- A rule arrives as several variants (see :func:`compliance.engine.compiler.compile_rule`);
  each is registered as ``ID_vN`` and all report their matches under ``ID``.
"""

from __future__ import annotations

import copy
import itertools
import json
import traceback
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import durable_rules_engine as durable_core
import orjson
from durable import engine as durable

from compliance.core.errors import InternalProblem
from compliance.engine.compiler import GO, SENTINEL_KIND

DONE_RULE = "$done"
SINK_RULE = "$sink"
_NEVER_KIND = "$never"
_names = itertools.count(1)


class _SyncHost(durable.Host):  # type: ignore[misc]
    """A Host without the two timer threads the default one starts."""

    def _run(self) -> None:
        return None


class _Json:
    """The ``json`` functions durable's Python layer calls, done by orjson.

    Why: durable-rules serialises each fact list and parses each action's state with
    the standard module; orjson does both several times faster. Both write the same
    JSON for the engine's values (strings, ints, floats, lists, maps); anything else
    goes to the standard module, as it did before.
    """

    @staticmethod
    def dumps(value: Any, ensure_ascii: bool = False) -> str:
        try:
            return orjson.dumps(value).decode()
        except TypeError:  # orjson.JSONEncodeError: a value orjson does not write
            return json.dumps(value, ensure_ascii=ensure_ascii)

    @staticmethod
    def loads(text: str | bytes) -> Any:
        return orjson.loads(text)


durable.json = _Json


def _handles(host: _SyncHost) -> list[Any]:
    """The C handles of the rulesets registered on ``host``."""
    return [ruleset._handle for ruleset in host._ruleset_list]


def _free(handles: list[Any]) -> None:
    """Free rulesets in the C core; empties ``handles`` so none is freed twice."""
    while handles:
        durable_core.delete_ruleset(handles.pop())


def _never(c: Any) -> None:
    """The sink rule's action; no fact of its second kind is ever asserted."""


class EngineClosed(RuntimeError):
    """An Engine was used after :meth:`Engine.close` freed its ruleset."""


@dataclass(frozen=True)
class Match:
    """One firing of one rule: the facts bound to each pattern name."""

    rule: str
    facts: Mapping[str, Mapping[str, Any]]


@dataclass
class RunResult:
    """The matches of one project, and what went wrong on the way."""

    matches: list[Match] = field(default_factory=list)
    errors: list[InternalProblem] = field(default_factory=list)

    def fail(self, message: str, trace: str = "") -> None:
        """Record what went wrong inside the engine (the checker adds the project)."""
        self.errors.append(InternalProblem("running the engine", message, traceback=trace))


class Engine:
    """A compiled rule pack registered as one ruleset."""

    def __init__(self, definitions: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        self.rejected: dict[str, str] = {}
        self._host = _SyncHost()
        self._name = f"compliance_{next(_names)}"
        self._sink: list[Match] = []
        self._done: list[bool] = []
        self._sids = itertools.count(1)
        self._handles: list[Any] = []
        # Frees the C ruleset when the Engine is dropped without close(); it holds only the
        # handle list (not the Engine), so it never keeps the Engine alive.
        self._finalizer = weakref.finalize(self, _free, self._handles)
        accepted = dict(definitions)
        try:
            self._register(accepted)
        except Exception as exc:  # the engine's own error type is not exported
            self.rejected = self._isolate(definitions, str(exc))
            accepted = {k: v for k, v in definitions.items() if k not in self.rejected}
            self._host = _SyncHost()
            self._name = f"compliance_{next(_names)}"
            self._register(accepted)
        self.rule_ids = sorted(accepted)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` freed the ruleset."""
        return not self._finalizer.alive

    def close(self) -> None:
        """Free the ruleset's memory in the engine's C core (idempotent)."""
        self._finalizer()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _action(self, rule_id: str) -> Callable[[Any], None]:
        sink = self._sink

        def record(c: Any) -> None:
            sink.append(Match(rule_id, c._m))

        return record

    def _mark_done(self) -> Callable[[Any], None]:
        done = self._done

        def mark(c: Any) -> None:
            done.append(True)

        return mark

    def _ruleset(self, definitions: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
        # Actions close over the sink lists, never over ``self``: no cycle keeps an Engine alive.
        rules: dict[str, Any] = {}
        for rule_id, variants in definitions.items():
            action = self._action(rule_id)
            for number, definition in enumerate(variants):
                rules[f"{rule_id}_v{number}"] = {**copy.deepcopy(dict(definition)), "run": action}
        rules[DONE_RULE] = {"all": [{GO: {"kind": SENTINEL_KIND}}], "run": self._mark_done()}
        rules[SINK_RULE] = {
            "all": [{"any": {"$ex": {"kind": 1}}}, {"never": {"kind": _NEVER_KIND}}],
            "run": _never,
        }
        return rules

    def _register(self, definitions: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        try:
            self._host.register_rulesets({self._name: self._ruleset(definitions)})
        finally:
            self._handles.extend(_handles(self._host))

    def _isolate(
        self, definitions: Mapping[str, Sequence[Mapping[str, Any]]], reason: str
    ) -> dict[str, str]:
        rejected = {}
        for rule_id, definition in definitions.items():
            probe = _SyncHost()
            try:
                probe.register_rulesets(
                    {f"probe_{next(_names)}": self._ruleset({rule_id: definition})}
                )
            except Exception as exc:
                rejected[rule_id] = f"the engine rejected the compiled rule: {exc}"
            finally:
                _free(_handles(probe))
        if not rejected:
            rejected = dict.fromkeys(definitions, f"the engine rejected the rule pack: {reason}")
        return rejected

    def run(self, facts: Iterable[Mapping[str, Any]]) -> RunResult:
        """Assert one project's facts, then the sentinel, in one call; return every match."""
        if self.closed:
            raise EngineClosed("this engine was closed; its ruleset is freed")
        facts = list(facts)
        sid = f"p{next(self._sids)}"
        result = RunResult()
        self._sink.clear()
        self._done.clear()
        sentinel = {"kind": SENTINEL_KIND, "key": SENTINEL_KIND}
        batch = [*({**f, "sid": sid} for f in facts), {**sentinel, "sid": sid}]
        try:
            self._host.assert_facts(self._name, batch)
        except Exception:  # refused as a whole: find the culprit fact by fact
            sid = f"p{next(self._sids)}"
            self._sink.clear()
            self._done.clear()
            for fact in facts:
                self._assert(result, {**fact, "sid": sid})
            self._assert(result, {**sentinel, "sid": sid})
        result.matches.extend(self._sink)
        if not self._done:
            result.fail("the engine did not complete the run (sentinel not matched)")
            return result
        state = self._host.get_state(self._name, sid)
        if state.get("exception"):
            result.fail("an action failed inside the engine", str(state["exception"]))
        self._host.delete_state(self._name, sid)
        return result

    def _assert(self, result: RunResult, fact: dict[str, Any]) -> None:
        try:
            self._host.assert_fact(self._name, fact)
        except durable.MessageNotHandledException:
            pass
        except durable.MessageObservedException:
            result.fail(f"{fact['kind']} '{fact['key']}' was given twice")
        except Exception as exc:
            message = f"the engine rejected {fact['kind']} '{fact['key']}': {exc}"
            result.fail(message, traceback.format_exc())
