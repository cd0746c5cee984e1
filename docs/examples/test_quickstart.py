"""The whole setup: ask for a fixture. The gateway starts on first use."""


def test_s3_round_trip(cloudmock_client):
    s3 = cloudmock_client("s3")
    s3.create_bucket(Bucket="photos")
    s3.put_object(Bucket="photos", Key="cat.jpg", Body=b"meow")

    assert s3.get_object(Bucket="photos", Key="cat.jpg")["Body"].read() == b"meow"


def test_sqs_send_and_receive(cloudmock_client):
    sqs = cloudmock_client("sqs")
    queue_url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    sqs.send_message(QueueUrl=queue_url, MessageBody="resize cat.jpg")

    messages = sqs.receive_message(QueueUrl=queue_url)["Messages"]
    assert [m["Body"] for m in messages] == ["resize cat.jpg"]


def test_every_test_starts_clean(cloudmock_client):
    # The bucket and queue of the tests above are gone: state is reset after each test.
    assert cloudmock_client("s3").list_buckets()["Buckets"] == []
    assert "QueueUrls" not in cloudmock_client("sqs").list_queues()


def test_errors_are_aws_errors(cloudmock_client):
    import pytest

    s3 = cloudmock_client("s3")
    with pytest.raises(s3.exceptions.NoSuchBucket):
        s3.get_object(Bucket="missing", Key="x")
