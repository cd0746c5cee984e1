"""IAM enforcement through boto3 on S3: identity policies, bucket policies across accounts,
permission boundaries, session policies, SCPs."""

from __future__ import annotations

from .enforce_helpers import ACCOUNT, OTHER, denied, document, mode_fixture

enforce = mode_fixture("enforce")
S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def _bucket(principals, name="data", account=ACCOUNT):
    s3 = principals.root("s3", account)
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="k", Body=b"hello")
    return s3


def test_read_only_user_is_denied_put_object_with_aws_message(enforce):
    _bucket(enforce)
    bob = enforce.user("bob", managed=[S3_READ_ONLY])
    assert bob("s3").get_object(Bucket="data", Key="k")["Body"].read() == b"hello"
    assert [o["Key"] for o in bob("s3").list_objects_v2(Bucket="data")["Contents"]] == ["k"]
    assert denied(bob("s3").put_object, Bucket="data", Key="new", Body=b"x") == (
        "AccessDenied",
        f'User: arn:aws:iam::{ACCOUNT}:user/bob is not authorized to perform: s3:PutObject on resource: '
        f'"arn:aws:s3:::data/new" because no identity-based policy allows the s3:PutObject action',
        403,
    )
    assert enforce.root("s3").list_objects_v2(Bucket="data")["KeyCount"] == 1  # nothing was written
    [denial] = enforce.gateway.iam.denials()
    assert (denial.action, denial.denied_by, denial.enforced) == ("s3:PutObject", "identity", True)


def test_a_role_in_another_account_reads_a_bucket_its_policy_allows(enforce):
    s3 = _bucket(enforce, "shared")
    reader = enforce.role_session("reader", account=OTHER, inline={"read": document(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"})})
    role_arn = f"arn:aws:iam::{OTHER}:role/reader"
    code, message, status = denied(reader("s3").get_object, Bucket="shared", Key="k")
    assert (code, status) == ("AccessDenied", 403)
    assert message.endswith("because no resource-based policy allows the s3:GetObject action")
    assert message.startswith(f"User: arn:aws:sts::{OTHER}:assumed-role/reader/s1 is not authorized")
    s3.put_bucket_policy(Bucket="shared", Policy=document(
        {"Effect": "Allow", "Principal": {"AWS": role_arn}, "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::shared/*"}))
    assert reader("s3").get_object(Bucket="shared", Key="k")["Body"].read() == b"hello"
    assert denied(reader("s3").list_objects_v2, Bucket="shared")[0] == "AccessDenied"  # neither side allows it


def test_an_explicit_deny_in_a_permissions_boundary_wins(enforce):
    _bucket(enforce)
    iam = enforce.root("iam")
    boundary = iam.create_policy(PolicyName="no-deletes", PolicyDocument=document(
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}))["Policy"]["Arn"]
    eve = enforce.user("eve", managed=[ADMIN], boundary=boundary)
    eve("s3").put_object(Bucket="data", Key="mine", Body=b"x")
    assert denied(eve("s3").delete_object, Bucket="data", Key="mine") == (
        "AccessDenied",
        f'User: arn:aws:iam::{ACCOUNT}:user/eve is not authorized to perform: s3:DeleteObject on resource: '
        f'"arn:aws:s3:::data/mine" with an explicit deny in a permissions boundary',
        403,
    )


def test_a_boundary_that_does_not_allow_limits_an_administrator(enforce):
    _bucket(enforce)
    iam = enforce.root("iam")
    boundary = iam.create_policy(PolicyName="sqs-only", PolicyDocument=document(
        {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}))["Policy"]["Arn"]
    admin = enforce.user("ann", managed=[ADMIN], boundary=boundary)
    assert denied(admin("s3").get_object, Bucket="data", Key="k")[1].endswith(
        "because no permissions boundary allows the s3:GetObject action")


def test_session_policies_limit_a_role_session(enforce):
    _bucket(enforce)
    session = enforce.role_session("wide", inline={"all": document({"Effect": "Allow", "Action": "s3:*",
                                                                     "Resource": "*"})},
                                   Policy=document({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}))
    assert session("s3").list_objects_v2(Bucket="data")["KeyCount"] == 1
    assert denied(session("s3").get_object, Bucket="data", Key="k")[1].endswith(
        "because no session policy allows the s3:GetObject action")


def test_policy_variables_give_each_user_a_home_prefix(enforce):
    s3 = _bucket(enforce)
    s3.put_object(Bucket="data", Key="home/carl/a", Body=b"c")
    s3.put_object(Bucket="data", Key="home/dana/a", Body=b"d")
    home = document({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/home/${aws:username}/*"},
                    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data",
                     "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}})
    carl = enforce.user("carl", inline={"home": home})
    assert carl("s3").get_object(Bucket="data", Key="home/carl/a")["Body"].read() == b"c"
    assert denied(carl("s3").get_object, Bucket="data", Key="home/dana/a")[0] == "AccessDenied"
    assert carl("s3").list_objects_v2(Bucket="data", Prefix="home/carl/")["KeyCount"] == 1
    assert denied(carl("s3").list_objects_v2, Bucket="data", Prefix="home/")[0] == "AccessDenied"


def test_service_control_policies_deny_even_the_root(enforce):
    _bucket(enforce)
    enforce.gateway.iam.scps.attach(document({"Effect": "Allow", "Action": "*", "Resource": "*"},
                                             {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}),
                                    accounts=[ACCOUNT])
    code, message, _ = denied(enforce.root("s3").delete_bucket, Bucket="data")
    assert code == "AccessDenied" and message.endswith("with an explicit deny in a service control policy")
    assert enforce.root("s3").get_object(Bucket="data", Key="k")["Body"].read() == b"hello"


def test_root_and_default_credentials_are_allowed(enforce):
    s3 = _bucket(enforce)
    assert s3.get_object(Bucket="data", Key="k")["Body"].read() == b"hello"
    assert enforce.gateway.iam.denials() == []


def test_acl_grants_count_as_resource_based_policy(enforce):
    s3 = _bucket(enforce)
    s3.put_object(Bucket="data", Key="public", Body=b"open", ACL="public-read")
    outsider = enforce.user("outsider", account=OTHER, inline={"read": document(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})})
    assert outsider("s3").get_object(Bucket="data", Key="public")["Body"].read() == b"open"
    assert denied(outsider("s3").get_object, Bucket="data", Key="k")[1].endswith(
        "because no resource-based policy allows the s3:GetObject action")
    nobody = enforce.user("nobody", inline={"nothing": document(
        {"Effect": "Allow", "Action": "none:none", "Resource": "*"})})
    assert nobody("s3").get_object(Bucket="data", Key="public")["Body"].read() == b"open"
    assert denied(nobody("s3").get_object, Bucket="data", Key="k")[0] == "AccessDenied"


def test_another_accounts_root_needs_the_bucket_policy(enforce):
    s3 = _bucket(enforce)
    outsider = enforce.root("s3", OTHER)
    assert denied(outsider.get_object, Bucket="data", Key="k") == (
        "AccessDenied",
        f'User: arn:aws:iam::{OTHER}:root is not authorized to perform: s3:GetObject on resource: '
        '"arn:aws:s3:::data/k" because no resource-based policy allows the s3:GetObject action', 403)
    s3.put_bucket_policy(Bucket="data", Policy=document(
        {"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"}))
    assert outsider.get_object(Bucket="data", Key="k")["Body"].read() == b"hello"
