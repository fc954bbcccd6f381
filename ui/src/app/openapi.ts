// The server's OpenAPI document (GET /api/docs/openapi.json) as the reference page (/docs/api) shows it: operations
// grouped by tag, each with its parameters, body and replies, and every named schema as a list of fields. Pure.

/** Any part of an OpenAPI document: this module reads it without a full type of its own. */
export type Json = { [key: string]: any };

export interface Parameter { name: string; in: string; required: boolean; type: string; description: string }

/** A field of an object schema; nested objects are listed below it with a greater depth. */
export interface Field { name: string; type: string; required: boolean; description: string; depth: number }

/** A schema: its type in one line (a named schema is its name), and for an unnamed object its fields. */
export interface SchemaView { type: string; ref: string | null; fields: Field[] }

export interface Reply { status: string; description: string; schema: SchemaView | null }

export interface Operation {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  /** how to call it: 'public', or the accepted ways to sign in */
  auth: string[];
  parameters: Parameter[];
  body: SchemaView | null;
  replies: Reply[];
}

export interface Section { tag: string; operations: Operation[] }

export interface NamedSchema { name: string; description: string; view: SchemaView }

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'];
const SCHEME_NAMES: Record<string, string> = { cookieSession: 'session cookie', bearerApiKey: 'API key (Bearer)' };

/** The operations by tag, in the document's tag order; each tag's operations by path, then method. */
export function sections(doc: Json): Section[] {
  const byTag = new Map<string, Operation[]>();
  for (const tag of doc['tags'] ?? []) byTag.set(tag.name, []);
  for (const [path, item] of Object.entries<Json>(doc['paths'] ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push(operation(doc, method, path, op, item['parameters'] ?? []));
    }
  }
  return [...byTag.entries()].filter(([, ops]) => ops.length).map(([tag, operations]) => ({ tag, operations }));
}

/** Every schema of components/schemas, sorted by name. */
export function namedSchemas(doc: Json): NamedSchema[] {
  return Object.entries<Json>(doc['components']?.schemas ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, schema]) => ({ name, description: schema['description'] ?? '', view: { ...view(doc, schema), ref: null } }));
}

/** Whether an operation matches a search: its method, path, summary or tag contain the text (any case). */
export function matches(op: Operation, tag: string, text: string): boolean {
  const wanted = text.trim().toLowerCase();
  return !wanted || [op.method, op.path, op.summary, tag].some((part) => part.toLowerCase().includes(wanted));
}

function operation(doc: Json, method: string, path: string, op: Json, shared: Json[]): Operation {
  const security: Json[] = op['security'] ?? doc['security'] ?? [];
  const auth = security.length === 0 ? ['public'] : security.flatMap((entry) => Object.keys(entry).map((n) => SCHEME_NAMES[n] ?? n));
  const parameters = [...shared, ...(op['parameters'] ?? [])].map((p) => resolve(doc, p)).map((p) => ({
    name: p.name, in: p.in, required: !!p.required, type: typeOf(doc, p.schema ?? {}), description: p.description ?? '',
  }));
  const bodySchema = resolve(doc, op['requestBody'] ?? {})?.content?.['application/json']?.schema;
  const replies = Object.entries<Json>(op['responses'] ?? {}).map(([status, reply]) => {
    const resolved = resolve(doc, reply);
    const content = resolved.content ?? {};
    const schema = content['application/json']?.schema ?? Object.values<Json>(content)[0]?.schema;
    return { status, description: resolved.description ?? '', schema: schema ? view(doc, schema) : null };
  });
  return {
    id: `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-'),
    method: method.toUpperCase(), path, summary: op['summary'] ?? '', description: op['description'] ?? '',
    auth, parameters, body: bodySchema ? view(doc, bodySchema) : null, replies,
  };
}

/** A schema as one line plus, for an unnamed object, its fields. */
export function view(doc: Json, schema: Json): SchemaView {
  const ref = refName(schema);
  if (ref) return { type: ref, ref, fields: [] };
  const fields: Field[] = [];
  collectFields(doc, schema, 0, fields);
  return { type: typeOf(doc, schema), ref: null, fields };
}

/** A schema's type in one line: `Site`, `Site[]`, `string (date)`, `"session" | "24h"`, `Goal & object`. */
export function typeOf(doc: Json, schema: Json): string {
  const ref = refName(schema);
  if (ref) return ref;
  if (schema['const'] !== undefined) return JSON.stringify(schema['const']);
  if (schema['enum']) return schema['enum'].map((v: unknown) => JSON.stringify(v)).join(' | ');
  if (schema['oneOf'] || schema['anyOf']) return (schema['oneOf'] ?? schema['anyOf']).map((s: Json) => typeOf(doc, s)).join(' | ');
  if (schema['allOf']) return schema['allOf'].map((s: Json) => typeOf(doc, s)).join(' & ');
  const type = schema['type'];
  if (type === 'array') return `${typeOf(doc, schema['items'] ?? {})}[]`;
  if (Array.isArray(type)) return type.join(' | ');
  if (type) return schema['format'] ? `${type} (${schema['format']})` : type;
  return schema['properties'] ? 'object' : 'any';
}

/** The fields of an object schema and of its allOf parts, and of each oneOf variant (marked as such). */
function collectFields(doc: Json, schema: Json, depth: number, into: Field[]): void {
  if (depth > 3) return;
  for (const part of schema['allOf'] ?? []) collectFields(doc, resolve(doc, part), depth, into);
  (schema['oneOf'] ?? schema['anyOf'] ?? []).forEach((variant: Json, index: number) => {
    into.push({ name: `one of (${index + 1})`, type: typeOf(doc, variant), required: false, description: '', depth });
    collectFields(doc, resolve(doc, variant), depth + 1, into);
  });
  const required: string[] = schema['required'] ?? [];
  for (const [name, field] of Object.entries<Json>(schema['properties'] ?? {})) {
    into.push({ name, type: typeOf(doc, field), required: required.includes(name), description: field['description'] ?? '', depth });
    const items = field['type'] === 'array' ? field['items'] ?? {} : field;
    if (!refName(items) && (items['properties'] || items['allOf'] || items['oneOf'])) collectFields(doc, items, depth + 1, into);
  }
}

/** The name of a schema that is a reference to components/schemas, else null. */
function refName(schema: Json): string | null {
  const ref: string | undefined = schema?.['$ref'];
  return ref?.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : null;
}

/** A local reference followed to what it names (responses, parameters, bodies, schemas); anything else as it is. */
function resolve(doc: Json, node: Json): Json {
  let current = node;
  for (let hops = 0; current?.['$ref'] && hops < 10; hops++) {
    const ref: string = current['$ref'];
    if (!ref.startsWith('#/')) return current;
    current = ref.slice(2).split('/').reduce((at: Json, key) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return current ?? {};
}
