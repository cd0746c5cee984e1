"""Concurrent sign-ins and sign-ups over HTTP: every call answers, no state is lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .conftest import PASSWORD


def test_parallel_sign_ups_and_sign_ins(idp, pool, app, make_user) -> None:
    make_user("shared")

    def work(n: int) -> tuple[str, str]:
        idp.sign_up(ClientId=app["ClientId"], Username=f"user{n}", Password=PASSWORD)
        tokens = idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": "shared", "PASSWORD": PASSWORD})["AuthenticationResult"]
        return idp.get_user(AccessToken=tokens["AccessToken"])["Username"], tokens["RefreshToken"]

    with ThreadPoolExecutor(8) as executor:
        results = list(executor.map(work, range(24)))
    assert {name for name, _ in results} == {"shared"}
    assert len({refresh for _, refresh in results}) == 24
    listed = idp.list_users(UserPoolId=pool["Id"], Filter='username ^= "user"')["Users"]
    assert len(listed) == 24
