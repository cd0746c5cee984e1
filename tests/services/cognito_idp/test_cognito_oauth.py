"""A pool's public HTTP endpoints: `.well-known` documents, and its domain's OAuth 2.0 token,
authorize (authorization code with PKCE), userInfo and revoke endpoints, in the path form and
the `<domain>.auth.<region>.localhost` host form."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import jwt
import requests

from .conftest import PASSWORD

CALLBACK = "https://app.example/callback"


def _setup(idp, pool):
    idp.create_user_pool_domain(UserPoolId=pool["Id"], Domain="shop-auth")
    idp.create_resource_server(UserPoolId=pool["Id"], Identifier="orders", Name="Orders",
                               Scopes=[{"ScopeName": "read", "ScopeDescription": "read orders"}])
    machine = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="machine", GenerateSecret=True, AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["orders/read"], AllowedOAuthFlowsUserPoolClient=True)["UserPoolClient"]
    web = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="spa", AllowedOAuthFlows=["code"], CallbackURLs=[CALLBACK],
        AllowedOAuthScopes=["openid", "email", "orders/read"], AllowedOAuthFlowsUserPoolClient=True,
        SupportedIdentityProviders=["COGNITO"])["UserPoolClient"]
    return machine, web


def test_well_known_documents(aws, idp, pool) -> None:
    idp.create_user_pool_domain(UserPoolId=pool["Id"], Domain="docs-auth")
    config = requests.get(f"{aws.endpoint}/{pool['Id']}/.well-known/openid-configuration", timeout=5).json()
    assert config["issuer"] == f"{aws.endpoint}/{pool['Id']}"
    assert config["token_endpoint"] == f"{aws.endpoint}/_aws/cognito-idp/docs-auth/oauth2/token"
    keys = requests.get(config["jwks_uri"], timeout=5).json()["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")]
    assert requests.get(f"{aws.endpoint}/us-east-1_missing99/.well-known/jwks.json", timeout=5).status_code == 404
    assert idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["Domain"] == "docs-auth"


def test_client_credentials_with_resource_server_scopes(aws, idp, pool) -> None:
    machine, _web = _setup(idp, pool)
    url = f"{aws.endpoint}/_aws/cognito-idp/shop-auth/oauth2/token"
    answer = requests.post(url, data={"grant_type": "client_credentials", "scope": "orders/read"},
                           auth=(machine["ClientId"], machine["ClientSecret"]), timeout=5)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    jwks = jwt.PyJWKClient(f"{aws.endpoint}/{pool['Id']}/.well-known/jwks.json")
    claims = jwt.decode(body["access_token"], jwks.get_signing_key_from_jwt(body["access_token"]).key,
                        algorithms=["RS256"], issuer=f"{aws.endpoint}/{pool['Id']}")
    assert (claims["sub"], claims["client_id"], claims["scope"]) == (machine["ClientId"], machine["ClientId"], "orders/read")

    bad_secret = requests.post(url, data={"grant_type": "client_credentials"}, auth=(machine["ClientId"], "nope"), timeout=5)
    assert (bad_secret.status_code, bad_secret.json()) == (401, {"error": "invalid_client"})
    bad_scope = requests.post(url, data={"grant_type": "client_credentials", "scope": "orders/write"},
                              auth=(machine["ClientId"], machine["ClientSecret"]), timeout=5)
    assert (bad_scope.status_code, bad_scope.json()) == (400, {"error": "invalid_scope"})
    # the host form, as `<domain>.auth.<region>.localhost:<port>` (the Host header: no DNS needed)
    port = aws.endpoint.rsplit(":", 1)[1]
    by_host = requests.post(f"{aws.endpoint}/oauth2/token", data={"grant_type": "client_credentials"},
                            headers={"Host": f"shop-auth.auth.us-east-1.localhost:{port}"},
                            auth=(machine["ClientId"], machine["ClientSecret"]), timeout=5)
    assert by_host.status_code == 200 and jwt.decode(by_host.json()["access_token"],
                                                     options={"verify_signature": False})["iss"] == f"http://127.0.0.1:{port}/{pool['Id']}"


def test_authorization_code_with_pkce_user_info_and_refresh(aws, idp, pool, make_user) -> None:
    _machine, web = _setup(idp, pool)
    make_user("wes")
    base = f"{aws.endpoint}/_aws/cognito-idp/shop-auth/oauth2"
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {"response_type": "code", "client_id": web["ClientId"], "redirect_uri": CALLBACK, "state": "xyz",
             "scope": "openid email", "code_challenge": challenge, "code_challenge_method": "S256"}
    page = requests.get(f"{base}/authorize", params=query, timeout=5)
    assert page.status_code == 200 and "<form" in page.text  # the sign-in page
    signed_in = requests.post(f"{base}/authorize", params=query, data={"username": "wes", "password": PASSWORD},
                              allow_redirects=False, timeout=5)
    assert signed_in.status_code == 302
    location = urlsplit(signed_in.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    code, state = parse_qs(location.query)["code"][0], parse_qs(location.query)["state"][0]
    assert state == "xyz"

    wrong = requests.post(f"{base}/token", data={"grant_type": "authorization_code", "client_id": web["ClientId"],
                                                 "code": code, "redirect_uri": CALLBACK, "code_verifier": "wrong"}, timeout=5)
    assert (wrong.status_code, wrong.json()) == (400, {"error": "invalid_grant"})
    # a code is good once: the wrong verifier used it up, so sign in again
    again = requests.get(f"{base}/authorize", params={**query, "username": "wes", "password": PASSWORD},
                         allow_redirects=False, timeout=5)
    code = parse_qs(urlsplit(again.headers["Location"]).query)["code"][0]
    tokens = requests.post(f"{base}/token", data={"grant_type": "authorization_code", "client_id": web["ClientId"],
                                                  "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier},
                           timeout=5).json()
    access = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert access["scope"] == "openid email" and access["username"] == "wes"
    id_claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert id_claims["aud"] == web["ClientId"] and access["version"] == 2
    digest = hashlib.sha256(tokens["access_token"].encode()).digest()[:16]
    assert id_claims["at_hash"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()  # OpenID Connect's rule

    info = requests.get(f"{base}/userInfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=5)
    assert info.json()["email"] == "wes@example.com" and info.json()["username"] == "wes"
    assert requests.get(f"{base}/userInfo", headers={"Authorization": "Bearer x"}, timeout=5).status_code == 401

    refreshed = requests.post(f"{base}/token", data={"grant_type": "refresh_token", "client_id": web["ClientId"],
                                                     "refresh_token": tokens["refresh_token"]}, timeout=5)
    assert refreshed.status_code == 200 and "refresh_token" not in refreshed.json()
    assert requests.post(f"{base}/revoke", data={"client_id": web["ClientId"], "token": tokens["refresh_token"]},
                         timeout=5).status_code == 200
    assert requests.post(f"{base}/token", data={"grant_type": "refresh_token", "client_id": web["ClientId"],
                                                "refresh_token": tokens["refresh_token"]}, timeout=5).status_code == 400


def test_logout_returns_to_a_sign_out_url(aws, idp, pool) -> None:
    idp.create_user_pool_domain(UserPoolId=pool["Id"], Domain="out-auth")
    web = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="w", LogoutURLs=["https://app.example/bye"],
                                      AllowedOAuthFlows=["code"], CallbackURLs=[CALLBACK], AllowedOAuthScopes=["openid"],
                                      AllowedOAuthFlowsUserPoolClient=True)["UserPoolClient"]
    base = f"{aws.endpoint}/_aws/cognito-idp/out-auth/logout"
    answer = requests.get(base, params={"client_id": web["ClientId"], "logout_uri": "https://app.example/bye"},
                          allow_redirects=False, timeout=5)
    assert (answer.status_code, answer.headers["Location"]) == (302, "https://app.example/bye")
    assert requests.get(base, params={"client_id": web["ClientId"], "logout_uri": "https://evil.example"},
                        allow_redirects=False, timeout=5).status_code == 400


def test_sign_up_confirmed_by_the_mailed_link(aws, idp, cognito) -> None:
    pool = idp.create_user_pool(PoolName="by-link", AutoVerifiedAttributes=["email"], VerificationMessageTemplate={
        "DefaultEmailOption": "CONFIRM_WITH_LINK", "EmailSubjectByLink": "Confirm your account"})["UserPool"]
    idp.create_user_pool_domain(UserPoolId=pool["Id"], Domain="link-auth")
    client = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="c")["UserPoolClient"]
    idp.sign_up(ClientId=client["ClientId"], Username="yara", Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": "yara@example.com"}])
    [mail] = cognito.messages(pool["Id"], "yara")
    assert mail["Subject"] == "Confirm your account"
    assert mail["Link"].startswith(f"{aws.endpoint}/_aws/cognito-idp/link-auth/confirmUser?")
    assert f'<a href="{mail["Link"]}">Verify Email</a>' in mail["Message"]
    answer = requests.get(mail["Link"], timeout=5)
    assert answer.status_code == 200 and "confirmed" in answer.text
    user = idp.admin_get_user(UserPoolId=pool["Id"], Username="yara")
    assert user["UserStatus"] == "CONFIRMED" and {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    assert requests.get(mail["Link"], timeout=5).status_code == 400  # used
