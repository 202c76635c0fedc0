// openapi_check.mjs: checks answers against Rapport's OpenAPI document, for
// the API suite (harness.py starts one per test process).
//
//   node tests/api/openapi_check.mjs OPENAPI.json
//
// Compiles an operation's answer schema with ajv (JSON Schema 2020-12, as
// OpenAPI 3.1 uses) the first time an answer of it comes, and keeps it;
// reads one JSON line per answer,
//   {"method": "GET", "path": "/api/v1/goals/3?x=1", "status": 200,
//    "type": "application/json", "body": <the parsed JSON or null>, "empty": false}
// and writes one line: "ok", or what is wrong. Wrong is: an answer under
// /api/ whose method and path match no operation (unless it is a 404 or a
// 405 problem), a status the operation does not list, a body the schema
// refuses, a problem not sent as application/problem+json, or a body on a
// 204.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import Ajv2020 from "ajv/dist/2020.js";

const doc = JSON.parse(readFileSync(process.argv[2], "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
ajv.addSchema({ $id: "rapport", components: doc.components });

// A schema of the document as one ajv can compile on its own: its
// references point into the schema registered above.
function compile(schema) {
  const text = JSON.stringify(schema).replaceAll('"#/components/', '"rapport#/components/');
  return ajv.compile(JSON.parse(text));
}

const problem = compile({ $ref: "#/components/schemas/Problem" });
const operations = []; // {method, regex, pattern, responses: {status: validate|null}}
for (const [pattern, item] of Object.entries(doc.paths)) {
  const regex = new RegExp(
    "^" + pattern.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{id\d*\}/g, "[1-9][0-9]*") + "$",
  );
  for (const [method, op] of Object.entries(item)) {
    const responses = {};
    for (const [status, resp] of Object.entries(op.responses)) {
      if (resp.$ref) {
        responses[status] = { problem: true };
        continue;
      }
      const media = resp.content ? Object.keys(resp.content)[0] : null;
      responses[status] = { media, schema: media ? resp.content[media].schema : null };
    }
    operations.push({ method: method.toUpperCase(), regex, pattern, responses });
  }
}

// ajv's errors with what they name ("must NOT have additional properties
// {additionalProperty: x}").
function why(errors) {
  return (errors || [])
    .map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`)
    .join("; ");
}

function check(a) {
  const path = a.path.split("?")[0];
  if (!path.startsWith("/api/") && path !== "/api") return null;
  const op = operations.find((o) => o.method === a.method && o.regex.test(path));
  const isProblem = a.status >= 400;
  if (isProblem) {
    if (!a.type.startsWith("application/problem+json"))
      return `${a.status} sent as ${a.type || "no type"}, not application/problem+json`;
    if (!problem(a.body)) return `the problem: ${why(problem.errors)}`;
  }
  if (!op) {
    if (a.status === 404 || a.status === 405) return null;
    return `${a.method} ${path} answered ${a.status} but is in no operation of the OpenAPI document`;
  }
  const resp = op.responses[String(a.status)];
  if (!resp) return `${a.method} ${op.pattern}: status ${a.status} is not in the document`;
  if (resp.problem) return null;
  if (!resp.schema) return a.empty ? null : `${a.method} ${op.pattern}: ${a.status} has a body`;
  resp.validate ??= compile(resp.schema);
  if (!a.type.startsWith(resp.media)) return `${a.method} ${op.pattern}: sent as ${a.type}`;
  if (resp.media !== "application/json") return null; /* not JSON: its type is what is said */
  if (!resp.validate(a.body))
    return `${a.method} ${op.pattern} ${a.status}: ${why(resp.validate.errors)}`;
  return null;
}

const rl = createInterface({ input: process.stdin });
rl.on("line", (line) => {
  let out;
  try {
    out = check(JSON.parse(line)) ?? "ok";
  } catch (err) {
    out = `the checker failed: ${err.message}`;
  }
  process.stdout.write(out.replace(/\n/g, " ") + "\n");
});
