"""The `cfnresponse` module CloudFormation adds to inline (`ZipFile`) Python functions.

Its source is packed next to the handler as `cfnresponse.py`; a custom resource handler
calls `cfnresponse.send(event, context, cfnresponse.SUCCESS, data)` to PUT its answer to
the pre-signed `ResponseURL` of the request. Same interface as AWS's module; our own code.
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
