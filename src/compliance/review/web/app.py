"""The review page: runs, projects and findings from the store; reviewers record decisions.

Why server-rendered HTML without script: the evaluation team opens it on their
own machine (bound to 127.0.0.1), filters findings and records a waiver or a
整改 status; plain forms and links do that, work in any browser, and leave no
script to vet or vendor. Jinja2 autoescapes every value. No handler opens a file
named by the request: a finding's source location is only shown as text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from compliance import __version__
from compliance.review.store.database import Store
from compliance.review.store.models import (
    Blob,
    Decision,
    Project,
    Run,
    RunInput,
    RunProject,
    StoredFinding,
)
from compliance.review.store.queries import (
    RECTIFICATION,
    RECTIFICATION_STATES,
    REVOCATION,
    WAIVER,
    active_waivers,
    history,
    latest_checks,
    record_decision,
)
from compliance.review.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    BodyLimit,
    Csrf,
    SecurityHeaders,
    refused,
    same_origin,
)

TEMPLATES = Path(__file__).with_name("templates")
MAX_NAME = 100
MAX_REASON = 2000
FILTERS = ("category", "severity", "status", "baseline")
STATUS_WORDS = {"open": "待整改", "waived": "已说明"}
BASELINE_WORDS = {"new": "新增", "repeated": "重复"}
SEVERITY_WORDS = {"high": "高", "medium": "中", "low": "低", "info": "提示"}


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.globals.update(
        status_words=STATUS_WORDS,
        baseline_words=BASELINE_WORDS,
        severity_words=SEVERITY_WORDS,
        version=__version__,
    )
    return env


class ReviewApp:
    """The handlers, sharing one store and one CSRF secret."""

    def __init__(self, store: Store, csrf: Csrf | None = None) -> None:
        self.store = store
        self.csrf = csrf or Csrf()
        self.templates = Jinja2Templates(env=_environment())

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        """Render a template with a CSRF token bound to the visitor's cookie (set if new)."""
        cookie = request.cookies.get(CSRF_COOKIE)
        fresh = cookie is None or not cookie.isascii() or len(cookie) > 100
        value = Csrf.new_cookie() if fresh or cookie is None else cookie
        context["csrf_token"] = self.csrf.token_for(value)
        response = self.templates.TemplateResponse(request, name, context, status_code=status)
        if fresh:
            response.set_cookie(CSRF_COOKIE, value, httponly=True, samesite="strict")
        return response

    @staticmethod
    def not_found(request: Request) -> Response:
        """404 for an id that names nothing."""
        return Response("404 not found", status_code=404, media_type="text/plain")

    async def index(self, request: Request) -> Response:
        """Runs, newest first, and the projects with their checked years."""
        with self.store.session() as session:
            runs = session.scalars(select(Run).order_by(Run.started_at.desc()).limit(50)).all()
            counts = dict(
                session.execute(
                    select(RunProject.run_id, func.count(StoredFinding.id))
                    .join(StoredFinding, StoredFinding.run_project_id == RunProject.id)
                    .group_by(RunProject.run_id)
                ).all()
            )
            projects = [
                (p, latest_checks(session, p.id))
                for p in session.scalars(select(Project).order_by(Project.name)).all()
            ]
            return self.page(request, "index.html", runs=runs, counts=counts, projects=projects)

    async def run(self, request: Request) -> Response:
        """One run as a working paper: version, parameters, and the hash of everything it read."""
        with self.store.session() as session:
            run = session.get(Run, str(request.path_params["run_id"]))
            if run is None:
                return self.not_found(request)
            return self.page(request, "run.html", run=run)

    async def input_file(self, request: Request) -> Response:
        """The stored bytes of one file a run read, as an attachment (never read from disk)."""
        with self.store.session() as session:
            item = session.get(RunInput, _int(request.path_params["input_id"]))
            if item is None or item.run_id != str(request.path_params["run_id"]):
                return self.not_found(request)
            blob = session.get(Blob, item.sha256)
            if blob is None:  # recorded before the store kept file contents
                return self.not_found(request)
            name = quote(PurePosixPath(item.path).name or "input")
            return Response(
                blob.content,
                media_type="application/octet-stream",
                headers={"content-disposition": f"attachment; filename*=UTF-8''{name}"},
            )

    async def project(self, request: Request) -> Response:
        """A project's findings across years (the same table as ``compliance history``)."""
        with self.store.session() as session:
            project = session.get(Project, _int(request.path_params["project_id"]))
            if project is None:
                return self.not_found(request)
            checks = latest_checks(session, project.id)
            return self.page(
                request,
                "project.html",
                project=project,
                history=history(session, project),
                checks=checks,
                today=dt.date.today(),
            )

    async def check(self, request: Request) -> Response:
        """One project's findings in one run, filtered by category, severity, status, baseline."""
        with self.store.session() as session:
            checked = session.get(RunProject, _int(request.path_params["check_id"]))
            if checked is None:
                return self.not_found(request)
            chosen = {k: request.query_params.get(k, "") for k in FILTERS}
            findings = [f for f in checked.findings if _keep(f, chosen)]
            options = {
                "category": sorted({f.category for f in checked.findings}),
                "severity": [
                    s for s in SEVERITY_WORDS if any(f.severity == s for f in checked.findings)
                ],
                "status": list(STATUS_WORDS),
                "baseline": list(BASELINE_WORDS),
            }
            decisions = _decisions(session, checked.project_id)
            return self.page(
                request,
                "check.html",
                checked=checked,
                findings=findings,
                chosen=chosen,
                options=options,
                decisions=decisions,
                waived=active_waivers(session, checked.project_id),
            )

    async def finding(self, request: Request) -> Response:
        """A finding with its evidence, location and every decision on it."""
        return self._finding_page(request, _int(request.path_params["finding_id"]), {}, {})

    def _finding_page(
        self, request: Request, finding_id: int, errors: dict[str, str], form: dict[str, str]
    ) -> Response:
        with self.store.session() as session:
            finding = session.get(StoredFinding, finding_id)
            if finding is None:
                return self.not_found(request)
            trail = session.scalars(
                select(Decision)
                .where(
                    Decision.project_id == finding.run_project.project_id,
                    Decision.fingerprint == finding.fingerprint,
                )
                .order_by(Decision.id.desc())
            ).all()
            return self.page(
                request,
                "finding.html",
                status=400 if errors else 200,
                finding=finding,
                trail=trail,
                errors=errors,
                form=form,
                states=RECTIFICATION_STATES,
                waived=finding.fingerprint
                in active_waivers(session, finding.run_project.project_id),
            )

    async def decide(self, request: Request) -> Response:
        """Record a waiver or a 整改 status: CSRF-checked, named reviewer, reason required."""
        if not same_origin(request):
            return refused("cross-origin form")
        form = await request.form()
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        if not self.csrf.valid(request.cookies.get(CSRF_COOKIE), values.get(CSRF_FIELD)):
            return refused("missing or wrong CSRF token")
        kind = request.path_params["kind"]
        if kind not in (WAIVER, RECTIFICATION, REVOCATION):
            return self.not_found(request)
        finding_id = _int(request.path_params["finding_id"])
        errors, parsed = _validate(kind, values)
        if errors:
            return self._finding_page(request, finding_id, errors, values)
        with self.store.session() as session:
            finding = session.get(StoredFinding, finding_id)
            if finding is None:
                return self.not_found(request)
            record_decision(session, finding, kind=kind, **parsed)
        return RedirectResponse(f"/findings/{finding_id}", status_code=303)


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int) else int(str(value))


def _keep(finding: StoredFinding, chosen: dict[str, str]) -> bool:
    return (
        (not chosen["category"] or finding.category == chosen["category"])
        and (not chosen["severity"] or finding.severity == chosen["severity"])
        and (not chosen["status"] or finding.status == chosen["status"])
        and (not chosen["baseline"] or finding.baseline_state == chosen["baseline"])
    )


def _decisions(session: Session, project_id: int) -> dict[tuple[str, str], Decision]:
    rows = session.scalars(
        select(Decision).where(Decision.project_id == project_id).order_by(Decision.id)
    ).all()
    return {(d.fingerprint, d.kind): d for d in rows}


def _date(text: str, field: str, errors: dict[str, str]) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        errors[field] = "请填写日期，格式 YYYY-MM-DD"
        return None


def _validate(kind: str, values: dict[str, str]) -> tuple[dict[str, str], dict[str, Any]]:
    """The decision's fields, or the errors to show beside the form."""
    errors: dict[str, str] = {}
    reviewer = values.get("reviewer", "").strip()
    reason = values.get("reason", "").strip()
    if not reviewer:
        errors["reviewer"] = "请填写复核人姓名"
    elif len(reviewer) > MAX_NAME:
        errors["reviewer"] = f"姓名不超过 {MAX_NAME} 字"
    if not reason:
        errors["reason"] = "请填写理由"
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"理由不超过 {MAX_REASON} 字"
    parsed: dict[str, Any] = {"reviewer": reviewer, "reason": reason}
    if kind == WAIVER:
        parsed["expires"] = _date(values.get("expires", ""), "expires", errors)
        document = values.get("document", "").strip()
        if len(document) > MAX_NAME * 2:
            errors["document"] = f"不超过 {MAX_NAME * 2} 字"
        parsed["document"] = document or None
    elif kind == RECTIFICATION:
        state = values.get("state", "")
        if state not in RECTIFICATION_STATES:
            errors["state"] = "请选择整改状态：" + "、".join(RECTIFICATION_STATES)
        parsed["state"] = state
        parsed["deadline"] = _date(values.get("deadline", ""), "deadline", errors)
    return errors, parsed


LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def create_app(
    store: Store, csrf: Csrf | None = None, hosts: tuple[str, ...] = LOOPBACK
) -> Starlette:
    """The ASGI app over ``store``; ``csrf`` fixes the secret (tests), else a random one.

    Only requests naming one of ``hosts`` are served, so a web page elsewhere cannot reach
    the store by pointing its own domain name at 127.0.0.1 (DNS rebinding).
    """
    review = ReviewApp(store, csrf)
    routes = [
        Route("/", review.index),
        Route("/favicon.ico", lambda _request: Response(status_code=204)),
        Route("/runs/{run_id:uuid}", review.run),
        Route("/runs/{run_id:uuid}/inputs/{input_id:int}", review.input_file),
        Route("/projects/{project_id:int}", review.project),
        Route("/checks/{check_id:int}", review.check),
        Route("/findings/{finding_id:int}", review.finding),
        Route("/findings/{finding_id:int}/{kind}", review.decide, methods=["POST"]),
    ]
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts)),
            Middleware(BodyLimit),
        ],
    )
