"""The findings store on SQLite and on a real PostgreSQL server: the same tests on both."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from compliance import __version__
from compliance.review.store.database import Store
from compliance.review.store.database import store_url as normalised_url
from compliance.review.store.models import Base, Blob, Run, StoredFinding
from compliance.review.store.queries import RECTIFICATION, WAIVER, record_decision
from tests.conftest import RULES, CliRun
from tests.review.conftest import YEAR1, YEAR2


def _check(cli: CliRun, url: str, case: Path, *args: str) -> dict[str, Any]:
    code, out, err = cli("check", str(case), "--format", "json", "--store", url, *args)
    assert code in (0, 1), err
    assert err.startswith("stored run ")
    data: dict[str, Any] = json.loads(out)
    return data


def test_two_years_in_the_store_give_new_repeated_and_resolved(cli: CliRun, store_url: str) -> None:
    _check(cli, store_url, YEAR1)
    data = _check(cli, store_url, YEAR2, "--baseline-from-store")
    project = data["projects"][0]
    assert {f["rule"]: f["baseline_state"] for f in project["findings"]} == {
        "TG06": "repeated",
        "TG07": "repeated",
        "FN08": "new",
    }
    assert [r["rule"] for r in project["resolved"]] == ["PA07", "FN07"]
    assert data["summary"]["baseline"] == "store（2022年）"
    # Checking year 2 again still compares with 2022, not with the earlier check of 2023.
    again = _check(cli, store_url, YEAR2, "--baseline-from-store")
    assert again["projects"][0]["summary"]["resolved"] == 2

    code, out, err = cli("history", "档案数字化", "--store", store_url, "--format", "json")
    assert (code, err) == (0, "")
    (history,) = json.loads(out)
    assert history["years"] == [2022, 2023]
    years = {f["rule"]: f["years"] for f in history["findings"]}
    assert years == {
        "PA07": {"2022": "待整改", "2023": "已整改"},
        "FN07": {"2022": "待整改", "2023": "已整改"},
        "TG06": {"2022": "待整改", "2023": "待整改"},
        "TG07": {"2022": "待整改", "2023": "待整改"},
        "FN08": {"2022": "—", "2023": "待整改"},
    }


def test_a_run_records_what_reproduces_it(cli: CliRun, store_url: str) -> None:
    _check(cli, store_url, YEAR1, "--set", "FN07.min_execution_pct=80")
    store = Store.open(store_url)
    try:
        with store.session() as session:
            (run,) = session.scalars(select(Run)).all()
            assert run.tool_version == __version__
            assert run.command == "check"
            assert run.parameters == {"FN07.min_execution_pct": "80"}
            assert len(run.rules_hash) == 64
            expected = hashlib.sha256((YEAR1 / "project.yaml").read_bytes()).hexdigest()
            assert [(Path(i.path).name, i.sha256) for i in run.inputs] == [
                ("project.yaml", expected)
            ]
            (checked,) = run.projects
            assert (checked.year, checked.project.name) == (2022, "馆藏档案数字化加工")
            assert [f.rule for f in checked.findings] == ["PA07", "TG06", "TG07", "FN07"]
            assert {f.status for f in checked.findings} == {"open"}
    finally:
        store.close()
    # The rule pack's hash changes when a rule file does.
    from compliance.review.store.recording import tree_hash

    assert tree_hash(RULES) == run.rules_hash


def test_a_reviewers_waiver_and_rectification_reach_the_next_check(
    cli: CliRun, store_url: str
) -> None:
    _check(cli, store_url, YEAR1)
    store = Store.open(store_url)
    try:
        with store.session() as session:
            findings = {f.rule: f for f in session.scalars(select(StoredFinding)).all()}
            record_decision(
                session,
                findings["TG06"],
                kind=WAIVER,
                reviewer="李复核",
                reason="总体目标见年度工作计划第二部分",
            )
            record_decision(
                session,
                findings["TG07"],
                kind=RECTIFICATION,
                reviewer="李复核",
                reason="单位承诺下年度补设指标",
                state="整改中",
                deadline=dt.date(2023, 6, 30),
            )
    finally:
        store.close()
    data = _check(cli, store_url, YEAR2, "--baseline-from-store")
    found = {f["rule"]: f for f in data["projects"][0]["findings"]}
    assert found["TG06"]["status"] == "waived"
    assert found["TG06"]["waiver"]["accepted_by"] == "李复核"
    assert found["TG06"]["waiver"]["origin"] == "store"
    assert found["TG07"]["status"] == "open"
    code, text, _ = cli("history", "馆藏档案数字化加工", "--store", store_url)
    assert code == 0
    # The deadline has passed (2023-06-30) and the state is not 已整改.
    assert "整改：整改中，期限 2023-06-30，已逾期（李复核：单位承诺下年度补设指标）" in text
    assert "2022:待整改  2023:已说明" in text
    assert "已说明：总体目标见年度工作计划第二部分（李复核）" in text


def test_the_migrations_build_exactly_the_models(store_url: str) -> None:
    store = Store.open(store_url)
    try:
        with store.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        store.migrate()  # a second open is a no-op upgrade
    finally:
        store.close()


def test_history_and_check_refuse_a_missing_or_unreachable_store(
    cli: CliRun, tmp_path: Path
) -> None:
    missing = tmp_path / "none.db"
    code, out, err = cli("history", "x", "--store", str(missing))
    assert (code, out) == (2, "")
    assert "no such store" in err and not missing.exists()
    code, out, err = cli("check", str(YEAR1), "--store", "postgresql://nobody:pw@127.0.0.1:1/none")
    assert (code, out) == (2, "")
    assert err.startswith("--store: error: cannot open the store") and "pw" not in err
    code, _, err = cli("check", str(YEAR1), "--baseline-from-store")
    assert code == 2 and "needs --store" in err


def test_urls_accept_a_path_and_plain_postgresql() -> None:
    assert normalised_url("out/c.db") == "sqlite:///out/c.db"
    assert normalised_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalised_url("sqlite:///x.db") == "sqlite:///x.db"


def test_serve_binds_to_loopback_and_needs_an_existing_store(cli: CliRun, tmp_path: Path) -> None:
    from compliance.cli.main import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.store) == ("127.0.0.1", None)
    code, out, err = cli("serve", "--store", str(tmp_path / "none.db"))
    assert (code, out) == (2, "") and "no such store" in err


def test_a_store_of_the_first_schema_is_upgraded_in_place(cli: CliRun, store_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from compliance.review.store.database import MIGRATIONS

    engine = create_engine(normalised_url(store_url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO runs (id, started_at, tool_version, command, rules_hash, parameters,"
                " as_of) VALUES ('00000000-0000-0000-0000-000000000001', '2022-01-01 00:00:00',"
                " '0.0.1', 'check', :h, '{}', '2022-01-01')"
            ),
            {"h": "0" * 64},
        )
    engine.dispose()
    _check(cli, store_url, YEAR1)  # opening upgrades to the newest revision
    store = Store.open(store_url)
    try:
        with store.session() as session:
            runs = session.scalars(select(Run).order_by(Run.started_at)).all()
            assert [r.tool_version for r in runs] == ["0.0.1", __version__]
            (item,) = runs[1].inputs
            blob = session.get(Blob, item.sha256)
            assert blob is not None
            assert blob.content == (YEAR1 / "project.yaml").read_bytes()
    finally:
        store.close()


def test_a_project_without_year_or_department_is_stored_too(
    cli: CliRun, store_url: str, tmp_path: Path
) -> None:
    record = tmp_path / "minimal.yaml"
    record.write_text("project: {name: 仅有名称的项目}\n", encoding="utf-8")
    code, out, err = cli("check", str(record), "--format", "json", "--store", store_url)
    assert code in (0, 1) and err.startswith("stored run "), err
    assert all(f["fingerprint"] for f in json.loads(out)["projects"][0]["findings"])
    again = cli(
        "check", str(record), "--format", "json", "--store", store_url, "--baseline-from-store"
    )
    assert again[0] in (0, 1), again[2]
    store = Store.open(store_url)
    try:
        with store.session() as session:
            years = [p.year for r in session.scalars(select(Run)).all() for p in r.projects]
            assert years == [None, None]
    finally:
        store.close()
