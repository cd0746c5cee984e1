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


EXPLICIT = """
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: index.handler
    InlineCode: |
      import json
      def handler(event, context):
          path = event.get("path") or event.get("rawPath")
          return {"statusCode": 200, "body": json.dumps({"path": path, "version": event.get("version", "1.0")})}
Resources:
  Rest:
    Type: AWS::Serverless::Api
    Properties: {StageName: Prod}
  Http:
    Type: AWS::Serverless::HttpApi
    Properties: {StageName: Prod}
  ViaRest:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Hello: {Type: Api, Properties: {Path: /hello, Method: get, RestApiId: !Ref Rest}}
  ViaHttp:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Hello: {Type: HttpApi, Properties: {Path: /hello, Method: get, ApiId: !Ref Http}}
  ViaImplicitHttp:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Hello: {Type: HttpApi, Properties: {Path: /hello, Method: get}}
Outputs:
  Rest: {Value: !Ref Rest}
  Http: {Value: !Ref Http}
  Implicit: {Value: !Ref ServerlessHttpApi}
  ImplicitEndpoint: {Value: !GetAtt ServerlessHttpApi.ApiEndpoint}
"""


def test_explicit_apis_and_the_implicit_http_api_reach_their_functions(cfn, deploy, aws):
    stack = deploy("sam-apis", EXPLICIT, Capabilities=CAPABILITIES)
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    found = outputs(stack)
    base = f"{aws.endpoint}/_aws/execute-api"
    rest = requests.get(f"{base}/{found['Rest']}/Prod/hello", timeout=10)
    http = requests.get(f"{base}/{found['Http']}/Prod/hello", timeout=10)
    implicit = requests.get(f"{found['ImplicitEndpoint']}/hello", timeout=10)  # the $default stage, at the root
    assert (rest.status_code, rest.json()) == (200, {"path": "/hello", "version": "1.0"}), rest.text
    assert (http.status_code, http.json()) == (200, {"path": "/Prod/hello", "version": "2.0"}), http.text
    assert (implicit.status_code, implicit.json()) == (200, {"path": "/hello", "version": "2.0"}), implicit.text
    assert found["ImplicitEndpoint"] == f"{base}/{found['Implicit']}"
    processed = cfn.get_template(StackName="sam-apis", TemplateStage="Processed")["TemplateBody"]["Resources"]
    assert processed["ServerlessHttpApiApiGatewayDefaultStage"]["Type"] == "AWS::ApiGatewayV2::Stage"
    assert processed["HttpProdStage"]["Properties"]["StageName"] == "Prod"
    assert processed["ViaImplicitHttpHelloPermission"]["Type"] == "AWS::Lambda::Permission"


def test_an_updated_sam_api_serves_its_new_routes_and_a_delete_removes_it(cfn, deploy, update, client, aws):
    stack = deploy("sam-grow", HELLO, Capabilities=CAPABILITIES)
    api_id = outputs(stack)["ApiId"]
    grown = HELLO.replace("""Outputs:""", """  Bye:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        def handler(event, context):
            return {"statusCode": 200, "body": event["pathParameters"]["name"]}
      Events:
        Bye:
          Type: Api
          Properties: {Path: "/bye/{name}", Method: any}
Outputs:""")
    stack = update("sam-grow", grown, Capabilities=CAPABILITIES)
    assert stack["StackStatus"] == "UPDATE_COMPLETE", stack.get("StackStatusReason")
    assert outputs(stack)["ApiId"] == api_id  # the same API, with a new deployment behind Prod
    base = f"{aws.endpoint}/_aws/execute-api/{api_id}/Prod"
    assert requests.post(f"{base}/bye/ann", timeout=10).text == "ann"
    assert requests.get(f"{base}/hello", timeout=10).status_code == 200
    deployments = client("apigateway").get_deployments(restApiId=api_id)["items"]
    assert len(deployments) == 1  # the replaced deployment is deleted in the cleanup

    cfn.delete_stack(StackName="sam-grow")
    aws.settle()
    assert client("apigateway").get_rest_apis()["items"] == []
    assert client("lambda").list_functions()["Functions"] == []
    assert requests.get(f"{base}/hello", timeout=10).status_code == 403


def test_an_explicit_api_definition_body_gets_its_events_merged_in(cfn, deploy, aws):
    template = HELLO.replace("""      Events:
        Hi:
          Type: Api
          Properties: {Path: /hello, Method: get}""", """      Events:
        Hi:
          Type: Api
          Properties: {Path: /hello, Method: get, RestApiId: !Ref Defined}
  Defined:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      DefinitionBody:
        swagger: "2.0"
        info: {title: defined, version: "1"}
        paths:
          /health:
            get:
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {application/json: '{"statusCode": 200}'}
                responses: {default: {statusCode: "200", responseTemplates: {application/json: '{"ok": true}'}}}""")
    template = template.replace("!Ref ServerlessRestApi", "!Ref Defined").replace(
        "!GetAtt ServerlessRestApi.RootResourceId", "!GetAtt Defined.RootResourceId")
    stack = deploy("sam-defined", template, Capabilities=CAPABILITIES)
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    base = f"{aws.endpoint}/_aws/execute-api/{outputs(stack)['ApiId']}/v1"
    assert requests.get(f"{base}/health", timeout=10).json() == {"ok": True}
    assert requests.get(f"{base}/hello", timeout=10).json() == {"path": "/hello", "name": None}
