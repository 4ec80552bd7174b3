// docs/openapi.yaml as a checker: the documented routes, and a client that validates every
// response it gets against the operation's documented responses and remembers which
// operations answered with success, so a test can require that every one of them did.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';
import { root } from '../support/server.mjs';

export const doc = YAML.parse(readFileSync(path.join(root, 'docs/openapi.yaml'), 'utf8'));
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

// "GET /api/tasks/:id" for every operation of the document (route-table spelling).
export function documentedRoutes() {
  const routes = [];
  for (const [template, item] of Object.entries(doc.paths))
    for (const method of METHODS)
      if (item[method]) routes.push(`${method.toUpperCase()} ${template.replace(/\{(\w+)\}/g, ':$1')}`);
  return routes.sort();
}

// The route table as host/src/http/Api.cpp declares it: r.add("METHOD", "/pattern", …).
export function routeTable() {
  const source = readFileSync(path.join(root, 'host/src/http/Api.cpp'), 'utf8');
  const routes = [...source.matchAll(/\br\.add\(\s*"([A-Z]+)",\s*"([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
  assert.ok(routes.length > 0, 'no r.add("METHOD", "/path", …) lines found in host/src/http/Api.cpp');
  return routes.sort();
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
ajv.addSchema(doc, 'openapi.json');
const validators = new Map();
function validatorAt(pointer) {
  if (!validators.has(pointer)) validators.set(pointer, ajv.compile({ $ref: `openapi.json#${pointer}` }));
  return validators.get(pointer);
}
// A validator for one schema of the document (components/schemas/NAME).
export function schemaValidator(name) {
  const validate = validatorAt(`/components/schemas/${name}`);
  return (value) => {
    assert.ok(validate(value), `${JSON.stringify(value).slice(0, 400)}\nis not a ${name} of docs/openapi.yaml:\n${describe(validate.errors)}`);
  };
}
const escape = (s) => s.replaceAll('~', '~0').replaceAll('/', '~1');

// The document's path template for a concrete path; literal segments win over parameters, as
// in the route table.
export function templateFor(pathname) {
  const segments = pathname.split('/');
  let best = null;
  for (const template of Object.keys(doc.paths)) {
    const parts = template.split('/');
    if (parts.length !== segments.length) continue;
    let literals = 0;
    const fits = parts.every((part, i) => {
      if (/^\{\w+\}$/.test(part)) return segments[i] !== '';
      if (part === segments[i]) return ++literals;
      return false;
    });
    if (fits && (!best || literals > best.literals)) best = { template, literals };
  }
  return best?.template;
}

// The documented response for `status` of an operation — {pointer, response}, its $ref
// resolved — or undefined when the status is not documented.
function documentedResponse(template, method, status) {
  const responses = doc.paths[template][method].responses;
  const key = String(status) in responses ? String(status) : status >= 400 && 'default' in responses ? 'default' : null;
  if (key === null) return undefined;
  const response = responses[key];
  if (!response.$ref) return { pointer: `/paths/${escape(template)}/${method}/responses/${key}`, response };
  return {
    pointer: response.$ref.slice(1),
    response: response.$ref.split('/').slice(1).reduce((node, part) => node[part], doc),
  };
}

const answered = new Map(); // "GET /api/tasks/{id}" → the statuses it answered, across servers

// The documented operations that never answered with a 2xx.
export function unexercised() {
  return documentedRoutes()
    .map((route) => route.replace(/:(\w+)/g, '{$1}'))
    .filter((key) => ![...(answered.get(key) ?? [])].some((status) => status >= 200 && status < 300));
}

// ajv's errors, each with where it is and what is wrong (the property an object must not have).
function describe(errors) {
  return (errors ?? [])
    .map((e) => `  ${e.instancePath || '(body)'}: ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}${e.params?.unevaluatedProperty ? ` (${e.params.unevaluatedProperty})` : ''}`)
    .join('\n');
}

// Checks one answer against the document: its path and method are documented, its status is
// documented for the operation (an error status may fall under `default`), its Content-Type is
// one the response has, and a JSON body validates against the response's schema. Throws an
// AssertionError saying what differs; returns the parsed body (null when it is not JSON) and
// the operation ("GET /api/tasks/{id}").
export function checkAnswer(method, target, status, contentType, text) {
  const pathname = new URL(target, 'http://127.0.0.1').pathname;
  const template = templateFor(pathname);
  assert.ok(template, `${method} ${pathname}: no path of docs/openapi.yaml matches`);
  const lower = method.toLowerCase();
  assert.ok(doc.paths[template][lower], `${method} ${template} is not in docs/openapi.yaml`);
  const what = `${method} ${target} → ${status} ${(text ?? '').slice(0, 400)}`;
  const documented = documentedResponse(template, lower, status);
  assert.ok(documented, `${what}: status ${status} is not documented`);
  const content = documented.response.content ?? {};
  let parsed = null;
  if (Object.keys(content).length > 0) {
    const type = (contentType ?? '').split(';')[0].trim();
    assert.ok(type in content, `${what}: Content-Type ${type} is not documented (${Object.keys(content)})`);
  }
  if (content['application/json'] && text !== null) {
    parsed = JSON.parse(text);
    const validate = validatorAt(`${documented.pointer}/content/application~1json/schema`);
    assert.ok(validate(parsed), `${what}\ndoes not match docs/openapi.yaml:\n${describe(validate.errors)}`);
  }
  return { parsed, operation: `${method} ${template}` };
}

export function contractClient(baseUrl) {
  // Sends a request and validates the answer against the document; returns {status, body, headers}.
  async function call(method, target, { body, headers = {} } = {}) {
    const pathname = new URL(target, baseUrl).pathname;
    const template = templateFor(pathname);
    assert.ok(template && doc.paths[template][method.toLowerCase()], `${method} ${pathname} is not in docs/openapi.yaml`);
    const response = await fetch(baseUrl + target, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const { parsed, operation } = checkAnswer(method, target, response.status, response.headers.get('content-type'), text);
    if (!answered.has(operation)) answered.set(operation, new Set());
    answered.get(operation).add(response.status);
    return { status: response.status, body: parsed, headers: response.headers };
  }

  // A call that must answer `status`; returns the parsed body.
  async function expect(status, method, target, options) {
    const response = await call(method, target, options);
    assert.equal(response.status, status, `${method} ${target}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  return { call, expect };
}
