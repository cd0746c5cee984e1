// The widget plugin of the plugin docs, in Node.js with @grpc/grpc-js: the
// cloudmock plugin protocol is language-neutral. Unlike the Python docs example
// it implements the optional Reset RPC and answers AWS JSON-protocol errors, and
// it intercepts another service: SQS CreateQueue of a "node-denied-" queue gets an
// AWS error (InterceptRequest; InterceptResponse is left unimplemented).
//
// cloudmock spawns it with CLOUDMOCK_PLUGIN_ADDRESS (where to listen),
// CLOUDMOCK_PLUGIN_PROTO (the shipped plugin.proto) and CLOUDMOCK_PARENT_PID.
"use strict";
const path = require("path");
const crypto = require("crypto");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");

const protoPath = process.env.CLOUDMOCK_PLUGIN_PROTO ||
  path.join(__dirname, "../../../proto/cloudmock/plugin/v1/plugin.proto");
const definition = protoLoader.loadSync(protoPath, { keepCase: true, defaults: true });
const { CloudMockPlugin } = grpc.loadPackageDefinition(definition).cloudmock.plugin.v1;

const ACTIONS = ["CreateWidget", "GetWidget", "ListWidgets", "DeleteWidget"];
let widgets = new Map();

function json(status, value, headers = {}) {
  return {
    status_code: status,
    body: Buffer.from(JSON.stringify(value)),
    headers: { "Content-Type": "application/x-amz-json-1.1", ...headers },
  };
}

function awsError(status, code, message) {
  return json(status, { __type: code, message }, { "x-amzn-ErrorType": code });
}

function handle(action, body) {
  switch (action) {
    case "CreateWidget": {
      const id = crypto.randomUUID();
      widgets.set(id, { WidgetId: id, WidgetName: body.WidgetName || "" });
      return json(200, { WidgetId: id });
    }
    case "GetWidget": {
      const widget = widgets.get(body.WidgetId);
      return widget ? json(200, widget) : awsError(404, "WidgetNotFound", `no widget ${body.WidgetId}`);
    }
    case "ListWidgets":
      return json(200, { Widgets: [...widgets.values()] });
    case "DeleteWidget":
      widgets.delete(body.WidgetId);
      return json(200, {});
    default:
      return awsError(400, "InvalidAction", `unknown action: ${action}`);
  }
}

const server = new grpc.Server();
server.addService(CloudMockPlugin.service, {
  Register: (call, callback) => callback(null, {
    service_name: "myservice",
    actions: ACTIONS.map((name) => ({ name, method: "POST", iam_action: `myservice:${name}` })),
    intercepts: ["sqs:CreateQueue"],
  }),
  InterceptRequest: (call, callback) => {
    const params = JSON.parse(call.request.call.params.toString() || "{}");
    if (String(params.QueueName || "").startsWith("node-denied-")) {
      return callback(null, {
        error: { code: "AccessDenied", message: `the node plugin refuses ${params.QueueName}`, status_code: 403 },
      });
    }
    callback(null, {});
  },
  HandleRequest: (call, callback) => {
    let body;
    try {
      body = call.request.body.length ? JSON.parse(call.request.body.toString()) : {};
    } catch (err) {
      return callback(null, awsError(400, "SerializationException", String(err)));
    }
    callback(null, handle(call.request.action, body));
  },
  HealthCheck: (call, callback) => callback(null, { healthy: true }),
  Reset: (call, callback) => {
    widgets = new Map();
    callback(null, {});
  },
});

const address = process.env.CLOUDMOCK_PLUGIN_ADDRESS || "127.0.0.1:50051";
server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) {
    console.error(`cannot listen on ${address}: ${err.message}`);
    process.exit(1);
  }
});

function shutdown() {
  server.tryShutdown(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

const parent = Number(process.env.CLOUDMOCK_PARENT_PID || 0);
if (parent) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch (err) {
      if (err.code === "ESRCH") shutdown();
    }
  }, 500).unref();
}
