import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../src/errors.js';
import { ProviderError } from '../../src/errors.js';
import { classifyRecord, mapErrorRecord } from '../../src/powershell/error-mapping.js';

const cases: { name: string; record: ErrorRecord; retryable: boolean }[] = [
  {
    name: 'VM busy in another operation',
    retryable: true,
    record: {
      message:
        "The operation cannot be performed while the virtual machine 'dc01' is performing another operation.",
      category: 'InvalidOperation',
      exceptionType: 'Microsoft.HyperV.PowerShell.VirtualizationException',
    },
  },
  {
    name: 'object in use',
    retryable: true,
    record: { message: 'The operation failed because the object is in use.', category: 'ResourceBusy' },
  },
  {
    name: 'WMI generic failure 0x80041001',
    retryable: true,
    record: { message: "'dc01' failed to modify device 'Memory'. (0x80041001)", category: 'NotSpecified' },
  },
  {
    name: 'WMI critical error 0x8004100A',
    retryable: true,
    record: { message: 'Failed to apply changes. Error code 0x8004100A.', category: 'NotSpecified' },
  },
  {
    name: 'RPC server unavailable',
    retryable: true,
    record: {
      message: 'The RPC server is unavailable. (Exception from HRESULT: 0x800706BA)',
      exceptionType: 'System.Runtime.InteropServices.COMException',
    },
  },
  {
    name: 'remote procedure call failed',
    retryable: true,
    record: { message: 'The remote procedure call failed.', category: 'NotSpecified' },
  },
  {
    name: 'CIM Generic failure',
    retryable: true,
    record: {
      message: 'Generic failure ',
      category: 'NotSpecified',
      exceptionType: 'Microsoft.Management.Infrastructure.CimException',
    },
  },
  {
    name: 'VMMS timeout',
    retryable: true,
    record: {
      message: 'The operation timed out while waiting for the Virtual Machine Management Service.',
      category: 'OperationTimeout',
    },
  },
  {
    name: 'PowerShell Direct: VM not in a valid state yet',
    retryable: true,
    record: {
      message: 'The virtual machine dc01 is not in a valid state to perform the operation.',
      category: 'InvalidOperation',
      fullyQualifiedErrorId: 'PSSessionOpenFailed',
    },
  },
  {
    name: 'PowerShell Direct: remote session ended',
    retryable: true,
    record: {
      message:
        'An error has occurred which Windows PowerShell cannot handle. A remote session might have ended.',
      category: 'OpenError',
      exceptionType: 'System.Management.Automation.Remoting.PSRemotingTransportException',
    },
  },
  {
    name: 'PowerShell Direct: credential invalid',
    retryable: false,
    record: {
      message: 'The credential is invalid.',
      category: 'InvalidArgument',
      fullyQualifiedErrorId: 'PSSessionOpenFailed',
      exceptionType: 'System.Management.Automation.Remoting.PSRemotingTransportException',
    },
  },
  {
    name: 'ObjectNotFound',
    retryable: false,
    record: {
      message: 'Hyper-V was unable to find a virtual machine with name "nope".',
      category: 'ObjectNotFound',
      fullyQualifiedErrorId: 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
    },
  },
  {
    name: 'ResourceExists',
    retryable: false,
    record: { message: 'A switch with that name already exists.', category: 'ResourceExists' },
  },
  {
    name: 'InvalidArgument',
    retryable: false,
    record: { message: 'The value is out of range.', category: 'InvalidArgument' },
  },
  {
    name: 'settings refused while running',
    retryable: false,
    record: {
      message:
        "'dc01' failed to modify device 'Processor'. Cannot change the processor count while the virtual machine is running.",
      category: 'InvalidOperation',
      exceptionType: 'Microsoft.HyperV.PowerShell.VirtualizationException',
    },
  },
  {
    name: 'access denied',
    retryable: false,
    record: {
      message: 'You do not have the required permission to complete this task. Access is denied.',
      category: 'PermissionDenied',
    },
  },
  {
    name: 'access denied (hresult)',
    retryable: false,
    record: { message: 'General access denied error (0x80070005)', category: 'NotSpecified' },
  },
  {
    name: 'parameter binding',
    retryable: false,
    record: {
      message: "A parameter cannot be found that matches parameter name 'Bogus'.",
      category: 'InvalidArgument',
      fullyQualifiedErrorId: 'NamedParameterNotFound,New-VM',
      exceptionType: 'System.Management.Automation.ParameterBindingException',
    },
  },
  {
    name: 'missing mandatory parameter',
    retryable: false,
    record: {
      message: 'Cannot process command because of one or more missing mandatory parameters: Path.',
      category: 'InvalidArgument',
      fullyQualifiedErrorId: 'MissingMandatoryParameter,New-VHD',
    },
  },
  {
    name: 'command not allowed',
    retryable: false,
    record: {
      message: 'labform: Remove-Item is not a function of the loaded library',
      category: 'PermissionDenied',
      fullyQualifiedErrorId: 'LabformCommandNotAllowed',
    },
  },
  {
    name: 'unknown error',
    retryable: false,
    record: {
      message: 'Something odd happened.',
      category: 'NotSpecified',
      exceptionType: 'System.Management.Automation.RuntimeException',
    },
  },
];

describe('error mapping', () => {
  it.each(cases)('$name -> retryable $retryable', ({ record, retryable }) => {
    expect(classifyRecord(record).retryable).toBe(retryable);
  });

  it('makes a ProviderError naming the host, the command and the record', () => {
    const record = cases[0]!.record;
    const error = mapErrorRecord({ record, host: 'hv01', command: 'Set-LabformVm', address: 'vm.dc01' });
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.retryable).toBe(true);
    expect(error.address).toBe('vm.dc01');
    expect(error.host).toBe('hv01');
    expect(error.record).toEqual(record);
    expect(error.message).toContain('Set-LabformVm on hv01 failed');
    expect(mapErrorRecord({ record, host: 'hv01', command: 'X' }).address).toBe('host.hv01');
  });
});
