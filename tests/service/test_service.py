"""The decision service: the library's own reports over HTTP, errors as 4xx with paths, CDS
Hooks cards. The live tests talk to a real uvicorn server on the loopback; TestClient covers
the rest of the surface."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx
import pytest
from fastapi.testclient import TestClient

from permanency_rules import __version__, evaluate_json
from permanency_rules.language.catalogue import load_catalogue
from permanency_rules.model.io import load_case_document
from permanency_rules.model.schema import json_schema
from permanency_rules.service import create_app
from permanency_rules.service.cds import SERVICE_ID
from tests.conftest import ROOT

FIXTURES = sorted((ROOT / "fixtures" / "cases").glob("*.yaml"))
CATALOGUE = load_catalogue()


def _doc(path):  # type: ignore[no-untyped-def]
    case, doc = load_case_document(path)
    return case.model_dump(mode="json"), doc


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(max_body=200_000)) as c:
        yield c


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_live_service_answers_fixtures_with_the_library_report(http: httpx.Client, path) -> None:  # type: ignore[no-untyped-def]
    case, doc = _doc(path)
    as_of = doc["as_of"].isoformat()
    params = {"as_of": as_of, **({"profile": doc["profile"]} if doc.get("profile") else {})}
    r = http.post("/evaluate", params=params, content=json.dumps(case))
    assert r.status_code == 200
    assert r.json() == json.loads(
        evaluate_json(json.dumps(case), as_of, profile=doc.get("profile"), engine="auto")
    )
    assert sorted(f["rule_id"] for f in r.json()["report"]["findings"]) == sorted(doc["expect"]["findings"])
    assert r.headers["x-permanency-rules-version"] == __version__
    assert r.headers["x-ruleset-version"] == CATALOGUE.version


def test_live_bad_case_is_422_with_every_path(http: httpx.Client) -> None:
    case, _ = _doc(FIXTURES[1])
    case["services"][0]["status"] = "unheard_of"
    case["episode"]["removal_date"] = "2026-02-30"
    r = http.post("/evaluate", params={"as_of": "2026-11-01"}, content=json.dumps(case))
    assert r.status_code == 422
    body = r.json()
    assert body["ok"] is False and body["case_id"] == case["case_id"]
    paths = {e["path"] for e in body["errors"]}
    assert {"services[0].status", "episode.removal_date"} <= paths
    assert r.headers["x-ruleset-version"] == CATALOGUE.version


def test_live_concurrent_requests_get_their_own_reports(http: httpx.Client) -> None:
    docs = [_doc(p) for p in FIXTURES]

    def one(i: int) -> tuple[int, list[str]]:
        case, doc = docs[i % len(docs)]
        params = {
            "as_of": doc["as_of"].isoformat(),
            **({"profile": doc["profile"]} if doc.get("profile") else {}),
        }
        r = http.post("/evaluate", params=params, content=json.dumps(case))
        return i, sorted(f["rule_id"] for f in r.json()["report"]["findings"])

    with ThreadPoolExecutor(8) as pool:
        for i, got in pool.map(one, range(120)):
            assert got == sorted(docs[i % len(docs)][1]["expect"]["findings"])


def test_as_of_is_required_and_checked(client: TestClient) -> None:
    case, _ = _doc(FIXTURES[0])
    for params, status in (({}, 400), ({"as_of": "2026-13-01"}, 400), ({"as_of": "tomorrow"}, 400)):
        r = client.post("/evaluate", params=params, content=json.dumps(case))
        assert r.status_code == status, params
        assert r.json()["ok"] is False and r.json()["errors"][0]["path"] == "as_of"


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[1, 2]", b'"a string"', b"{" * 5000, json.dumps({"case_id": "x"}).encode()],
    ids=["empty", "text", "list", "string", "deep", "incomplete"],
)
def test_bad_bodies_are_4xx_never_500(client: TestClient, body: bytes) -> None:
    r = client.post("/evaluate", params={"as_of": "2026-11-01"}, content=body)
    assert 400 <= r.status_code < 500
    assert r.json()["ok"] is False and r.json()["errors"]


def test_body_is_capped(client: TestClient) -> None:
    r = client.post("/evaluate", params={"as_of": "2026-11-01"}, content=b" " * 200_001)
    assert r.status_code == 413 and r.json()["ok"] is False

    def chunks() -> Iterator[bytes]:  # no Content-Length: the stream itself is counted
        for _ in range(30):
            yield b" " * 10_000

    r = client.post("/evaluate", params={"as_of": "2026-11-01"}, content=chunks())
    assert r.status_code == 413


def test_unknown_profile_is_400_and_paths_are_not_profiles(client: TestClient) -> None:
    case, _ = _doc(FIXTURES[0])
    for name in ("nowhere", "../parameters", "/etc/passwd"):
        r = client.post(
            "/evaluate", params={"as_of": "2026-11-01", "profile": name}, content=json.dumps(case)
        )
        assert r.status_code == 400 and r.json()["errors"] == [
            {"path": "profile", "reason": "unknown profile"}
        ]


def test_rules_and_rule_pages(client: TestClient) -> None:
    r = client.get("/rules")
    assert r.status_code == 200
    ids = [x["id"] for x in r.json()["rules"]]
    assert ids == [x.id for x in CATALOGUE.rules] and r.json()["ruleset_version"] == CATALOGUE.version
    page = client.get(f"/rules/{ids[0]}").json()
    rule = CATALOGUE.rule(ids[0])
    assert page["id"] == rule.id and page["principle"] == rule.spec.principle
    assert page["citations"] and page["condition"][0].startswith("the case")
    assert client.get("/rules/PR-XX-999").status_code == 404


def test_parameters_in_force_with_citations(client: TestClient) -> None:
    fed = client.get("/parameters", params={"as_of": "2026-11-01"}).json()
    state = client.get("/parameters", params={"as_of": "2026-11-01", "profile": "example_state"}).json()
    assert fed["profile"] is None and state["profile"] == "example_state"
    f = {p["name"]: p for p in fed["parameters"]}
    s = {p["name"]: p for p in state["parameters"]}
    assert set(f) == set(CATALOGUE.parameters.params) and all(p["citation"]["section"] for p in f.values())
    changed = [n for n in f if f[n]["value"] != s[n]["value"]]
    assert changed and all(s[n]["source"] == "profile" and f[n]["source"] == "federal" for n in changed)
    assert client.get("/parameters").status_code == 400


def test_schemas_health_openapi_and_headers(client: TestClient) -> None:
    assert client.get("/schema/case").json() == json_schema("case")
    assert client.get("/schema/report").json() == json_schema("report")
    health = client.get("/health")
    assert health.json()["status"] == "ok" and health.json()["package_version"] == __version__
    spec = client.get("/openapi.json").json()
    assert {"/evaluate", "/rules", "/rules/{rule_id}", "/parameters", "/cds-services"} <= set(spec["paths"])
    as_of = next(p for p in spec["paths"]["/evaluate"]["post"]["parameters"] if p["name"] == "as_of")
    assert as_of["required"] is True
    for path in ("/health", "/rules", "/openapi.json", "/nowhere"):
        r = client.get(path)
        assert r.headers["x-permanency-rules-version"] == __version__, path
        assert r.headers["x-ruleset-version"] == CATALOGUE.version, path


def _hook(case: dict, as_of: str, where: str = "context") -> dict:
    req: dict = {
        "hook": "case-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"as_of": as_of},
    }
    if where == "context":
        req["context"]["case"] = case
    else:
        req["prefetch"] = {"case": case}
    return req


def test_cds_discovery_and_cards(client: TestClient, http: httpx.Client) -> None:
    services = client.get("/cds-services").json()["services"]
    assert [s["id"] for s in services] == [SERVICE_ID] and services[0]["hook"]
    case, doc = _doc(ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml")
    report = json.loads(evaluate_json(json.dumps(case), doc["as_of"]))["report"]
    for where in ("context", "prefetch"):
        r = http.post(f"/cds-services/{SERVICE_ID}", json=_hook(case, doc["as_of"].isoformat(), where))
        assert r.status_code == 200
        cards = r.json()["cards"]
        assert [c["uuid"] for c in cards] == [f["finding_id"] for f in report["findings"]]
        for c, f in zip(cards, report["findings"], strict=True):
            assert len(c["summary"]) < 140 and c["indicator"] == f["severity"]
            assert c["source"] == {
                "label": f"{f['citations'][0]['authority']} {f['citations'][0]['section']}",
                "url": f["citations"][0]["url"],
            }
            assert (
                "**Principle.**" in c["detail"]
                and "**Evidence.**" in c["detail"]
                and "**Next step.**" in c["detail"]
            )


def test_cds_bad_requests(client: TestClient) -> None:
    case, _ = _doc(FIXTURES[0])
    url = f"/cds-services/{SERVICE_ID}"
    assert client.post(url, json={"hook": "case-view"}).status_code == 400
    assert client.post(url, json={"context": {"case": case}}).json()["errors"][0]["path"] == "context.as_of"
    bad = dict(case, child={"birth_date": "someday"})
    r = client.post(url, json=_hook(bad, "2026-11-01"))
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "context.case.child.birth_date"


def test_cds_detail_escapes_case_text() -> None:
    from permanency_rules.service.cds import md

    assert md("a *b* [c](javascript:x) <img>") == r"a \*b\* \[c\]\(javascript:x\) \<img\>"


def test_logs_carry_no_case_content(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    case, _ = _doc(FIXTURES[1])
    case["office"] = "Secret Office Name"
    with caplog.at_level(logging.INFO, logger="permanency_rules.service"):
        client.post("/evaluate", params={"as_of": "2026-11-01"}, content=json.dumps(case))
        client.post("/evaluate", params={"as_of": "2026-11-01"}, content=b'{"case_id": "Jane Doe"}')
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "POST /evaluate 200" in text and "POST /evaluate 422" in text
    assert "Secret" not in text and "Jane" not in text and date(2026, 11, 1).isoformat() not in text


def test_integrator_guide_examples_work(client: TestClient) -> None:
    import re

    guide = (ROOT / "docs" / "integrator-guide.md").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", guide, re.S)]
    hook = next(b for b in blocks if "hook" in b)  # the CDS Hooks request (not the error example)
    r = client.post(f"/cds-services/{SERVICE_ID}", json=hook)
    assert r.status_code == 200 and r.json()["cards"], r.text
    spec_paths = set(client.get("/openapi.json").json()["paths"]) | {"/openapi.json"}
    shown = set(re.findall(r"http://127\.0\.0\.1:8000(/[a-z/{}A-Z0-9-]*)", guide))
    assert shown
    for path in shown:
        assert any(re.fullmatch(re.sub(r"\{[a-z_]+\}", "[^/]+", p), path) for p in spec_paths), path
