#!/usr/bin/env node
// Generates FakeHyperV.Declarations.ps1 from the cmdlet catalogue (hyperv-cmdlets.json, a copy of
// ../shared/hyperv-cmdlets.json kept in the repo because CI may not have ../shared everywhere).
// Every cmdlet becomes an advanced function with exactly the real parameter sets, so a parameter
// the real cmdlet does not have fails to bind here too. Bodies call Invoke-FakeCmdlet.
//
//   node test/fake-hyperv/generate-declarations.mjs            write the .ps1
//   node test/fake-hyperv/generate-declarations.mjs --check    exit 1 when the .ps1 is stale
//   node test/fake-hyperv/generate-declarations.mjs --refresh  copy ../shared's catalogue first
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const CATALOGUE_PATH = join(here, 'hyperv-cmdlets.json');
export const OUTPUT_PATH = join(here, 'FakeHyperV.Declarations.ps1');
export const SHARED_CATALOGUE_PATH = join(here, '..', '..', '..', 'shared', 'hyperv-cmdlets.json');

// .NET types that exist without Hyper-V, FailoverClusters, ADDS or CIM (catalogue name -> PowerShell type).
const SCALARS = {
  String: 'string',
  Boolean: 'bool',
  Byte: 'byte',
  Int16: 'int16',
  Int32: 'int',
  Int64: 'long',
  UInt16: 'uint16',
  UInt32: 'uint32',
  UInt64: 'uint64',
  'Management.Automation.PSCredential': 'pscredential',
  PSCredential: 'pscredential',
  'Security.SecureString': 'securestring',
  SecureString: 'securestring',
  'Management.Automation.ScriptBlock': 'scriptblock',
  'Management.Automation.PSObject': 'psobject',
  PSObject: 'psobject',
  Object: 'object',
  Guid: 'guid',
  TimeSpan: 'timespan',
  Version: 'version',
  Uri: 'uri',
  Type: 'type',
  XmlDocument: 'xml',
};
// Flags enums take several names at once: an array of names binds like the real enum.
const FLAGS_ENUMS = new Set(['Microsoft.PowerShell.Commands.JoinOptions']);
const COMMON_PARAMETERS = new Set(
  [
    'Verbose',
    'Debug',
    'ErrorAction',
    'WarningAction',
    'InformationAction',
    'ProgressAction',
    'ErrorVariable',
    'WarningVariable',
    'InformationVariable',
    'OutVariable',
    'OutBuffer',
    'PipelineVariable',
  ].map((n) => n.toLowerCase()),
);

const quote = (text) => `'${String(text).replace(/'/g, "''")}'`;

function enumValues(catalogue, baseType) {
  for (const [key, value] of Object.entries(catalogue.enums ?? {})) {
    const name = key.split(' ')[0];
    const typeName = typeof value.type === 'string' ? value.type.split(' ')[0] : '';
    if (name === baseType || typeName === baseType || typeName.endsWith(`.${baseType}`)) {
      if (Array.isArray(value.values)) return value.values.map(String);
    }
  }
  return undefined;
}

/** The PowerShell type and ValidateSet values for a catalogue parameter. */
export function mapType(catalogue, parameter) {
  const raw = parameter.type;
  const isArray = raw.endsWith('[]');
  const base = (isArray ? raw.slice(0, -2) : raw).replace(/^System\./, '');
  const suffix = isArray ? '[]' : '';
  if (base === 'SwitchParameter' || base === 'Management.Automation.SwitchParameter')
    return { type: 'switch' };
  if (base === 'StringCollection') return { type: 'string[]' };
  const values = parameter.validValues?.map(String) ?? enumValues(catalogue, base);
  if (SCALARS[base]) return { type: `${SCALARS[base]}${suffix}`, values: parameter.validValues?.map(String) };
  if (values) return { type: FLAGS_ENUMS.has(raw) ? 'string[]' : `string${suffix}`, values };
  // Hyper-V, CIM, cluster and AD objects do not exist here: accept any object, like a loose binder.
  return { type: `object${suffix}` };
}

/** `[ValidateRange]` only for plain "min-max" ranges; prose ranges stay documentation. */
function rangeOf(parameter) {
  const match =
    typeof parameter.range === 'string'
      ? /^(\d+)-(\d+)(\s*\([a-z ]+\))?$/i.exec(parameter.range.trim())
      : null;
  return match ? [match[1], match[2]] : undefined;
}

function positionOf(parameter) {
  const position = parameter.positionPerSourceCode ?? parameter.position;
  return typeof position === 'number' ? position : undefined;
}

function declareCmdlet(catalogue, name, cmdlet, notes) {
  const params = new Map();
  for (const set of cmdlet.parameterSets) {
    const taken = new Map();
    for (const parameter of set.parameters) {
      if (COMMON_PARAMETERS.has(parameter.name.toLowerCase())) continue;
      const key = parameter.name.toLowerCase();
      let entry = params.get(key);
      if (!entry) {
        entry = {
          name: parameter.name,
          mapped: mapType(catalogue, parameter),
          aliases: new Set(),
          range: rangeOf(parameter),
          sets: [],
        };
        params.set(key, entry);
      }
      for (const alias of parameter.aliases ?? []) entry.aliases.add(alias);
      let position = positionOf(parameter);
      // The catalogue sometimes gives two parameters one position; PowerShell refuses that: keep the first.
      if (position !== undefined && taken.has(position)) {
        notes.push(
          `${name} [${set.name}]: -${parameter.name} made named (position ${position} is -${taken.get(position)}'s)`,
        );
        position = undefined;
      }
      if (position !== undefined) taken.set(position, parameter.name);
      entry.sets.push({ set: set.name, mandatory: parameter.mandatory === true, position });
    }
  }
  const lines = [`function ${name} {`];
  const defaultSet = cmdlet.defaultParameterSet;
  lines.push(
    defaultSet
      ? `    [CmdletBinding(DefaultParameterSetName = ${quote(defaultSet)})]`
      : '    [CmdletBinding()]',
  );
  lines.push('    param(');
  const declared = [...params.values()].map((entry) => {
    const attrs = entry.sets.map((s) => {
      const parts = [`ParameterSetName = ${quote(s.set)}`];
      if (s.mandatory) parts.push('Mandatory = $true');
      if (s.position !== undefined) parts.push(`Position = ${s.position}`);
      return `        [Parameter(${parts.join(', ')})]`;
    });
    if (entry.aliases.size > 0) attrs.push(`        [Alias(${[...entry.aliases].map(quote).join(', ')})]`);
    if (entry.mapped.values?.length)
      attrs.push(`        [ValidateSet(${entry.mapped.values.map(quote).join(', ')})]`);
    if (entry.range) attrs.push(`        [ValidateRange(${entry.range[0]}, ${entry.range[1]})]`);
    attrs.push(`        [${entry.mapped.type}]`);
    attrs.push(`        $${entry.name}`);
    return attrs.join('\n');
  });
  lines.push(declared.join(',\n\n'));
  lines.push('    )');
  lines.push(
    `    Invoke-FakeCmdlet -Name ${quote(name)} -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters`,
  );
  lines.push('}');
  return lines.join('\n');
}

/** The whole .ps1 text for a catalogue (deterministic: same catalogue, same text). */
export function generateDeclarations(catalogue) {
  const notes = [];
  const names = Object.keys(catalogue.cmdlets).sort();
  const bodies = names.map((name) => declareCmdlet(catalogue, name, catalogue.cmdlets[name], notes));
  const header = [
    '# GENERATED by test/fake-hyperv/generate-declarations.mjs from test/fake-hyperv/hyperv-cmdlets.json.',
    '# Do not edit: change the catalogue or the generator and run `node test/fake-hyperv/generate-declarations.mjs`.',
    `# ${names.length} cmdlets with their real parameter sets; bodies call Invoke-FakeCmdlet (FakeHyperV.psm1).`,
    ...(notes.length ? ['#', '# Catalogue positions adjusted:', ...notes.map((n) => `#   ${n}`)] : []),
  ];
  return `${header.join('\n')}\n\n${bodies.join('\n\n')}\n`;
}

export function readCatalogue(path = CATALOGUE_PATH) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function main(argv) {
  if (argv.includes('--refresh')) {
    if (!existsSync(SHARED_CATALOGUE_PATH)) throw new Error(`no catalogue at ${SHARED_CATALOGUE_PATH}`);
    copyFileSync(SHARED_CATALOGUE_PATH, CATALOGUE_PATH);
  }
  const text = generateDeclarations(readCatalogue());
  if (argv.includes('--check')) {
    const current = existsSync(OUTPUT_PATH) ? readFileSync(OUTPUT_PATH, 'utf8') : '';
    if (current !== text) {
      console.error(`${OUTPUT_PATH} is stale: run node test/fake-hyperv/generate-declarations.mjs`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(OUTPUT_PATH, text);
  console.log(`wrote ${OUTPUT_PATH}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
