"""The response modules CloudFormation adds to inline (`ZipFile`) functions.

Python gets `cfnresponse.py` next to the handler, Node.js `node_modules/cfn-response`; a
custom resource handler calls `send(event, context, SUCCESS, data)` to PUT its answer to
the request's `ResponseURL` (http or https: the gateway serves it on its own port). Same
interface as AWS's modules; our own code.
"""

SOURCE = '''\
"""Answer a CloudFormation custom resource request (PUT to its ResponseURL)."""
import json
import urllib.request

SUCCESS = "SUCCESS"
FAILED = "FAILED"


def send(event, context, responseStatus, responseData, physicalResourceId=None, noEcho=False, reason=None):
    log_stream = getattr(context, "log_stream_name", "") or ""
    body = json.dumps({
        "Status": responseStatus,
        "Reason": reason or "See the details in CloudWatch Log Stream: " + log_stream,
        "PhysicalResourceId": physicalResourceId or log_stream,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "NoEcho": noEcho,
        "Data": responseData,
    }).encode()
    request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT",
                                     headers={"Content-Type": "", "Content-Length": str(len(body))})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            print("Status code:", response.status)
    except Exception as error:  # the function goes on, as AWS's module does
        print("send(..) failed executing request:", error)
'''

NODE_SOURCE = """\
"use strict";
// Answer a CloudFormation custom resource request (PUT to its ResponseURL).
const url = require("url");

exports.SUCCESS = "SUCCESS";
exports.FAILED = "FAILED";

exports.send = function (event, context, responseStatus, responseData, physicalResourceId, noEcho) {
  return new Promise((resolve) => {
    const logStream = (context && context.logStreamName) || "";
    const body = JSON.stringify({
      Status: responseStatus,
      Reason: "See the details in CloudWatch Log Stream: " + logStream,
      PhysicalResourceId: physicalResourceId || logStream,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: noEcho || false,
      Data: responseData,
    });
    const target = new url.URL(event.ResponseURL);
    const transport = require(target.protocol === "http:" ? "http" : "https");
    const request = transport.request(target, {
      method: "PUT", headers: { "content-type": "", "content-length": Buffer.byteLength(body) },
    }, (response) => { response.resume(); response.on("end", resolve); });
    request.on("error", (error) => { console.log("send(..) failed executing request: " + error); resolve(); });
    request.end(body);
  });
};
"""
