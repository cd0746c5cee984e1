"""boto3's transfer manager (multipart, threads) and the AWS CLI against the gateway."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig

MB = 1024 * 1024


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(MB):
            hasher.update(chunk)
    return hasher.hexdigest()


def test_upload_download_50mb(s3: Any, bucket: str, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    with source.open("wb") as f:
        for _ in range(50):
            f.write(os.urandom(MB))
    config = TransferConfig(multipart_threshold=8 * MB, multipart_chunksize=8 * MB, max_concurrency=4)
    started = time.perf_counter()
    s3.upload_file(str(source), bucket, "big.bin", Config=config)
    uploaded = time.perf_counter()
    target = tmp_path / "back.bin"
    s3.download_file(bucket, "big.bin", str(target), Config=config)
    done = time.perf_counter()
    assert _digest(target) == _digest(source)
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == 50 * MB and head["ETag"].endswith('-7"')
    print(f"\n50 MB: upload {50 / (uploaded - started):.0f} MB/s, "
          f"download {50 / (done - uploaded):.0f} MB/s")


def test_aws_cli(aws: Any, s3_default: Any, bucket: str, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "a.txt").write_text("alpha")
    (tree / "sub" / "b.txt").write_text("beta")
    (tmp_path / "one.bin").write_bytes(os.urandom(9 * MB))  # above the CLI's multipart threshold
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": aws.endpoint,
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
    }

    def run(*commands: tuple[str, ...]) -> list[str]:
        """Run CLI commands concurrently (each `aws` start costs ~2 s of CPU); their stdouts."""
        procs = [subprocess.Popen([sys.executable, "-m", "awscli", *args], env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for args in commands]
        outs = []
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
            outs.append(out)
        return outs

    s3_default.put_object(Bucket=bucket, Key="seen/by-cli.txt", Body=b"hello")
    _, _, listing, head = run(
        ("s3", "cp", str(tmp_path / "one.bin"), f"s3://{bucket}/one.bin"),
        ("s3", "sync", str(tree), f"s3://{bucket}/tree"),
        ("s3", "ls", f"s3://{bucket}/", "--recursive"),
        ("s3api", "head-object", "--bucket", bucket, "--key", "seen/by-cli.txt"),
    )
    assert "seen/by-cli.txt" in listing
    assert '"ContentLength": 5' in head
    one = s3_default.get_object(Bucket=bucket, Key="one.bin")
    assert one["ETag"].endswith('-2"')  # the CLI uploaded it in two parts
    assert one["Body"].read() == (tmp_path / "one.bin").read_bytes()
    synced = sorted(o["Key"] for o in s3_default.list_objects_v2(Bucket=bucket, Prefix="tree/")["Contents"])
    assert synced == ["tree/a.txt", "tree/sub/b.txt"]
