// Renders docs/manifest-reference.md from schemas/lab.schema.json: every field, its type,
// whether it is required, its default, its constraints and the schema's description. Pure
// (schema in, markdown out) so the docs test can compare the committed file with a fresh render.

const DEF_PREFIX = '#/$defs/';

function defName(ref) {
  return ref && ref.startsWith(DEF_PREFIX) ? ref.slice(DEF_PREFIX.length) : undefined;
}

function code(value) {
  return `\`${String(value).replace(/`/g, 'ʼ')}\``;
}

/** Markdown table cells must not hold pipes or line breaks. */
function cell(text) {
  return String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
}

function isObject(node) {
  return node && (node.type === 'object' || node.properties !== undefined);
}

/** A role-like alternative: an object with exactly one (required) key whose value is an object. */
function singleKeyAlternative(node) {
  if (!isObject(node) || !node.properties) return undefined;
  const keys = Object.keys(node.properties);
  if (keys.length !== 1) return undefined;
  const inner = node.properties[keys[0]];
  return isObject(inner) && inner.properties
    ? { key: keys[0], inner, description: node.description }
    : undefined;
}

/** A short type label: `string`, `size`, `list of name`, `tcp \| udp`, `size or object`. */
export function typeLabel(node) {
  if (!node) return '';
  const ref = defName(node.$ref);
  if (ref) return `[${ref}](#${ref.toLowerCase()})`;
  if (node.const !== undefined) return code(JSON.stringify(node.const));
  if (node.enum) return node.enum.map((v) => code(v)).join(' | ');
  if (node.oneOf || node.anyOf) {
    const alternatives = node.oneOf ?? node.anyOf;
    const labels = alternatives.map((a) =>
      singleKeyAlternative(a) ? `${code(singleKeyAlternative(a).key)} map` : typeLabel(a),
    );
    return [...new Set(labels)].join(' or ');
  }
  const type = Array.isArray(node.type) ? node.type.join(' or ') : node.type;
  if (type === 'array') return `list of ${typeLabel(node.items) || 'values'}`;
  if (type === 'object' || (!type && node.properties)) return 'map';
  return type ?? 'any';
}

/** Constraints worth a reader's eye (patterns of named value types are listed once, below). */
function constraints(node) {
  const out = [];
  if (node.pattern) out.push(`pattern ${code(node.pattern)}`);
  if (node.format) out.push(`format ${node.format}`);
  if (node.minimum !== undefined) out.push(`min ${node.minimum}`);
  if (node.maximum !== undefined) out.push(`max ${node.maximum}`);
  if (node.minLength !== undefined) out.push(`min length ${node.minLength}`);
  if (node.maxLength !== undefined) out.push(`max length ${node.maxLength}`);
  if (node.minItems !== undefined)
    out.push(`at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
  if (node.maxItems !== undefined) out.push(`at most ${node.maxItems} item${node.maxItems === 1 ? '' : 's'}`);
  if (node.minProperties !== undefined)
    out.push(`at least ${node.minProperties} key${node.minProperties === 1 ? '' : 's'}`);
  if (node.maxProperties !== undefined)
    out.push(`at most ${node.maxProperties} key${node.maxProperties === 1 ? '' : 's'}`);
  if (node.uniqueItems) out.push('unique items');
  return out.join('; ');
}

/**
 * Rows for every field under an object node, depth first: a nested map's fields follow it with
 * a dotted path (`memory.startup`), a list of maps with `[]` (`disks[].size`). Role-like
 * alternatives are collected into `roles` for sections of their own.
 */
function collectRows(node, prefix, rows, roles) {
  const required = new Set(node.required ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${key}`;
    rows.push({
      path,
      type: typeLabel(child),
      required: required.has(key) ? 'yes' : '',
      default: child.default === undefined ? '' : code(JSON.stringify(child.default)),
      description: [child.description ?? '', constraints(child)].filter(Boolean).join(' '),
    });
    collectNested(child, path, rows, roles);
  }
}

function collectNested(child, path, rows, roles) {
  const items = child.type === 'array' ? child.items : undefined;
  const target = items ?? child;
  const suffix = items ? '[].' : '.';
  if (isObject(target) && target.properties) collectRows(target, `${path}${suffix}`, rows, roles);
  for (const alternative of target?.oneOf ?? target?.anyOf ?? []) {
    const single = singleKeyAlternative(alternative);
    if (single && items) roles.push({ parent: path, ...single });
    else if (isObject(alternative) && alternative.properties)
      collectRows(alternative, `${path}${suffix}`, rows, roles);
  }
}

function fieldTable(rows) {
  const lines = ['| field | type | required | default | description |', '|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(
      `| ${code(r.path)} | ${cell(r.type)} | ${r.required} | ${cell(r.default)} | ${cell(r.description)} |`,
    );
  return lines.join('\n');
}

/** The whole reference page. */
export function renderManifestReference(schema) {
  const out = [];
  out.push('# Manifest reference');
  out.push('');
  out.push(
    '<!-- Generated from schemas/lab.schema.json by scripts/generate-manifest-reference.js (`npm run docs`). Do not edit by hand: test/docs fails when this file is stale. -->',
  );
  out.push('');
  out.push(schema.description ?? '');
  out.push('');
  out.push(
    'Every key below is checked by the JSON Schema; unknown keys are errors. The rules the schema cannot express (references, WinNAT limits, shared disks, generations, ...) are summarised [below](#rules-beyond-the-schema) and reported by `labform validate` with their rule ids. Paths use `.` for a nested map and `[]` for each item of a list.',
  );
  out.push('');
  const top = Object.entries(schema.properties);
  out.push('## Top level');
  out.push('');
  const topRows = [];
  const required = new Set(schema.required ?? []);
  for (const [key, node] of top) {
    topRows.push({
      path: key,
      type: typeLabel(node),
      required: required.has(key) ? 'yes' : '',
      default: node.default === undefined ? '' : code(JSON.stringify(node.default)),
      description: [node.description ?? '', constraints(node)].filter(Boolean).join(' '),
    });
  }
  out.push(fieldTable(topRows));
  out.push('');
  const roleSections = [];
  for (const [key, node] of top) {
    const rows = [];
    const roles = [];
    collectNested(node, key, rows, roles);
    if (rows.length === 0 && roles.length === 0) continue;
    out.push(`## ${key}`);
    out.push('');
    if (node.description) out.push(node.description, '');
    if (rows.length > 0) out.push(fieldTable(rows), '');
    roleSections.push(...roles);
  }
  if (roleSections.length > 0) {
    out.push('## Roles');
    out.push('');
    out.push(
      "Each entry of a VM's `roles` is a map with exactly one key, the role's name. What each role does on the guest, what it waits for and how long it takes: [roles.md](roles.md).",
    );
    out.push('');
    for (const role of roleSections) {
      out.push(`### ${role.key}`);
      out.push('');
      if (role.description) out.push(role.description, '');
      if (role.inner.description) out.push(role.inner.description, '');
      const rows = [];
      collectRows(role.inner, `${role.key}.`, rows, []);
      out.push(rows.length > 0 ? fieldTable(rows) : 'No parameters.');
      out.push('');
    }
  }
  const defs = Object.entries(schema.$defs ?? {});
  if (defs.length > 0) {
    out.push('## Value types');
    out.push('');
    out.push('Named value types the fields above refer to.');
    out.push('');
    for (const [name, node] of defs) {
      out.push(`### ${name}`);
      out.push('');
      out.push(`${node.description ?? ''}`.trim() || `A ${typeLabel(node)}.`);
      const c = constraints(node);
      const kind = typeLabel(node);
      out.push('');
      out.push(`Type: ${kind}${c ? `; ${c}` : ''}.`);
      out.push('');
    }
  }
  out.push('## Rules beyond the schema');
  out.push('');
  out.push(
    '`labform validate` and `labform plan` also check what a schema cannot: names that exist (with a suggestion for a typo), names used once after `count` expansion, one NAT network per host and no overlapping prefixes, addresses inside their prefix and outside `reserve`, unique port mappings, shared-disk placement, generation-only features, the values Hyper-V accepts (memory from 32MB in 2MB steps up to 12TB for generation 2 or 1TB for generation 1, disks from 3MB in whole 512-byte sectors up to 64TB for VHDX or 2040GB for VHD, timeouts above zero and at most 500h, no number beyond 2^53), NetBIOS names, literal passwords, role prerequisites and cycles. Each message carries the rule id; see [troubleshooting](troubleshooting.md).',
  );
  out.push('');
  return out.join('\n');
}
