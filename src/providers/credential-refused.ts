import { ProviderError } from '../errors.js';

/**
 * The guest refused the credential ("The credential is invalid." from PowerShell Direct,
 * "Permission denied" from SSH). Not a guest that is still booting: waiting cannot fix a wrong
 * password, so both providers report it at once, as what it is, never retryable.
 */
export function credentialRefused(o: {
  address: string;
  host: string;
  vm: string;
  os: 'windows' | 'linux';
  username: string;
  message: string;
}): ProviderError {
  const via = o.os === 'linux' ? 'SSH' : 'PowerShell Direct';
  return new ProviderError({
    message: `${via} into ${o.vm} refused the credential of ${o.username}: ${o.message}`,
    address: o.address,
    host: o.host,
    retryable: false,
    record: {
      message: o.message,
      category: 'AuthenticationError',
      fullyQualifiedErrorId: 'CredentialRefused,Labform',
      target: o.vm,
    },
  });
}

/** Whether `error` is a guest's refusal of a credential. */
export function isCredentialRefusal(error: unknown): error is ProviderError {
  return (
    error instanceof ProviderError && error.record?.fullyQualifiedErrorId === 'CredentialRefused,Labform'
  );
}
