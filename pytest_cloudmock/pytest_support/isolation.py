"""Per-test isolation of process-wide AWS SDK state that the gateway's fixtures do not own.

boto3's module-level `boto3.client(...)` / `boto3.resource(...)` use `boto3.DEFAULT_SESSION`,
a Session made on first use whose botocore session caches the credentials (hence the
account) it first resolved. Application code under test calls it; without a reset, the
account of one test's `cloudmock_env` (or `@pytest.mark.cloudmock(account=...)`) leaks
into later tests.
"""

from __future__ import annotations

import sys


def reset_default_sessions() -> None:
    """Make boto3's default Session resolve its credentials again on its next client.

    Only credentials it *resolved* (from the environment, a profile, ...) are forgotten;
    credentials passed to `boto3.setup_default_session(...)` are the caller's and stay.
    The Session itself is kept: a new one would reload botocore's data files, 0.1-0.5 s
    for the next client of every test. Imports nothing: without boto3 there is nothing to do.
    """
    boto3 = sys.modules.get("boto3")
    session = getattr(boto3, "DEFAULT_SESSION", None) if boto3 is not None else None
    core = getattr(session, "_session", None)
    # botocore has no public way to drop its cache: `_credentials` is what `get_credentials()`
    # caches; `method` is None only for credentials set explicitly (`set_credentials`).
    credentials = getattr(core, "_credentials", None)
    if credentials is not None and getattr(credentials, "method", None) is not None:
        core._credentials = None  # type: ignore[union-attr]
