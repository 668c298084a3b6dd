import { literalPassword } from './rules/roles.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { didYouMean, show } from './suggest.js';
import { joinPointer, parentPointer, pointerSegments, valueAtPointer } from './pointer.js';
import type { Reporter } from './reporter.js';

/** The schema ships beside src/ and dist/ at the package root; one path works from both. */
const SCHEMA_URL = new URL('../../schemas/lab.schema.json', import.meta.url);

/** The absolute path of the JSON Schema of manifests (`labform schema --path`). */
export function schemaPath(): string {
  return fileURLToPath(SCHEMA_URL);
}

let compiled: ValidateFunction | undefined;
let roleNames: string[] = [];

/**
 * The validation function the build compiled from this very schema text
 * (scripts/build-schema-validator.js writes it beside this module in dist/), or undefined when
 * there is none or the schema changed since: then the schema is compiled here.
 */
function precompiled(schemaText: string): ValidateFunction | undefined {
  try {
    const loaded = createRequire(import.meta.url)('./lab-schema-validator.cjs') as {
      validate?: ValidateFunction;
      schemaSha256?: string;
    };
    return loaded.schemaSha256 === createHash('sha256').update(schemaText).digest('hex')
      ? loaded.validate
      : undefined;
  } catch {
    return undefined;
  }
}

/** Exposed for the test that compares the build's validator with a fresh compile. */
export function compileSchema(schemaText: string): ValidateFunction {
  // Ajv and ajv-formats (both CommonJS) are loaded only to compile: with the build's validator,
  // a command never loads them (tens of milliseconds of a CLI start).
  const require = createRequire(import.meta.url);
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 };
  const formats = require('ajv-formats') as { default?: unknown };
  const addFormats = (formats.default ?? formats) as (a: Ajv2020) => void;
  const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(schemaText));
}

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const text = readFileSync(SCHEMA_URL, 'utf8');
  const schema = JSON.parse(text) as Record<string, any>;
  roleNames = (schema.properties.vms.items.properties.roles.items.oneOf as { required: string[] }[]).map(
    (s) => s.required[0]!,
  );
  // Compiling the schema costs more CPU than checking a thousand-VM manifest: the build does it once.
  compiled = precompiled(text) ?? compileSchema(text);
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

/**
 * What a value of each pattern written inline in the schema looks like (the field's own
 * pattern, not a shared definition), keyed by the pattern. A pattern missing here is shown as is.
 */
const INLINE_PATTERN_HELP: Record<string, string> = {
  '^[a-z][a-z0-9-]{0,39}$':
    'a lab name: lowercase letters, digits and `-`, starting with a letter, at most 40 characters, e.g. `nat-lab`',
  '^([A-Za-z]:\\\\|\\\\\\\\)[^\\u0000-\\u001f"<>|?*]*$':
    'an absolute Windows path: `D:\\Labs\\{lab}` or `\\\\server\\share\\{lab}`, without `"<>|?*`',
  '^[A-Za-z0-9 .()+,&-]{1,64}$': 'a Windows time zone id, e.g. `UTC` or `W. Europe Standard Time`',
  '^(local|ssh://([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:[0-9]{1,5})?|winrms?://([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:[0-9]{1,5})?)$':
    'a connection: `local`, `ssh://user@host[:port]`, `winrm://[user@]host[:port]` or `winrms://[user@]host[:port]` (HTTPS)',
  [String.raw`\.[Ii][Ss][Oo]$`]: 'an ISO image file, a path ending in `.iso`, e.g. `D:\\ISO\\SQL2016.iso`',
  '^[A-Za-z_][A-Za-z0-9_]*$':
    'an environment variable name: letters, digits and `_`, not starting with a digit, e.g. `LAB_ADMIN_PASSWORD`',
  '^[A-Za-z0-9{][A-Za-z0-9._{}-]{0,62}$':
    'a computer name: letters, digits, `.`, `_`, `-` and `{n}`, e.g. `web{n}`',
  '^[0-9]+(\\.[0-9]+)?(B|KB|MB|GB|TB)$': 'a size: <number><unit> with unit B|KB|MB|GB|TB, e.g. `2GB`',
  '^[A-Za-z0-9-]{1,15}$': 'a NetBIOS-style name: 1 to 15 letters, digits and hyphens',
  [String.raw`^[^\u0000-\u001f]+$`]: 'a file path on one line, without control characters',
  [String.raw`\.[Ii][Ss][Oo]$`]: "an .iso file on the VM's host, e.g. `D:\\ISO\\SQL2016.iso`",
  [String.raw`\.([Mm][Ss][Uu]|[Cc][Aa][Bb])$`]:
    'an update package on the host, a path ending in `.msu` or `.cab`, e.g. `D:\\Updates\\kb4013429.msu`',
  [String.raw`^[^\u0000-\u001f"]+$`]:
    'an adapter name as Get-NetAdapter shows it, e.g. `Ethernet`, without `"`',
  [String.raw`^(auto|dhcp|(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}(/(3[0-2]|[12]?[0-9]))?)$`]:
    '`auto`, `dhcp`, or an IPv4 address with an optional prefix length, e.g. `192.168.50.10` or `192.168.50.10/24`',
  [String.raw`^PCIROOT\([0-9A-Fa-f]+\)(#PCI\([0-9A-Fa-f]{4}\))+$`]:
    'a PCI location path as Get-PnpDeviceProperty DEVPKEY_Device_LocationPaths shows it, e.g. `PCIROOT(0)#PCI(0300)#PCI(0000)`',
  [String.raw`^[^\u0000-\u001f"/\\\[\]:|<>+=;,?*]{1,80}$`]:
    'an SMB share name: 1 to 80 characters, none of `"/\\[]:|<>+=;,?*`',
  [String.raw`^\\\\[^\u0000-\u001f"<>|?*]+$`]: 'a UNC path, e.g. `\\\\fs01\\witness`',
};

/** The inline patterns the hints describe (for the test that every schema pattern has one). */
export const describedPatterns = (): string[] => Object.keys(INLINE_PATTERN_HELP);

/** The hint of a pattern error: what the value should look like, never the field's description. */
function patternHint(pattern: string | undefined): string | undefined {
  if (!pattern) return undefined;
  const help = INLINE_PATTERN_HELP[pattern];
  return help ? `expected ${help}` : `expected a value matching the pattern ${pattern}`;
}

/** Human path of a pointer, by names where the manifest has them: `vm dc01 memory.startup`. */
export function describePointer(data: unknown, pointer: string): string {
  const segments = pointerSegments(pointer);
  if (segments.length === 0) return 'the manifest';
  const singular: Record<string, string> = {
    hosts: 'host',
    clusters: 'cluster',
    images: 'image',
    credentials: 'credential',
    networks: 'network',
    disks: 'disk',
    vms: 'vm',
    guestClusters: 'guest cluster',
  };
  const [section, index, ...rest] = segments;
  let head = section!;
  if (singular[section!] && index !== undefined) {
    const name = valueAtPointer(data, joinPointer('', section!, index, 'name'));
    head = `${singular[section!]} ${typeof name === 'string' ? show(name) : `#${Number(index) + 1}`}`;
  } else if (index !== undefined) rest.unshift(index);
  const tail = rest
    .map((s) => (/^[0-9]+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
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
    const keys =
      value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    const names = knownRoleNames();
    if (keys.length === 1 && names.includes(keys[0]!)) {
      // Errors inside the chosen role's parameters are real; the other branches' complaints are noise.
      if (error.instancePath.startsWith(joinPointer(item, keys[0]!))) kept.push(error);
      continue;
    }
    if (handledItems.has(item)) continue;
    handledItems.add(item);
    kept.push({
      keyword: 'x-role',
      instancePath: item,
      schemaPath: '',
      params: { keys, value },
      message: '',
    });
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
        reporter.error({
          rule: 'unknown-role',
          pointer: joinPointer(pointer, keys[0]!),
          atKey: true,
          message: `unknown role \`${show(keys[0])}\`${didYouMean(keys[0]!, names)}`,
          hint: `roles are ${names.join(', ')}`,
        });
      } else if (typeof params.value === 'string' && names.includes(params.value)) {
        reporter.error({
          rule: 'role-shape',
          pointer,
          message: `role \`${params.value}\` must be written as a map: \`- ${params.value}: {}\``,
        });
      } else {
        reporter.error({
          rule: 'role-shape',
          pointer,
          message: `${where}: a role is a map with exactly one key, the role's name${keys.length > 1 ? ` (found ${keys.map((k) => `\`${show(k)}\``).join(', ')})` : ''}`,
          hint: 'write each role as its own list entry, e.g. `- domainMember: { domain: contoso.com, joinCredential: domain-admin }`',
        });
      }
      return;
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
      const child = joinPointer(pointer, key);
      reporter.error({
        rule: 'unknown-key',
        pointer: child,
        atKey: true,
        message: `unknown key \`${show(key)}\` in ${where}${didYouMean(key, allowed)}`,
        hint: allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined,
      });
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
      reporter.error({
        rule: 'schema',
        pointer,
        message: `${where}: \`${show(error.data)}\` is not ${help ?? 'valid'}`,
        hint: help ? undefined : patternHint((error.params as { pattern?: string }).pattern),
      });
      return;
    }
    case 'const': {
      const field = pointerSegments(pointer).at(-1) ?? '';
      reporter.error({
        rule: field === 'apiVersion' ? 'api-version' : field === 'kind' ? 'kind' : 'schema',
        pointer,
        message: `${field} must be \`${show(params.allowedValue)}\`, not \`${show(error.data)}\``,
      });
      return;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      reporter.error({
        rule: 'schema',
        pointer,
        message: `${where}: \`${show(error.data)}\` is not one of ${allowed.join(', ')}${typeof error.data === 'string' && !SENSITIVE.test(pointer) ? didYouMean(error.data, allowed) : ''}`,
      });
      return;
    }
    case 'type': {
      const expected = String(params.type);
      // YAML reads 01, 1e3, yes-like values and dates as non-strings: quoting fixes it.
      const quote =
        expected.includes('string') && (typeof error.data === 'number' || typeof error.data === 'boolean');
      reporter.error({
        rule: 'schema',
        pointer,
        message: `${where} must be ${expected.replace(/,/g, ' or ')}, not ${error.data === null ? 'empty' : Array.isArray(error.data) ? 'a list' : typeof error.data}`,
        hint: quote ? `YAML read this value as a ${typeof error.data}; put it in quotes` : undefined,
      });
      return;
    }
    case 'minItems':
      reporter.error({
        rule: 'schema',
        pointer,
        message: `${where} needs at least ${params.limit} ${params.limit === 1 ? 'entry' : 'entries'}`,
      });
      return;
    case 'minimum':
    case 'maximum':
      reporter.error({
        rule: 'schema',
        pointer,
        message: `${where} is ${show(error.data)}; it must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${params.limit}`,
      });
      return;
    case 'minProperties':
    case 'maxProperties': {
      const props = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
      reporter.error({
        rule: 'schema',
        pointer,
        message: `${where} takes exactly one of ${props.map((p) => `\`${p}\``).join(', ')}`,
      });
      return;
    }
    default:
      reporter.error({
        rule: 'schema',
        pointer: pointer || (parentPointer(pointer) ?? ''),
        message: `${where} ${error.message ?? 'is invalid'}`,
      });
  }
}
