"""The decision service: the library's own reports over HTTP, plus CDS Hooks cards.

Stateless: every answer depends only on the request and the loaded rule catalogue (compiled
plans are cached, never per-client state). Evaluation runs in the thread pool; the engines are
thread-safe. ``as_of`` is always required: the service never assumes today. Bad input is a 4xx
answer listing every problem with its field path, in the shape ``evaluate_json`` uses. Logs name
the method, route, status and time only, never case content.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from .._version import __version__
from ..engines.choice import EngineName, resolve_engine
from ..evaluation import RulesArg, evaluate, evaluate_json, parse_as_of, resolve_catalogue
from ..language.catalogue import Catalogue
from ..language.errors import RuleLoadError
from ..model.errors import CaseValidationError
from ..model.io import loc_path
from ..model.schema import json_schema
from ..outputs.rule_docs import condition_lines
from . import cds

log = logging.getLogger("permanency_rules.service")

#: Default request body cap: a large real case is well under 100 kB.
MAX_BODY = 1_000_000
_PROFILE = re.compile(r"[a-z0-9_]{1,64}")
_OK = re.compile(rb'^\{\s*"ok"\s*:\s*true')
AS_OF_HELP = "Evaluation date YYYY-MM-DD (required: the service never assumes today)."
AsOf = Annotated[str, Query(description=AS_OF_HELP, pattern=r"^\d{4}-\d{2}-\d{2}$")]
ProfileQ = Annotated[str | None, Query(description="Jurisdiction profile name, e.g. example_state.")]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BadRequest(Exception):
    """A request problem: answered as ``{"ok": false, "errors": [...]}`` with ``status``."""

    def __init__(self, status: int, errors: list[dict[str, str]], case_id: str | None = None) -> None:
        super().__init__(f"{status}: {len(errors)} error(s)")
        self.status, self.errors, self.case_id = status, errors, case_id


def _problem(status: int, errors: list[dict[str, str]], case_id: str | None = None) -> JSONResponse:
    return JSONResponse({"ok": False, "case_id": case_id, "errors": errors}, status_code=status)


class _Envelope:
    """Pure ASGI middleware: version headers on every response, the body cap on the declared
    length, and one log line per request (method, route, status, milliseconds)."""

    def __init__(self, app: ASGIApp, headers: list[tuple[bytes, bytes]], max_body: int) -> None:
        self.app, self.headers, self.max_body = app, headers, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [0]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            too_big = _problem(413, [{"path": "", "reason": f"request body over {self.max_body} bytes"}])
            await too_big(scope, receive, send_with_headers)
        else:
            await self.app(scope, receive, send_with_headers)
        route = scope.get("route")
        log.info(
            "%s %s %s %.1fms",
            scope.get("method"),
            getattr(route, "path", "<unmatched>"),
            status[0],
            (time.perf_counter() - start) * 1000,
        )


async def _body(request: Request, cap: int) -> bytes:
    """The request body, refusing more than ``cap`` bytes even without a Content-Length."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise BadRequest(413, [{"path": "", "reason": f"request body over {cap} bytes"}])
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(rules: RulesArg = None, *, max_body: int = MAX_BODY, engine: EngineName = "auto") -> FastAPI:
    """The service for a rule catalogue (default: the bundled one) and a per-case engine."""
    resolve_engine(engine)  # refuse an unknown or unavailable engine at start-up
    base = resolve_catalogue(rules)
    profiles_dir = base.root / "profiles"
    catalogues: dict[str | None, Catalogue] = {None: base}
    lock = threading.Lock()

    def catalogue(profile: str | None) -> Catalogue:
        with lock:
            hit = catalogues.get(profile)
        if hit is not None:
            return hit
        if (
            profile is None
            or not _PROFILE.fullmatch(profile)
            or not (profiles_dir / f"{profile}.yaml").is_file()
        ):
            raise BadRequest(400, [{"path": "profile", "reason": "unknown profile"}])
        try:
            cat = base.with_profile(profiles_dir / f"{profile}.yaml")
        except RuleLoadError:
            raise BadRequest(400, [{"path": "profile", "reason": "profile cannot be loaded"}]) from None
        with lock:
            return catalogues.setdefault(profile, cat)

    def day(as_of: str) -> date:
        try:
            return parse_as_of(as_of)
        except ValueError as exc:
            raise BadRequest(400, [{"path": "as_of", "reason": str(exc)}]) from None

    app = FastAPI(
        title="permanency_rules decision service",
        version=__version__,
        description="Evaluates one child-welfare case against the permanency rules; the same report "
        "as the library's evaluate_json. Every response carries X-Permanency-Rules-Version and "
        "X-Ruleset-Version headers.",
    )

    @app.exception_handler(BadRequest)
    async def _bad(_request: Request, exc: BadRequest) -> JSONResponse:
        return _problem(exc.status, exc.errors, exc.case_id)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "path": loc_path(tuple(e["loc"][1:]) if e["loc"][:1] == ("query",) else tuple(e["loc"])),
                "reason": e["msg"],
            }
            for e in exc.errors()
        ]
        return _problem(400, errors)

    @app.post(
        "/evaluate",
        summary="Evaluate one case",
        description="Body: a case as JSON (see /schema/case). 200 with {ok: true, report} "
        "(see /schema/report); 422 with {ok: false, case_id, errors: [{path, reason}]} for a bad "
        "case, listing every problem.",
    )
    async def evaluate_case(request: Request, as_of: AsOf, profile: ProfileQ = None) -> Response:
        d, cat = day(as_of), catalogue(profile)
        body = await _body(request, max_body)
        text = await run_in_threadpool(evaluate_json, body, d, rules=cat, engine=engine)
        raw = text.encode()
        return Response(raw, status_code=200 if _OK.match(raw) else 422, media_type="application/json")

    @app.get("/rules", summary="The rules in the catalogue")
    def list_rules() -> dict[str, Any]:
        return {
            "ruleset_version": base.version,
            "rules": [
                {
                    "id": r.id,
                    "version": r.spec.version,
                    "status": r.spec.status.value,
                    "family": r.spec.family.value,
                    "severity": r.spec.severity.value,
                    "title": r.spec.title,
                    "summary": r.spec.summary,
                }
                for r in base.rules
            ],
        }

    @app.get("/rules/{rule_id}", summary="One rule's page data")
    def get_rule(rule_id: str) -> dict[str, Any]:
        try:
            rule = base.rule(rule_id)
        except KeyError:
            raise BadRequest(404, [{"path": "rule_id", "reason": "no rule has this id"}]) from None
        spec = rule.spec.model_dump(mode="json", exclude={"when"}, by_alias=True)
        params = base.parameters
        return {
            **spec,
            "condition": condition_lines(rule),
            "parameters": [
                {
                    "name": n,
                    "unit": params.params[n].unit,
                    "citation": params.citation(n).model_dump(mode="json"),
                }
                for n in rule.spec.parameters
            ],
        }

    @app.get("/parameters", summary="Parameter values in force on a date, with their citations")
    def parameters(as_of: AsOf, profile: ProfileQ = None) -> dict[str, Any]:
        d, cat = day(as_of), catalogue(profile)
        ps = cat.parameters
        values = ps.resolve(d)
        overridden = set(ps.profile.overrides) if ps.profile else set()
        return {
            "as_of": d.isoformat(),
            "profile": ps.profile.name if ps.profile else None,
            "parameters": [
                {
                    "name": name,
                    "value": values[name],
                    "unit": p.unit,
                    "description": " ".join(p.description.split()),
                    "source": "profile" if name in overridden and values[name] != p.at(d) else "federal",
                    "citation": ps.citation(name).model_dump(mode="json")
                    if name in overridden and values[name] != p.at(d)
                    else p.citation.model_dump(mode="json"),
                }
                for name, p in sorted(ps.params.items())
            ],
        }

    @app.get("/schema/case", summary="JSON Schema of a case")
    def schema_case() -> dict[str, Any]:
        return json_schema("case")

    @app.get("/schema/report", summary="JSON Schema of a report")
    def schema_report() -> dict[str, Any]:
        return json_schema("report")

    @app.get("/health", summary="Liveness, versions and the engine in use")
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "package_version": __version__,
            "ruleset_version": base.version,
            "engine": resolve_engine(engine),
        }

    @app.get("/cds-services", summary="CDS Hooks discovery")
    def cds_discovery() -> dict[str, Any]:
        return cds.discovery()

    @app.post(
        f"/cds-services/{cds.SERVICE_ID}",
        summary="CDS Hooks: findings as cards",
        description="Body: {hook, hookInstance, context: {as_of, profile?, case}} (or the case in "
        "prefetch.case). Answers {cards: [...]}, one card per finding; 422 for a bad case.",
    )
    async def cds_review(request: Request) -> dict[str, Any]:
        body = await _body(request, max_body)
        try:
            req = json.loads(body)
        except (ValueError, RecursionError):
            raise BadRequest(400, [{"path": "", "reason": "body is not JSON"}]) from None
        if not isinstance(req, dict) or not isinstance(req.get("context"), dict):
            raise BadRequest(
                400, [{"path": "context", "reason": "a CDS Hooks request needs a context object"}]
            )
        ctx = req["context"]
        prefetch = req.get("prefetch")
        prefetch = prefetch if isinstance(prefetch, dict) else {}
        where = "context.case" if "case" in ctx else "prefetch.case"
        case = ctx["case"] if "case" in ctx else prefetch.get("case")
        if not isinstance(case, dict):
            raise BadRequest(400, [{"path": "context.case", "reason": "the case object is missing"}])
        as_of = ctx.get("as_of")
        if not isinstance(as_of, str):
            raise BadRequest(400, [{"path": "context.as_of", "reason": "required: an ISO date YYYY-MM-DD"}])
        profile = ctx.get("profile")
        if profile is not None and not isinstance(profile, str):
            raise BadRequest(400, [{"path": "context.profile", "reason": "must be a profile name"}])
        d, cat = day(as_of), catalogue(profile)
        try:
            report = await run_in_threadpool(evaluate, case, d, rules=cat, engine=engine)
        except CaseValidationError as exc:
            errors = [
                {"path": f"{where}.{e.path}" if e.path else where, "reason": e.reason} for e in exc.errors
            ]
            raise BadRequest(422, errors, exc.case_id) from None
        return {"cards": [cds.card(f) for f in report.findings]}

    headers = [
        (b"x-permanency-rules-version", __version__.encode()),
        (b"x-ruleset-version", base.version.encode()),
    ]
    app.add_middleware(_Envelope, headers=headers, max_body=max_body)
    return app


def default_app() -> FastAPI:
    """The bundled catalogue's service, for ``uvicorn --factory`` with several workers."""
    return create_app()
