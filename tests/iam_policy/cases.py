"""The evaluation table: one case per element, operator, variable, boundary, session
policy, SCP and cross-account rule, with the decision AWS documents for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ACCOUNT = "111111111111"
OTHER = "222222222222"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/s1"
OBJECT = "arn:aws:s3:::bucket/home/alice/file.txt"
A, D, E = "allowed", "implicitDeny", "explicitDeny"  # allowed, implicit deny, explicit deny


def allow(action: Any = "s3:GetObject", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any = "s3:GetObject", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def cond(operator: str, key: str, values: Any, action: str = "s3:GetObject") -> dict[str, Any]:
    return allow(action, Condition={operator: {key: values}})


@dataclass
class Case:
    name: str
    identity: list[dict[str, Any]]
    expected: str
    action: str = "s3:GetObject"
    resource: str = OBJECT
    context: dict[str, list[str]] = field(default_factory=dict)
    boundary: list[dict[str, Any]] | None = None
    session: list[dict[str, Any]] | None = None
    scps: list[list[dict[str, Any]]] | None = None
    resource_policy: list[dict[str, Any]] | None = None
    resource_account: str | None = None
    principal: str = "user"  # user, session, root
    denied_by: str = ""

    @property
    def simulable(self) -> bool:
        """What SimulateCustomPolicy can express (no session policies, SCPs, role sessions or root)."""
        return self.session is None and self.scps is None and self.principal == "user"


NOW = {"aws:CurrentTime": ["2026-06-15T12:00:00Z"], "aws:EpochTime": ["1781524800"]}
USER_KEYS = {"aws:username": ["alice"], "aws:PrincipalTag/team": ["blue"], "aws:userid": ["AIDAEXAMPLE"]}

CASES: list[Case] = [
    # -- Effect, Action / NotAction ------------------------------------------------------------------
    Case("no policy: implicit deny", [], D, denied_by="identity"),
    Case("allow exact action", [allow()], A),
    Case("action is case-insensitive", [allow("S3:getobject")], A),
    Case("action wildcard *", [allow("s3:*")], A),
    Case("action wildcard Get*", [allow("s3:Get*")], A),
    Case("action wildcard ?", [allow("s3:GetObjec?")], A),
    Case("action wildcard does not over-match", [allow("s3:Put*")], D),
    Case("other service's action", [allow("sqs:GetObject")], D),
    Case("action list", [allow(["sqs:SendMessage", "s3:GetObject"])], A),
    Case("full wildcard action", [allow("*")], A),
    Case("NotAction allows the rest", [{"Effect": "Allow", "NotAction": "s3:Put*", "Resource": "*"}], A),
    Case("NotAction excludes the named", [{"Effect": "Allow", "NotAction": "s3:Get*", "Resource": "*"}], D),
    Case("Deny with NotAction denies the rest", [allow(), {"Effect": "Deny", "NotAction": "s3:Put*", "Resource": "*"}], E),
    Case("Deny with NotAction spares the named", [allow(), {"Effect": "Deny", "NotAction": "s3:Get*", "Resource": "*"}], A),
    # -- explicit deny wins ---------------------------------------------------------------------------
    Case("explicit deny beats allow", [allow(), deny()], E, denied_by="identity"),
    Case("deny on another action", [allow(), deny("s3:PutObject")], A),
    Case("deny wildcard", [allow("*"), deny("s3:*")], E),
    Case("deny in a second policy statement order irrelevant", [deny(), allow()], E),
    # -- Resource / NotResource -----------------------------------------------------------------------
    Case("resource exact", [allow(resource=OBJECT)], A),
    Case("resource prefix wildcard", [allow(resource="arn:aws:s3:::bucket/*")], A),
    Case("resource other bucket", [allow(resource="arn:aws:s3:::other/*")], D),
    Case("resource is case-sensitive", [allow(resource="arn:aws:s3:::BUCKET/*")], D),
    Case("resource ? wildcard", [allow(resource="arn:aws:s3:::bucke?/home/*")], A),
    Case("resource list", [allow(resource=["arn:aws:s3:::x/*", "arn:aws:s3:::bucket/home/*"])], A),
    Case("resource region wildcard segment", [allow("sqs:SendMessage", "arn:aws:sqs:*:111111111111:q")], A,
         action="sqs:SendMessage", resource="arn:aws:sqs:us-east-1:111111111111:q"),
    Case("resource account segment mismatch", [allow("sqs:SendMessage", "arn:aws:sqs:*:222222222222:q")], D,
         action="sqs:SendMessage", resource="arn:aws:sqs:us-east-1:111111111111:q"),
    Case("resource * ending a short ARN spans the rest",
         [allow("sqs:SendMessage", "arn:aws:sqs:us-east-1:*")], A,
         action="sqs:SendMessage", resource="arn:aws:sqs:us-east-1:111111111111:q"),
    Case("resource in last segment spans colons", [allow("logs:PutLogEvents", "arn:aws:logs:*:*:log-group:g:*")], A,
         action="logs:PutLogEvents", resource="arn:aws:logs:us-east-1:111111111111:log-group:g:log-stream:s"),
    Case("NotResource allows others", [{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}], A),
    Case("NotResource excludes the named", [{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::bucket/*"}], D),
    Case("Deny NotResource denies outside", [allow(), {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::x/*"}], E),
    Case("action on no resource needs *", [allow("s3:ListAllMyBuckets", "arn:aws:s3:::*")], D,
         action="s3:ListAllMyBuckets", resource="*"),
    Case("action on no resource with *", [allow("s3:ListAllMyBuckets", "*")], A,
         action="s3:ListAllMyBuckets", resource="*"),
    # -- String operators ---------------------------------------------------------------------------
    Case("StringEquals match", [cond("StringEquals", "aws:PrincipalTag/team", "blue")], A, context=USER_KEYS),
    Case("StringEquals mismatch", [cond("StringEquals", "aws:PrincipalTag/team", "red")], D, context=USER_KEYS),
    Case("StringEquals is case-sensitive", [cond("StringEquals", "aws:PrincipalTag/team", "BLUE")], D, context=USER_KEYS),
    Case("StringEquals any of values", [cond("StringEquals", "aws:PrincipalTag/team", ["red", "blue"])], A, context=USER_KEYS),
    Case("StringEquals missing key", [cond("StringEquals", "aws:PrincipalTag/dept", "x")], D, context=USER_KEYS),
    Case("condition key names are case-insensitive", [cond("StringEquals", "AWS:PRINCIPALTAG/TEAM", "blue")], A,
         context=USER_KEYS),
    Case("StringNotEquals match", [cond("StringNotEquals", "aws:PrincipalTag/team", "red")], A, context=USER_KEYS),
    Case("StringNotEquals mismatch", [cond("StringNotEquals", "aws:PrincipalTag/team", "blue")], D, context=USER_KEYS),
    Case("StringNotEquals none of values", [cond("StringNotEquals", "aws:PrincipalTag/team", ["red", "blue"])], D,
         context=USER_KEYS),
    Case("StringNotEquals missing key holds", [cond("StringNotEquals", "aws:PrincipalTag/dept", "x")], A, context=USER_KEYS),
    Case("StringEqualsIgnoreCase", [cond("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "BLUE")], A, context=USER_KEYS),
    Case("StringNotEqualsIgnoreCase", [cond("StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", "BLUE")], D,
         context=USER_KEYS),
    Case("StringLike *", [cond("StringLike", "s3:prefix", "home/*", "s3:ListBucket")], A, action="s3:ListBucket",
         resource="arn:aws:s3:::bucket", context={"s3:prefix": ["home/alice/"]}),
    Case("StringLike ?", [cond("StringLike", "aws:username", "al?ce")], A, context=USER_KEYS),
    Case("StringLike no match", [cond("StringLike", "aws:username", "bob*")], D, context=USER_KEYS),
    Case("StringNotLike", [cond("StringNotLike", "aws:username", "bob*")], A, context=USER_KEYS),
    Case("StringNotLike matching", [cond("StringNotLike", "aws:username", "a*")], D, context=USER_KEYS),
    # -- Numeric ------------------------------------------------------------------------------------
    Case("NumericEquals", [cond("NumericEquals", "s3:max-keys", "10", "s3:ListBucket")], A, action="s3:ListBucket",
         resource="arn:aws:s3:::bucket", context={"s3:max-keys": ["10"]}),
    Case("NumericNotEquals", [cond("NumericNotEquals", "s3:max-keys", "10", "s3:ListBucket")], D, action="s3:ListBucket",
         resource="arn:aws:s3:::bucket", context={"s3:max-keys": ["10"]}),
    Case("NumericLessThan", [cond("NumericLessThan", "s3:max-keys", "11", "s3:ListBucket")], A, action="s3:ListBucket",
         resource="arn:aws:s3:::bucket", context={"s3:max-keys": ["10"]}),
    Case("NumericLessThan equal is false", [cond("NumericLessThan", "s3:max-keys", "10", "s3:ListBucket")], D,
         action="s3:ListBucket", resource="arn:aws:s3:::bucket", context={"s3:max-keys": ["10"]}),
    Case("NumericLessThanEquals", [cond("NumericLessThanEquals", "s3:max-keys", "10", "s3:ListBucket")], A,
         action="s3:ListBucket", resource="arn:aws:s3:::bucket", context={"s3:max-keys": ["10"]}),
    Case("NumericGreaterThan", [cond("NumericGreaterThan", "s3:max-keys", "5", "s3:ListBucket")], A,
         action="s3:ListBucket", resource="arn:aws:s3:::bucket", context={"s3:max-keys": ["10"]}),
    Case("NumericGreaterThanEquals", [cond("NumericGreaterThanEquals", "s3:max-keys", "11", "s3:ListBucket")], D,
         action="s3:ListBucket", resource="arn:aws:s3:::bucket", context={"s3:max-keys": ["10"]}),
    Case("Numeric with a non-number", [cond("NumericEquals", "s3:max-keys", "10", "s3:ListBucket")], D,
         action="s3:ListBucket", resource="arn:aws:s3:::bucket", context={"s3:max-keys": ["ten"]}),
    # -- Date ---------------------------------------------------------------------------------------
    Case("DateLessThan before", [cond("DateLessThan", "aws:CurrentTime", "2027-01-01T00:00:00Z")], A, context=NOW),
    Case("DateLessThan after", [cond("DateLessThan", "aws:CurrentTime", "2026-01-01T00:00:00Z")], D, context=NOW),
    Case("DateGreaterThan", [cond("DateGreaterThan", "aws:CurrentTime", "2026-01-01T00:00:00Z")], A, context=NOW),
    Case("DateEquals", [cond("DateEquals", "aws:CurrentTime", "2026-06-15T12:00:00Z")], A, context=NOW),
    Case("DateNotEquals", [cond("DateNotEquals", "aws:CurrentTime", "2026-06-15T12:00:00Z")], D, context=NOW),
    Case("DateLessThanEquals", [cond("DateLessThanEquals", "aws:CurrentTime", "2026-06-15T12:00:00Z")], A, context=NOW),
    Case("DateGreaterThanEquals epoch", [cond("DateGreaterThanEquals", "aws:EpochTime", "1781524800")], A, context=NOW),
    Case("Date compares epoch with ISO", [cond("DateLessThan", "aws:EpochTime", "2026-06-15T12:00:01Z")], A, context=NOW),
    # -- Bool, Binary, IP, Arn, Null ------------------------------------------------------------------
    Case("Bool true", [cond("Bool", "aws:SecureTransport", "true")], A, context={"aws:SecureTransport": ["true"]}),
    Case("Bool false mismatch", [cond("Bool", "aws:SecureTransport", "true")], D, context={"aws:SecureTransport": ["false"]}),
    Case("Bool as JSON boolean", [cond("Bool", "aws:MultiFactorAuthPresent", True)], A,
         context={"aws:MultiFactorAuthPresent": ["true"]}),
    Case("deny when not MFA", [allow(), deny(Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}})], E,
         context={"aws:MultiFactorAuthPresent": ["false"]}),
    Case("BoolIfExists missing key", [allow(), deny(Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})],
         E),
    Case("BinaryEquals", [cond("BinaryEquals", "aws:binarykey", "QmluYXJ5VmFsdWU=")], A,
         context={"aws:binarykey": ["QmluYXJ5VmFsdWU="]}),
    Case("BinaryEquals mismatch", [cond("BinaryEquals", "aws:binarykey", "QmluYXJ5VmFsdWU=")], D,
         context={"aws:binarykey": ["T3RoZXI="]}),
    Case("IpAddress in CIDR", [cond("IpAddress", "aws:SourceIp", "127.0.0.0/8")], A, context={"aws:SourceIp": ["127.0.0.1"]}),
    Case("IpAddress outside", [cond("IpAddress", "aws:SourceIp", "10.0.0.0/8")], D, context={"aws:SourceIp": ["127.0.0.1"]}),
    Case("IpAddress single address", [cond("IpAddress", "aws:SourceIp", "127.0.0.1")], A,
         context={"aws:SourceIp": ["127.0.0.1"]}),
    Case("IpAddress IPv6", [cond("IpAddress", "aws:SourceIp", "2001:db8::/32")], A, context={"aws:SourceIp": ["2001:db8::5"]}),
    Case("NotIpAddress", [allow(), deny(Condition={"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})], E,
         context={"aws:SourceIp": ["127.0.0.1"]}),
    Case("NotIpAddress inside", [allow(), deny(Condition={"NotIpAddress": {"aws:SourceIp": "127.0.0.0/8"}})], A,
         context={"aws:SourceIp": ["127.0.0.1"]}),
    Case("ArnEquals", [cond("ArnEquals", "aws:PrincipalArn", USER)], A, context={"aws:PrincipalArn": [USER]}),
    Case("ArnLike wildcard", [cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:user/*")], A,
         context={"aws:PrincipalArn": [USER]}),
    Case("ArnLike segments", [cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/*")], D,
         context={"aws:PrincipalArn": [USER]}),
    Case("ArnNotEquals", [cond("ArnNotEquals", "aws:PrincipalArn", ROLE)], A, context={"aws:PrincipalArn": [USER]}),
    Case("ArnNotLike", [cond("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::*:user/*")], D,
         context={"aws:PrincipalArn": [USER]}),
    Case("Null true: key absent", [cond("Null", "aws:TokenIssueTime", "true")], A),
    Case("Null true: key present", [cond("Null", "aws:TokenIssueTime", "true")], D,
         context={"aws:TokenIssueTime": ["2026-01-01T00:00:00Z"]}),
    Case("Null false: key present", [cond("Null", "aws:TokenIssueTime", "false")], A,
         context={"aws:TokenIssueTime": ["2026-01-01T00:00:00Z"]}),
    Case("StringEqualsIfExists missing", [cond("StringEqualsIfExists", "aws:RequestTag/env", "dev")], A),
    Case("StringEqualsIfExists present mismatch", [cond("StringEqualsIfExists", "aws:RequestTag/env", "dev")], D,
         context={"aws:RequestTag/env": ["prod"]}),
    Case("NumericLessThanIfExists", [cond("NumericLessThanIfExists", "s3:max-keys", "5", "s3:ListBucket")], A,
         action="s3:ListBucket", resource="arn:aws:s3:::bucket"),
    Case("two keys: both must hold", [allow(Condition={"StringEquals": {"aws:username": "alice",
                                                                       "aws:PrincipalTag/team": "red"}})], D,
         context=USER_KEYS),
    Case("two operators: both must hold", [allow(Condition={"StringEquals": {"aws:username": "alice"},
                                                            "Bool": {"aws:SecureTransport": "true"}})], A,
         context={**USER_KEYS, "aws:SecureTransport": ["true"]}),
    # -- set operators ------------------------------------------------------------------------------------
    Case("ForAllValues all in set", [cond("ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"])], A,
         context={"aws:TagKeys": ["env"]}),
    Case("ForAllValues one outside", [cond("ForAllValues:StringEquals", "aws:TagKeys", ["env"])], D,
         context={"aws:TagKeys": ["env", "cost"]}),
    Case("ForAllValues empty is true", [cond("ForAllValues:StringEquals", "aws:TagKeys", ["env"])], A),
    Case("ForAnyValue one in set", [cond("ForAnyValue:StringEquals", "aws:TagKeys", ["env"])], A,
         context={"aws:TagKeys": ["cost", "env"]}),
    Case("ForAnyValue none in set", [cond("ForAnyValue:StringEquals", "aws:TagKeys", ["env"])], D,
         context={"aws:TagKeys": ["cost"]}),
    Case("ForAnyValue empty is false", [cond("ForAnyValue:StringEquals", "aws:TagKeys", ["env"])], D),
    Case("ForAnyValue:StringLike", [cond("ForAnyValue:StringLike", "aws:TagKeys", ["e*"])], A,
         context={"aws:TagKeys": ["cost", "env"]}),
    Case("ForAllValues:StringNotEquals", [cond("ForAllValues:StringNotEquals", "aws:TagKeys", ["secret"])], A,
         context={"aws:TagKeys": ["env", "cost"]}),
    Case("deny ForAnyValue forbidden tag", [allow(), deny(Condition={"ForAnyValue:StringEquals": {"aws:TagKeys": "secret"}})],
         E, context={"aws:TagKeys": ["env", "secret"]}),
    # -- policy variables ------------------------------------------------------------------------------
    Case("${aws:username} in Resource", [allow(resource="arn:aws:s3:::bucket/home/${aws:username}/*")], A,
         context=USER_KEYS),
    Case("${aws:username} other user", [allow(resource="arn:aws:s3:::bucket/home/${aws:username}/*")], D,
         context={"aws:username": ["bob"]}),
    Case("variable missing: statement does not apply", [allow(resource="arn:aws:s3:::bucket/home/${aws:username}/*")], D),
    Case("variable default value", [allow(resource="arn:aws:s3:::bucket/home/${aws:username, 'alice'}/*")], A),
    Case("${aws:PrincipalTag/team} in condition", [cond("StringEquals", "aws:ResourceTag/team", "${aws:PrincipalTag/team}")],
         A, context={**USER_KEYS, "aws:ResourceTag/team": ["blue"]}),
    Case("${aws:PrincipalTag/team} mismatch", [cond("StringEquals", "aws:ResourceTag/team", "${aws:PrincipalTag/team}")],
         D, context={**USER_KEYS, "aws:ResourceTag/team": ["red"]}),
    Case("${s3:prefix} variable", [cond("StringLike", "s3:prefix", "${aws:username}/*", "s3:ListBucket")], A,
         action="s3:ListBucket", resource="arn:aws:s3:::bucket", context={**USER_KEYS, "s3:prefix": ["alice/docs"]}),
    Case("${*} is a literal star", [allow(resource="arn:aws:s3:::bucket/home/${*}/file.txt")], D),
    Case("${*} matches a literal star", [allow(resource="arn:aws:s3:::bucket/${*}")], A,
         resource="arn:aws:s3:::bucket/*"),
    Case("${?} literal", [cond("StringEquals", "aws:username", "who${?}")], A, context={"aws:username": ["who?"]}),
    Case("${$} literal", [cond("StringEquals", "aws:username", "${$}money")], A, context={"aws:username": ["$money"]}),
    Case("variable value is literal in a pattern", [allow(resource="arn:aws:s3:::bucket/home/${aws:username}/*")], D,
         context={"aws:username": ["*"]}),
    # -- permissions boundaries ----------------------------------------------------------------------------
    Case("boundary allows", [allow()], A, boundary=[allow("s3:*")]),
    Case("boundary does not allow", [allow()], D, boundary=[allow("sqs:*")], denied_by="boundary"),
    Case("boundary alone grants nothing", [], D, boundary=[allow("s3:*")], denied_by="identity"),
    Case("explicit deny in boundary wins", [allow("*")], E, boundary=[allow("*"), deny()], denied_by="boundary"),
    Case("boundary resource scope", [allow()], D, boundary=[allow("s3:*", "arn:aws:s3:::other/*")]),
    Case("boundary condition", [allow()], A, boundary=[cond("StringEquals", "aws:username", "alice", "s3:*")],
         context=USER_KEYS),
    # -- session policies ------------------------------------------------------------------------------
    Case("session policy allows", [allow("*")], A, session=[allow("s3:GetObject")], principal="session"),
    Case("session policy limits", [allow("*")], D, session=[allow("sqs:*")], principal="session", denied_by="session"),
    Case("session policy grants nothing alone", [], D, session=[allow("*")], principal="session", denied_by="identity"),
    Case("explicit deny in session policy", [allow("*")], E, session=[allow("*"), deny()], principal="session",
         denied_by="session"),
    Case("no session policy: role's policies", [allow()], A, principal="session"),
    # -- SCPs ----------------------------------------------------------------------------------------------
    Case("SCP allows all", [allow()], A, scps=[[allow("*")]]),
    Case("SCP does not allow", [allow()], D, scps=[[allow("sqs:*")]], denied_by="scp"),
    Case("SCP explicit deny", [allow()], E, scps=[[allow("*"), deny("s3:*")]], denied_by="scp"),
    Case("SCP limits the root too", [], E, scps=[[allow("*"), deny("s3:*")]], principal="root", denied_by="scp"),
    Case("SCP grants nothing alone", [], D, scps=[[allow("*")]], denied_by="identity"),
    Case("root allowed without policies", [], A, principal="root"),
    Case("SCP region condition", [allow()], E, scps=[[allow("*"), deny("*", Condition={
        "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1"]}})]], context={"aws:RequestedRegion": ["us-east-1"]}),
    # -- resource-based policies, same account -------------------------------------------------------------
    Case("resource policy alone allows the user", [], A, resource_policy=[allow(Principal={"AWS": USER})]),
    Case("resource policy for another user", [], D,
         resource_policy=[allow(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"})]),
    Case("resource policy Principal *", [], A, resource_policy=[allow(Principal="*")]),
    Case("resource policy naming the account does not grant", [], D,
         resource_policy=[allow(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})], denied_by="identity"),
    Case("resource policy naming the account + identity allow", [allow()], A,
         resource_policy=[allow(Principal={"AWS": ACCOUNT})]),
    Case("resource policy deny beats identity allow", [allow()], E,
         resource_policy=[deny(Principal="*")], denied_by="resource"),
    Case("resource policy deny on the account", [allow()], E,
         resource_policy=[deny(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})]),
    Case("NotPrincipal deny spares the named", [allow()], A,
         resource_policy=[deny(NotPrincipal={"AWS": USER})]),
    Case("NotPrincipal deny hits others", [allow()], E,
         resource_policy=[deny(NotPrincipal={"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"})]),
    Case("resource policy allow despite boundary (user ARN)", [], A, boundary=[allow("sqs:*")],
         resource_policy=[allow(Principal={"AWS": USER})]),
    Case("resource policy with condition", [], A, context={"aws:SourceIp": ["127.0.0.1"]},
         resource_policy=[allow(Principal="*", Condition={"IpAddress": {"aws:SourceIp": "127.0.0.0/8"}})]),
    Case("resource policy condition fails", [], D, context={"aws:SourceIp": ["127.0.0.1"]},
         resource_policy=[allow(Principal="*", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})]),
    Case("resource policy on the session ARN ignores session policy", [], A, principal="session",
         session=[allow("sqs:*")], resource_policy=[allow(Principal={"AWS": SESSION})]),
    Case("resource policy on the role ARN: session policy limits", [], D, principal="session",
         session=[allow("sqs:*")], resource_policy=[allow(Principal={"AWS": ROLE})], denied_by="session"),
    Case("resource policy on the role ARN grants the session", [], A, principal="session",
         resource_policy=[allow(Principal={"AWS": ROLE})]),
    Case("service principal does not match a user", [], D,
         resource_policy=[allow(Principal={"Service": "sns.amazonaws.com"})]),
    # -- cross-account --------------------------------------------------------------------------------------
    Case("cross-account needs both: only identity", [allow()], D, resource_account=OTHER, denied_by="resource"),
    Case("cross-account needs both: only resource", [], D, resource_account=OTHER,
         resource_policy=[allow(Principal={"AWS": USER})], denied_by="identity"),
    Case("cross-account both allow (user ARN)", [allow()], A, resource_account=OTHER,
         resource_policy=[allow(Principal={"AWS": USER})]),
    Case("cross-account both allow (account)", [allow()], A, resource_account=OTHER,
         resource_policy=[allow(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"})]),
    Case("cross-account other account named", [allow()], D, resource_account=OTHER,
         resource_policy=[allow(Principal={"AWS": f"arn:aws:iam::{OTHER}:root"})]),
    Case("cross-account role session via role ARN", [allow()], A, resource_account=OTHER, principal="session",
         resource_policy=[allow(Principal={"AWS": ROLE})]),
    Case("cross-account boundary still limits", [allow()], D, resource_account=OTHER, boundary=[allow("sqs:*")],
         resource_policy=[allow(Principal="*")], denied_by="boundary"),
    Case("cross-account deny in resource policy", [allow()], E, resource_account=OTHER,
         resource_policy=[allow(Principal="*"), deny(Principal={"AWS": USER})]),
    Case("cross-account root needs resource policy", [], D, resource_account=OTHER, principal="root",
         denied_by="resource"),
    Case("cross-account root with resource policy", [], A, resource_account=OTHER, principal="root",
         resource_policy=[allow(Principal={"AWS": ACCOUNT})]),
]
