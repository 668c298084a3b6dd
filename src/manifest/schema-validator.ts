import { literalPassword } from './rules/roles.js';
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { didYouMean, show } from './suggest.js';
import { joinPointer, parentPointer, pointerSegments, valueAtPointer } from './pointer.js';
import type { Reporter } from './reporter.js';

/** The schema ships beside src/ and dist/ at the package root; one path works from both. */
const SCHEMA_URL = new URL('../../schemas/lab.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;
let roleNames: string[] = [];

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, any>;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
  // ajv-formats is CommonJS: its default export arrives wrapped under ESM.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
  addFormats(ajv);
  roleNames = (schema.properties.vms.items.properties.roles.items.oneOf as { required: string[] }[]).map((s) => s.required[0]!);
  compiled = ajv.compile(schema);
  return compiled;
}

/** Every known guest role name (from the schema). */
export function knownRoleNames(): string[] {
  validator();
  return roleNames;
}

/** What a value of each shared definition looks like, for pattern errors. */
const PATTERN_HELP: Record<string, string> = {
  name: 'a name: letters, digits, `.`, `_`, `-`, starting with a letter or digit, at most 63 characters',
  vmName: 'a VM name: letters, digits, `.`, `_`, `-` and `{n}`, at most 63 characters',
  size: 'a size: an integer of bytes or <number><unit> with unit B|KB|MB|GB|TB, e.g. `2GB`',
  duration: 'a duration: <number><unit> with unit s|m|h, e.g. `90s` or `10m`',
  ipv4: 'an IPv4 address, e.g. `192.168.50.10`',
  cidr: 'an IPv4 prefix, e.g. `192.168.50.0/24`',
  ipOrCidr: 'an IPv4 address or prefix, e.g. `192.168.50.7` or `192.168.50.128/25`',
  mac: 'a MAC address: `00-15-5D-01-02-03`, `00:15:5D:01:02:03` or `00155D010203`',
  windowsPath: 'an absolute Windows path: `D:\\Labs\\...` or `\\\\server\\share\\...`',
  fqdn: 'a DNS domain name, e.g. `contoso.com`',
  netbios: 'a NetBIOS domain name: 1 to 15 letters, digits and hyphens',
  account: 'an account name, e.g. `Administrator` or `CONTOSO\\Admin`',
};

/** Human path of a pointer, by names where the manifest has them: `vm dc01 memory.startup`. */
export function describePointer(data: unknown, pointer: string): string {
  const segments = pointerSegments(pointer);
  if (segments.length === 0) return 'the manifest';
  const singular: Record<string, string> = { hosts: 'host', clusters: 'cluster', images: 'image', credentials: 'credential', networks: 'network', disks: 'disk', vms: 'vm', guestClusters: 'guest cluster' };
  const [section, index, ...rest] = segments;
  let head = section!;
  if (singular[section!] && index !== undefined) {
    const name = valueAtPointer(data, joinPointer('', section!, index, 'name'));
    head = `${singular[section!]} ${typeof name === 'string' ? show(name) : `#${Number(index) + 1}`}`;
  } else if (index !== undefined) rest.unshift(index);
  const tail = rest.map((s) => (/^[0-9]+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');
  return tail ? `${head} ${tail}` : head;
}

const defOf = (error: ErrorObject): string | undefined => /^#\/\$defs\/([^/]+)\//.exec(error.schemaPath)?.[1];

/** Runs the JSON Schema and reports its errors on the right nodes, oneOf noise collapsed. Returns true when valid. */
export function checkSchema(options: { data: unknown; reporter: Reporter }): boolean {
  const { data, reporter } = options;
  const validate = validator();
  if (validate(data)) return true;
  const errors = collapseRoleErrors(validate.errors ?? [], data);
  for (const error of errors) reportSchemaError(error, data, reporter);
  return false;
}

const ROLE_ITEM = /^\/vms\/[0-9]+\/roles\/[0-9]+/;

/** A role is a oneOf of single-key objects: keep only the errors of the branch the user meant. */
function collapseRoleErrors(errors: ErrorObject[], data: unknown): ErrorObject[] {
  const kept: ErrorObject[] = [];
  const handledItems = new Set<string>();
  for (const error of errors) {
    const item = ROLE_ITEM.exec(error.instancePath)?.[0];
    const inRoleSchema = error.schemaPath.includes('/roles/items/oneOf');
    if (!item || (!inRoleSchema && error.instancePath === item && error.keyword !== 'oneOf')) {
      kept.push(error);
      continue;
    }
    const value = valueAtPointer(data, item);
    const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    const names = knownRoleNames();
    if (keys.length === 1 && names.includes(keys[0]!)) {
      // Errors inside the chosen role's parameters are real; the other branches' complaints are noise.
      if (error.instancePath.startsWith(joinPointer(item, keys[0]!))) kept.push(error);
      continue;
    }
    if (handledItems.has(item)) continue;
    handledItems.add(item);
    kept.push({ keyword: 'x-role', instancePath: item, schemaPath: '', params: { keys, value }, message: '' });
  }
  return kept;
}

/** Where a mistyped value may well be a password: such values are never repeated in messages. */
const SENSITIVE = /\/(password|safeModePassword)(\/|$)/;

function reportSchemaError(error: ErrorObject, data: unknown, reporter: Reporter): void {
  const pointer = error.instancePath;
  const literal = /^\/credentials\/([0-9]+)\/password$/.exec(pointer);
  if (literal && error.keyword === 'type' && typeof valueAtPointer(data, pointer) === 'string') {
    const index = Number(literal[1]);
    reporter.error(literalPassword(valueAtPointer(data, `/credentials/${index}/name`), index));
    return;
  }
  if (SENSITIVE.test(pointer)) error = { ...error, data: '(sensitive)' };
  const where = describePointer(data, pointer);
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'x-role': {
      const keys = params.keys as string[];
      const names = knownRoleNames();
      if (keys.length === 1) {
        reporter.error({ rule: 'unknown-role', pointer: joinPointer(pointer, keys[0]!), atKey: true, message: `unknown role \`${show(keys[0])}\`${didYouMean(keys[0]!, names)}`, hint: `roles are ${names.join(', ')}` });
      } else if (typeof params.value === 'string' && names.includes(params.value)) {
        reporter.error({ rule: 'role-shape', pointer, message: `role \`${params.value}\` must be written as a map: \`- ${params.value}: {}\`` });
      } else {
        reporter.error({ rule: 'role-shape', pointer, message: `${where}: a role is a map with exactly one key, the role's name${keys.length > 1 ? ` (found ${keys.map((k) => `\`${show(k)}\``).join(', ')})` : ''}`, hint: 'write each role as its own list entry, e.g. `- domainMember: { domain: contoso.com, joinCredential: domain-admin }`' });
      }
      return;
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
      const child = joinPointer(pointer, key);
      reporter.error({ rule: 'unknown-key', pointer: child, atKey: true, message: `unknown key \`${show(key)}\` in ${where}${didYouMean(key, allowed)}`, hint: allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined });
      return;
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const roleMatch = /\/roles\/[0-9]+\/([^/]+)$/.exec(pointer);
      const subject = roleMatch ? `role ${roleMatch[1]}` : where;
      reporter.error({ rule: 'required', pointer, message: `${subject}: missing required \`${missing}\`` });
      return;
    }
    case 'pattern': {
      const def = defOf(error);
      const help = def ? PATTERN_HELP[def] : undefined;
      const description = (error.parentSchema as { description?: string })?.description;
      reporter.error({ rule: 'schema', pointer, message: `${where}: \`${show(error.data)}\` is not ${help ?? 'valid'}`, hint: help ? undefined : description });
      return;
    }
    case 'const': {
      const field = pointerSegments(pointer).at(-1) ?? '';
      reporter.error({ rule: field === 'apiVersion' ? 'api-version' : field === 'kind' ? 'kind' : 'schema', pointer, message: `${field} must be \`${show(params.allowedValue)}\`, not \`${show(error.data)}\`` });
      return;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      reporter.error({ rule: 'schema', pointer, message: `${where}: \`${show(error.data)}\` is not one of ${allowed.join(', ')}${typeof error.data === 'string' && !SENSITIVE.test(pointer) ? didYouMean(error.data, allowed) : ''}` });
      return;
    }
    case 'type': {
      const expected = String(params.type);
      // YAML reads 01, 1e3, yes-like values and dates as non-strings: quoting fixes it.
      const quote = expected.includes('string') && (typeof error.data === 'number' || typeof error.data === 'boolean');
      reporter.error({ rule: 'schema', pointer, message: `${where} must be ${expected.replace(/,/g, ' or ')}, not ${error.data === null ? 'empty' : Array.isArray(error.data) ? 'a list' : typeof error.data}`, hint: quote ? `YAML read this value as a ${typeof error.data}; put it in quotes` : undefined });
      return;
    }
    case 'minItems':
      reporter.error({ rule: 'schema', pointer, message: `${where} needs at least ${params.limit} ${params.limit === 1 ? 'entry' : 'entries'}` });
      return;
    case 'minimum':
    case 'maximum':
      reporter.error({ rule: 'schema', pointer, message: `${where} is ${show(error.data)}; it must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${params.limit}` });
      return;
    case 'minProperties':
    case 'maxProperties': {
      const props = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
      reporter.error({ rule: 'schema', pointer, message: `${where} takes exactly one of ${props.map((p) => `\`${p}\``).join(', ')}` });
      return;
    }
    default:
      reporter.error({ rule: 'schema', pointer: pointer || (parentPointer(pointer) ?? ''), message: `${where} ${error.message ?? 'is invalid'}` });
  }
}
