"""The review page over HTTP (Starlette's test client), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from compliance.review.store.database import Store
from compliance.review.store.models import Decision, Project, StoredFinding
from compliance.review.web.app import create_app
from tests.conftest import CliRun
from tests.review.conftest import YEAR1

BASE = "http://127.0.0.1:8765"


@pytest.fixture
def store(cli: CliRun, store_url: str) -> Iterator[Store]:
    code, _, err = cli("check", str(YEAR1), "--store", store_url, "--fail-on", "none")
    assert code == 0, err
    opened = Store.open(store_url)
    yield opened
    opened.close()


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store), base_url=BASE) as c:
        yield c


def _ids(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {f.rule: f.id for f in session.scalars(select(StoredFinding)).all()}


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', html)
    assert found
    return found.group(1)


def test_pages_list_runs_projects_and_filtered_findings(client: TestClient, store: Store) -> None:
    index = client.get("/")
    assert index.status_code == 200
    assert "馆藏档案数字化加工" in index.text and "2022年" in index.text
    assert "script" not in index.text.lower()
    assert index.headers["content-security-policy"].startswith("default-src 'none'")
    check = re.search(r'href="/checks/(\d+)"', index.text)
    assert check
    page = client.get(f"/checks/{check.group(1)}")
    assert "显示 4 / 4 项问题" in page.text
    high = client.get(f"/checks/{check.group(1)}", params={"severity": "high"})
    assert "显示 3 / 4 项问题" in high.text and "FN07" not in high.text
    funds = client.get(f"/checks/{check.group(1)}", params={"category": "资金管理类"})
    assert "显示 1 / 4 项问题" in funds.text
    waived = client.get(f"/checks/{check.group(1)}", params={"status": "waived"})
    assert "显示 0 / 4 项问题" in waived.text
    finding = client.get(f"/findings/{_ids(store)['FN07']}")
    assert "预算执行率" in finding.text and "project.yaml:" in finding.text
    assert client.get("/findings/999999").status_code == 404
    with store.session() as session:
        project_id = session.scalars(select(Project.id)).one()
    assert "2022年" in client.get(f"/projects/{project_id}").text
    run = re.search(r'href="/runs/([0-9a-f-]{36})"', index.text)
    assert run
    paper = client.get(f"/runs/{run.group(1)}").text
    digest = hashlib.sha256((YEAR1 / "project.yaml").read_bytes()).hexdigest()
    assert digest in paper and "archive-2022/project.yaml" in paper
    link = re.search(r'href="(/runs/[0-9a-f-]{36}/inputs/(\d+))"', paper)
    assert link
    stored = client.get(link.group(1))
    assert stored.status_code == 200
    assert stored.content == (YEAR1 / "project.yaml").read_bytes()
    assert stored.headers["content-disposition"] == "attachment; filename*=UTF-8''project.yaml"
    other_run = f"/runs/00000000-0000-0000-0000-000000000000/inputs/{link.group(2)}"
    assert client.get(other_run).status_code == 404
    assert client.get("/runs/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/runs/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_a_waiver_is_recorded_with_reviewer_and_reason(client: TestClient, store: Store) -> None:
    fid = _ids(store)["TG06"]
    token = _token(client.get(f"/findings/{fid}").text)
    response = client.post(
        f"/findings/{fid}/waiver",
        data={"csrf_token": token, "reviewer": "李复核", "reason": "<b>总体目标</b>见年度计划"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(f"/findings/{fid}").text
    assert "李复核" in page
    assert "&lt;b&gt;总体目标&lt;/b&gt;见年度计划" in page  # escaped, never markup
    with store.session() as session:
        (decision,) = session.scalars(select(Decision)).all()
        assert (decision.kind, decision.reviewer) == ("waiver", "李复核")


def test_writes_need_a_named_reviewer_a_reason_and_a_valid_state(
    client: TestClient, store: Store
) -> None:
    fid = _ids(store)["TG07"]
    token = _token(client.get(f"/findings/{fid}").text)
    blank = client.post(f"/findings/{fid}/waiver", data={"csrf_token": token, "reason": "x"})
    assert blank.status_code == 400 and "请填写复核人姓名" in blank.text
    bad = client.post(
        f"/findings/{fid}/rectification",
        data={
            "csrf_token": token,
            "reviewer": "李",
            "reason": "y",
            "state": "done",
            "deadline": "6月",
        },
    )
    assert bad.status_code == 400 and "请选择整改状态" in bad.text and "YYYY-MM-DD" in bad.text
    with store.session() as session:
        assert session.scalars(select(Decision)).all() == []


def test_posts_without_a_valid_csrf_token_or_from_elsewhere_are_refused(
    client: TestClient, store: Store
) -> None:
    fid = _ids(store)["TG07"]
    form = {"reviewer": "李复核", "reason": "理由"}
    assert client.post(f"/findings/{fid}/waiver", data=form).status_code == 403
    token = _token(client.get(f"/findings/{fid}").text)
    wrong = client.post(f"/findings/{fid}/waiver", data={**form, "csrf_token": "0" * 64})
    assert wrong.status_code == 403
    foreign = client.post(
        f"/findings/{fid}/waiver",
        data={**form, "csrf_token": token},
        headers={"origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    with TestClient(
        create_app(store), base_url=BASE
    ) as stranger:  # another visitor: no cookie of ours
        assert (
            stranger.post(f"/findings/{fid}/waiver", data={**form, "csrf_token": token}).status_code
            == 403
        )
    with store.session() as session:
        assert session.scalars(select(Decision)).all() == []


def test_large_bodies_are_refused(client: TestClient, store: Store) -> None:
    fid = _ids(store)["TG07"]
    token = _token(client.get(f"/findings/{fid}").text)
    big = client.post(
        f"/findings/{fid}/waiver",
        data={"csrf_token": token, "reviewer": "李", "reason": "长" * 20000},
    )
    assert big.status_code == 413


def test_record_values_are_escaped_never_markup(
    cli: CliRun, store_url: str, tmp_path: Path
) -> None:
    import shutil

    case = tmp_path / "case"
    shutil.copytree(YEAR1, case)
    path = case / "project.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "name: 馆藏档案数字化加工", 'name: "<script>alert(1)</script>档案"'
        ),
        encoding="utf-8",
    )
    code, _, err = cli("check", str(case), "--store", store_url, "--fail-on", "none")
    assert code == 0, err
    opened = Store.open(store_url)
    try:
        with TestClient(create_app(opened), base_url=BASE) as client:
            page = client.get("/").text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;档案" in page
            assert "<script>" not in page
    finally:
        opened.close()


def test_other_host_names_are_refused(store: Store) -> None:
    app = create_app(store)
    with TestClient(app, base_url="http://attacker.example:8765") as rebound:
        assert rebound.get("/").status_code == 400
    with TestClient(app, base_url="http://localhost:8765") as local:
        assert local.get("/").status_code == 200


def test_a_rectification_status_shows_in_the_project_history(
    client: TestClient, store: Store
) -> None:
    fid = _ids(store)["FN07"]
    token = _token(client.get(f"/findings/{fid}").text)
    form = {"csrf_token": token, "reviewer": "李复核", "reason": "单位承诺加快支付"}
    done = client.post(
        f"/findings/{fid}/rectification",
        data={**form, "state": "整改中", "deadline": "2020-06-30"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with store.session() as session:
        project_id = session.scalars(select(Project.id)).one()
    page = client.get(f"/projects/{project_id}").text
    assert "整改中" in page and "2020-06-30" in page and "已逾期" in page


def test_a_withdrawn_waiver_no_longer_explains_the_finding(
    client: TestClient, store: Store, cli: CliRun, store_url: str
) -> None:
    fid = _ids(store)["TG06"]
    token = _token(client.get(f"/findings/{fid}").text)
    form = {"csrf_token": token, "reviewer": "李复核"}
    client.post(f"/findings/{fid}/waiver", data={**form, "reason": "总体目标见计划"})
    page = client.get(f"/findings/{fid}").text
    assert 'id="revocation-form"' in page and 'id="pending"' in page
    withdrawn = client.post(
        f"/findings/{fid}/revocation",
        data={**form, "reason": "计划中并无总体目标"},
        follow_redirects=False,
    )
    assert withdrawn.status_code == 303
    page = client.get(f"/findings/{fid}").text
    assert "撤销说明" in page and 'id="revocation-form"' not in page
    code, out, err = cli("check", str(YEAR1), "--format", "json", "--store", store_url)
    assert code == 1, err
    found = {f["rule"]: f for f in json.loads(out)["projects"][0]["findings"]}
    assert found["TG06"]["status"] == "open"
    # A new waiver after the revocation explains it again.
    token = _token(client.get(f"/findings/{fid}").text)
    client.post(
        f"/findings/{fid}/waiver",
        data={"csrf_token": token, "reviewer": "王评价", "reason": "补充了总体目标说明"},
    )
    _, out, _ = cli("check", str(YEAR1), "--format", "json", "--store", store_url)
    found = {f["rule"]: f for f in json.loads(out)["projects"][0]["findings"]}
    assert found["TG06"]["waiver"]["accepted_by"] == "王评价"
