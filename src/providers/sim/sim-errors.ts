import { ProviderError, type ErrorRecord } from '../../errors.js';

/** Where an error happened, for ProviderError's address and host. */
export interface ErrorSite {
  address: string;
  host: string;
}

/**
 * A refusal the way PowerShell reports it: the record carries Hyper-V's own wording, the
 * category and FullyQualifiedErrorId; the message adds the cmdlet and, where Hyper-V's text is
 * cryptic, why (`explain`). Never retryable: the same call would fail again.
 */
export function refusal(
  site: ErrorSite,
  options: {
    cmdlet: string;
    message: string;
    category:
      | 'InvalidOperation'
      | 'InvalidArgument'
      | 'ResourceExists'
      | 'ObjectNotFound'
      | 'ResourceUnavailable'
      | 'PermissionDenied'
      | 'NotSpecified'
      | 'AuthenticationError';
    errorId: string;
    target?: string;
    explain?: string;
    exceptionType?: string;
  },
): ProviderError {
  // Hyper-V cmdlets name their class (`Microsoft.HyperV.PowerShell.Commands.NewVM`); CIM ones (NetNat) give the full id.
  const fqid = options.errorId.includes(',')
    ? options.errorId
    : `${options.errorId},Microsoft.HyperV.PowerShell.Commands.${options.cmdlet.replace('-', '')}`;
  const record: ErrorRecord = {
    message: options.message,
    category: options.category,
    fullyQualifiedErrorId: fqid,
    target: options.target,
    exceptionType: options.exceptionType ?? 'Microsoft.HyperV.PowerShell.VirtualizationException',
  };
  const text = `${options.cmdlet}: ${options.message}${options.explain ? ` (${options.explain})` : ''}`;
  return new ProviderError({
    message: text,
    address: site.address,
    retryable: false,
    record,
    host: site.host,
  });
}

/** A transient failure (WMI/WinRM hiccup): nothing changed, the same call may succeed. */
export function transient(site: ErrorSite, operation: string): ProviderError {
  return new ProviderError({
    message: `${operation}: The WMI provider returned an error: Generic failure (simulated transient fault, nothing was changed)`,
    address: site.address,
    retryable: true,
    host: site.host,
    record: {
      message: 'Generic failure',
      category: 'NotSpecified',
      fullyQualifiedErrorId: 'GenericFailure,Microsoft.HyperV.PowerShell.Commands',
      exceptionType: 'Microsoft.Management.Infrastructure.CimException',
    },
  });
}

/** A permanent failure named in `faults.permanent`. */
export function injectedPermanent(site: ErrorSite, key: string): ProviderError {
  return new ProviderError({
    message: `${key}: The operation failed (simulated permanent fault)`,
    address: site.address,
    retryable: false,
    host: site.host,
    record: {
      message: 'The operation failed.',
      category: 'NotSpecified',
      fullyQualifiedErrorId: `InjectedFault,${key}`,
    },
  });
}
