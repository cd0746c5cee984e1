// cloudmock's Node.js runtime client: loads the handler and loops on the Runtime API.
"use strict";
const http = require("http");
const path = require("path");

const SENTINEL = "\x1ecloudmock-end ";
const [host, ...rest] = process.env.AWS_LAMBDA_RUNTIME_API.split("/");
const [hostname, port] = host.split(":");
const base = (rest.length ? "/" + rest.join("/") : "") + "/2018-06-01/runtime";
const agent = new http.Agent({ keepAlive: true });

function request(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: base + p, method, agent, headers: headers || {} }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ res, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body || undefined);
  });
}

function errorBody(err, requestId) {
  return {
    errorType: (err && err.name) || "Error",
    errorMessage: (err && err.message) || String(err),
    trace: err && err.stack ? String(err.stack).split("\n") : [],
  };
}

async function load() {
  const handler = process.env._HANDLER || "";
  const dot = handler.lastIndexOf(".");
  const modPath = path.resolve(process.env.LAMBDA_TASK_ROOT, handler.slice(0, dot));
  let mod;
  try {
    mod = require(modPath);
  } catch (e) {
    try { mod = await import(modPath + ".mjs"); } catch (e2) {
      const missing = e.code === "MODULE_NOT_FOUND";
      throw Object.assign(new Error(missing ? `Error: Cannot find module '${handler.slice(0, dot)}'` : e.message),
        { name: missing ? "Runtime.ImportModuleError" : "Runtime.UserCodeSyntaxError" });
    }
  }
  const fn = mod[handler.slice(dot + 1)];
  if (typeof fn !== "function") {
    throw Object.assign(new Error(`${handler} is undefined or not exported`), { name: "Runtime.HandlerNotFound" });
  }
  return fn;
}

async function main() {
  let fn;
  try {
    fn = await load();
  } catch (e) {
    const body = errorBody(e, "");
    console.log(`ERROR\t${JSON.stringify(body)}`);
    await request("POST", "/init/error", JSON.stringify(body), { "Lambda-Runtime-Function-Error-Type": body.errorType });
    process.exit(1);
  }
  for (;;) {
    let next;
    try { next = await request("GET", "/invocation/next"); } catch (e) { return; }
    if (next.res.statusCode !== 200) return;
    const id = next.res.headers["lambda-runtime-aws-request-id"];
    const deadline = Number(next.res.headers["lambda-runtime-deadline-ms"]);
    const context = {
      awsRequestId: id,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      invokedFunctionArn: next.res.headers["lambda-runtime-invoked-function-arn"],
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    };
    let p, body, headers = {};
    try {
      const result = await fn(JSON.parse(next.body.toString() || "{}"), context);
      p = `/invocation/${id}/response`;
      body = JSON.stringify(result === undefined ? null : result);
    } catch (e) {
      const err = errorBody(e, id);
      console.log(`${new Date().toISOString()}\t${id}\tERROR\tInvoke Error \t${JSON.stringify(err)}`);
      p = `/invocation/${id}/error`;
      body = JSON.stringify(err);
      headers = { "Lambda-Runtime-Function-Error-Type": err.errorType };
    }
    process.stdout.write(`${SENTINEL}${id}\n`);
    try { await request("POST", p, body, headers); } catch (e) { return; }
  }
}

main();
