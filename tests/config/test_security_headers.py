"""The headers production settings send, scored as the MDN HTTP Observatory scores a site.

The modifiers are the Observatory's published ones ("Tests & scoring",
https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring; the grader's table is
src/grader/charts.js of github.com/mdn/mdn-http-observatory): start at 100, take the
penalties, and add the bonuses only if the score is still 90 or more. Each test below reads
the response as that test does (src/analyzer/tests/*.js), for what Versus can send. docs/deploy.md
lists each header and why.
"""

import json
import re

import pytest

from tests.config.test_settings import PRODUCTION, manage

HOST = "versus.example.org"
# Runs under production settings against a fresh database: the home page (what the
# Observatory scans) and the admin's login page (the one page that sets cookies), over HTTPS
# as the proxy forwards it, and the home page over plain HTTP.
SCRIPT = f"""
import json
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="{HOST}")
out = {{}}
pages = [("home", "/", True), ("login", "/admin/login/", True), ("http", "/", False)]
for name, path, secure in pages:
    response = client.get(path, secure=secure)
    out[name] = {{
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": [morsel.OutputString() for morsel in response.cookies.values()],
        "body": response.content.decode(),
    }}
print("RESULT " + json.dumps(out))
"""
SAFE_REFERRER_POLICIES = {
    "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"
}  # fmt: skip
BROAD = {"*", "http:", "https:", "ftp:", "http://*", "https://*"}


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    database = tmp_path_factory.mktemp("observatory") / "db.sqlite3"
    result = manage(
        "shell", "-c", SCRIPT, **PRODUCTION,
        DATABASE_URL=f"sqlite:///{database}",
        # The hashed static storage needs `collectstatic`; the headers do not depend on it.
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def parse_csp(policy):
    directives = {}
    for part in policy.split(";"):
        if part.strip():
            name, *sources = part.split()
            directives[name.lower()] = set(sources)
    return directives


def csp_test(headers):
    if "Content-Security-Policy" not in headers:
        return "csp-not-implemented", -25
    csp = parse_csp(headers["Content-Security-Policy"])
    default = csp.get("default-src", {"*"})
    script, style = csp.get("script-src", default), csp.get("style-src", default)
    if script & (BROAD | {"'unsafe-inline'", "data:"}) or csp.get("object-src", default) & BROAD:
        return "csp-implemented-with-unsafe-inline", -20
    if (script | style) & {"'unsafe-eval'"}:
        return "csp-implemented-with-unsafe-eval", -10
    if style & (BROAD | {"'unsafe-inline'", "data:"}):
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if default == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def cookies_test(cookies):
    if not cookies:
        return "cookies-not-found", 0
    for cookie in cookies:
        attributes = cookie.lower()
        name = cookie.split("=", 1)[0].lower()
        if "secure" not in attributes:
            return "cookies-without-secure-flag", -20
        if ("sess" in name or "login" in name) and "httponly" not in attributes:
            return "cookies-session-without-httponly-flag", -30
        if not re.search(r"samesite=(lax|strict)", attributes):
            return "cookies-secure-with-httponly-sessions", 0
    return "cookies-secure-with-httponly-sessions-and-samesite", 5


def hsts_test(headers):
    match = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security", ""))
    if not match:
        return "hsts-not-implemented", -20
    if int(match[1]) < 15_768_000:
        return "hsts-implemented-max-age-less-than-six-months", -10
    return "hsts-implemented-max-age-at-least-six-months", 0  # (+5 once on the preload list)


def redirection_test(http):
    location = http["headers"].get("Location", "")
    if http["status"] in (301, 302, 307, 308) and location.startswith(f"https://{HOST}/"):
        return "redirection-to-https", 0
    return "redirection-missing", -20


def sri_test(body):
    sources = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", body)
    if not sources:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    if all(src.startswith("/") and not src.startswith("//") for src in sources):
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    return "sri-not-implemented-but-external-scripts-loaded-securely", -5


# Tests that read one header: (header, values that pass, bonus if it passes, penalty if it is
# missing). A value outside the passing ones costs 5 (their "unsafe" or "invalid" results).
HEADER_TESTS = [
    ("Referrer-Policy", SAFE_REFERRER_POLICIES, 5, 0),
    ("X-Content-Type-Options", {"nosniff"}, 0, -5),
    ("Cross-Origin-Resource-Policy", {"same-origin", "same-site"}, 10, 0),
    ("Cross-Origin-Opener-Policy", {"same-origin", "same-origin-allow-popups"}, 10, 0),
    ("Cross-Origin-Embedder-Policy", {"require-corp", "credentialless"}, 10, 0),
]


def header_test(headers, name, passing, bonus, missing):
    value = headers.get(name, "").strip().lower()
    if not value:
        return f"{name.lower()}-not-implemented", missing
    if value in passing:
        return f"{name.lower()}-{value}", bonus
    return f"{name.lower()}-invalid-or-unsafe", -5


def frame_options_test(headers):
    frame_ancestors = parse_csp(headers.get("Content-Security-Policy", "")).get("frame-ancestors")
    if frame_ancestors and not frame_ancestors & BROAD:
        return "x-frame-options-implemented-via-csp", 5
    return header_test(headers, "X-Frame-Options", {"deny", "sameorigin"}, 5, -20)


def cors_test(headers):
    # Pages send no Access-Control-Allow-Origin (CORS is for /api/, without credentials).
    if "Access-Control-Allow-Credentials" in headers and "Access-Control-Allow-Origin" in headers:
        return "cross-origin-resource-sharing-implemented-with-universal-access", -50
    return "cross-origin-resource-sharing-not-implemented-or-public", 0


def observatory(page, http):
    headers = page["headers"]
    results = [
        csp_test(headers),
        cookies_test(page["cookies"]),
        cors_test(headers),
        redirection_test(http),
        hsts_test(headers),
        sri_test(page["body"]),
        frame_options_test(headers),
        *(header_test(headers, *test) for test in HEADER_TESTS),
    ]
    score = 100 + sum(modifier for _, modifier in results if modifier < 0)
    if score >= 90:
        score += sum(modifier for _, modifier in results if modifier > 0)
    return score, results


@pytest.mark.parametrize("name", ["home", "login"])
def test_production_headers_score_at_least_100_on_the_observatory(production, name):
    page = production[name]
    assert page["status"] == 200, page["body"][:300]
    score, results = observatory(page, production["http"])
    breakdown = "\n".join(f"{modifier:+4d} {result}" for result, modifier in results)
    assert [r for r, modifier in results if modifier < 0] == [], breakdown
    assert dict(results)["csp-implemented-with-no-unsafe-default-src-none"] == 10, breakdown
    assert score >= 100, f"{score}\n{breakdown}"


def test_the_policy_allows_nothing_inline_and_nothing_from_elsewhere(production):
    headers = production["home"]["headers"]
    csp = parse_csp(headers["Content-Security-Policy"])
    assert csp["default-src"] == {"'none'"}
    for directive, sources in csp.items():
        assert sources <= {"'self'", "'none'"}, (directive, sources)
    assert csp["frame-ancestors"] == {"'none'"} and csp["base-uri"] == {"'none'"}
    assert csp["form-action"] == {"'self'"}
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(item.strip().split("=", 1) for item in headers["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()", feature


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/frameworks/", "/api/v1/frameworks/", "/api/docs/"])
def test_a_cached_response_keeps_every_header(client, url):
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    if not url.startswith("/api/docs/"):
        assert response["X-Cache"] == "hit"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_redoc_page_gets_a_new_nonce_every_time_and_is_never_stored(client):
    first, second = (client.get("/api/redoc/") for _ in range(2))
    policies = [response["Content-Security-Policy"] for response in (first, second)]
    nonces = [re.search(r"'nonce-([^']+)'", policy)[1] for policy in policies]
    assert nonces[0] != nonces[1]
    assert f'nonce="{nonces[1]}"' in second.content.decode()
    assert "X-Cache" not in second and "no-store" in second["Cache-Control"]
