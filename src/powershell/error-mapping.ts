import { ProviderError } from '../errors.js';
import type { ErrorRecord } from '../errors.js';

/** One row of the table: the first row whose test matches decides. */
export interface RetryRule {
  name: string;
  retryable: boolean;
  test: (record: ErrorRecord) => boolean;
}

const message = (pattern: RegExp) => (r: ErrorRecord) => pattern.test(r.message);
const category =
  (...names: string[]) =>
  (r: ErrorRecord) =>
    names.includes(r.category ?? '');
const errorId = (pattern: RegExp) => (r: ErrorRecord) => pattern.test(r.fullyQualifiedErrorId ?? '');
const exception = (pattern: RegExp) => (r: ErrorRecord) => pattern.test(r.exceptionType ?? '');

/**
 * Whether an error is worth retrying, decided from what PowerShell said. Order matters:
 * the permanent causes that can look like transient ones (a refused credential over
 * PowerShell Direct, access denied) come first.
 */
export const RETRY_RULES: readonly RetryRule[] = [
  {
    name: 'credential-invalid',
    retryable: false,
    test: message(/credential is invalid|user name or password is incorrect|logon failure/i),
  },
  {
    name: 'access-denied',
    retryable: false,
    test: (r) =>
      /access (is )?denied|0x80070005|UnauthorizedAccess/i.test(
        `${r.message} ${r.fullyQualifiedErrorId ?? ''} ${r.exceptionType ?? ''}`,
      ) || r.category === 'PermissionDenied',
  },
  {
    name: 'parameter-binding',
    retryable: false,
    test: (r) =>
      /ParameterBinding/i.test(r.exceptionType ?? '') ||
      errorId(
        /^(NamedParameterNotFound|MissingMandatoryParameter|AmbiguousParameterSet|ParameterArgumentValidationError|ParameterArgumentTransformationError|PositionalParameterNotFound|CannotConvertArgument)/,
      )(r),
  },
  // A file held by another VM stays held, and a VM too big for the host stays too big: no retry helps.
  {
    name: 'file-held-by-vm',
    retryable: false,
    test: (r) => /being used by another process/i.test(r.message) && r.category === 'InvalidOperation',
  },
  {
    name: 'out-of-memory',
    retryable: false,
    test: (r) =>
      /^OutOfMemory,/.test(r.fullyQualifiedErrorId ?? '') ||
      /not enough memory in the system/i.test(r.message),
  },
  {
    name: 'vm-busy',
    retryable: true,
    test: message(
      /performing another operation|another operation is (in progress|pending)|object is (currently )?in use|is busy|being used by another process|operation is already in progress/i,
    ),
  },
  {
    name: 'wmi-transient',
    retryable: true,
    test: message(
      /0x80041001|0x8004100a|0x800706ba|0x800706be|RPC server is unavailable|remote procedure call failed|^\s*generic failure\b/i,
    ),
  },
  {
    name: 'cim-generic-failure',
    retryable: true,
    test: (r) =>
      /CimException/.test(r.exceptionType ?? '') && /generic failure|critical error/i.test(r.message),
  },
  {
    name: 'vmms-timeout',
    retryable: true,
    test: (r) =>
      /Virtual Machine Management/i.test(r.message) &&
      /time(d)? ?out|not responding|unavailable/i.test(r.message),
  },
  {
    name: 'wmi-timeout',
    retryable: true,
    test: (r) =>
      /timed? ?out/i.test(r.message) &&
      /WMI|CIM|WS-Management|Hyper-V/i.test(`${r.message} ${r.exceptionType ?? ''}`),
  },
  {
    name: 'psdirect-not-ready',
    retryable: true,
    test: message(
      /not in a valid state|remote session might have ended|virtual machine .* is not (in )?running|PowerShell Direct.*not (yet )?(available|ready)|The background process reported an error|unable to connect to the virtual machine|could not be reached/i,
    ),
  },
  {
    name: 'psdirect-broken-session',
    retryable: true,
    test: (r) =>
      /PSRemotingTransport|PSRemotingDataStructure|PipelineStopped/i.test(
        `${r.exceptionType ?? ''} ${r.fullyQualifiedErrorId ?? ''}`,
      ),
  },
  { name: 'object-not-found', retryable: false, test: category('ObjectNotFound') },
  { name: 'resource-exists', retryable: false, test: category('ResourceExists') },
  {
    name: 'invalid-argument',
    retryable: false,
    test: category(
      'InvalidArgument',
      'InvalidData',
      'InvalidType',
      'SyntaxError',
      'MetadataError',
      'ParserError',
    ),
  },
  { name: 'invalid-state', retryable: false, test: category('InvalidOperation') },
  { name: 'not-allowed-command', retryable: false, test: errorId(/^LabformCommandNotAllowed/) },
  {
    name: 'resource-busy',
    retryable: true,
    test: category('ResourceBusy', 'ResourceUnavailable', 'OperationTimeout', 'ConnectionError'),
  },
  { name: 'default', retryable: false, test: exception(/./) },
];

/** Whether an error record is retryable, and which rule said so. */
export function classifyRecord(record: ErrorRecord): { retryable: boolean; rule: string } {
  for (const rule of RETRY_RULES) {
    if (rule.test(record)) return { retryable: rule.retryable, rule: rule.name };
  }
  return { retryable: false, rule: 'default' };
}

/** A PowerShell ErrorRecord from a session as the ProviderError the executor understands. */
export function mapErrorRecord(options: {
  record: ErrorRecord;
  host: string;
  command: string;
  address?: string;
}): ProviderError {
  const { record, host, command } = options;
  const { retryable } = classifyRecord(record);
  const id = record.fullyQualifiedErrorId ? ` [${record.fullyQualifiedErrorId}]` : '';
  return new ProviderError({
    message: `${command} on ${host} failed: ${record.message}${id}`,
    address: options.address ?? `host.${host}`,
    retryable,
    record,
    host,
  });
}
