"""SAM APIs deploy: `Events: Type: Api` / `HttpApi` (implicit and explicit) answer through the gateway."""

from __future__ import annotations

import requests

from .conftest import outputs

CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"]

HELLO = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import json
        def handler(event, context):
            return {"statusCode": 200, "body": json.dumps({"path": event.get("path") or event.get("rawPath"),
                                                          "name": (event.get("queryStringParameters") or {}).get("name")})}
      Events:
        Hi:
          Type: Api
          Properties: {Path: /hello, Method: get}
Outputs:
  ApiId: {Value: !Ref ServerlessRestApi}
  Root: {Value: !GetAtt ServerlessRestApi.RootResourceId}
"""


def test_implicit_serverless_rest_api_reaches_the_function(deploy, aws):
    stack = deploy("sam-rest", HELLO, Capabilities=CAPABILITIES)
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    api_id = outputs(stack)["ApiId"]
    answer = requests.get(f"{aws.endpoint}/_aws/execute-api/{api_id}/Prod/hello", params={"name": "ann"}, timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"path": "/hello", "name": "ann"}
