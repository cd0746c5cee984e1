"""Services talk to each other: SNS delivers to SQS."""

import json


def test_topic_fans_out_to_queues(cloudmock_client):
    sns, sqs = cloudmock_client("sns"), cloudmock_client("sqs")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    queues = {}
    for name in ("billing", "shipping"):
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
        queues[name] = url

    sns.publish(TopicArn=topic, Message="order o-1 placed", Subject="new order")

    for url in queues.values():
        [message] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
        envelope = json.loads(message["Body"])
        assert (envelope["Type"], envelope["Message"]) == ("Notification", "order o-1 placed")
