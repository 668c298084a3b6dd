# Shared helpers of the labform host library (Windows PowerShell 5.1 syntax only).

function Stop-LabformOperation {
    # Our own refusals travel as real ErrorRecords, so they map to ProviderError like Hyper-V's.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Message,
        [Parameter(Mandatory = $true)][string]$ErrorId,
        [System.Management.Automation.ErrorCategory]$Category = [System.Management.Automation.ErrorCategory]::InvalidOperation,
        [object]$Target
    )
    $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $Message
    $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, $ErrorId, $Category, $Target
    $PSCmdlet.ThrowTerminatingError($record)
}

function Read-LabformRecordFile {
    # The record labform writes beside a file it made (<file>.labform.json: a built image's, a
    # cloud-init seed's), or $null when there is none, it does not parse, or it is another format.
    param([Parameter(Mandatory = $true)][string]$Path, [Parameter(Mandatory = $true)][string]$Format)
    $recordPath = $Path + '.labform.json'
    if (-not (Test-Path -LiteralPath $recordPath -PathType Leaf)) { return $null }
    try {
        $record = Get-Content -LiteralPath $recordPath -Raw | ConvertFrom-Json
    } catch {
        return $null
    }
    if ([string]$record.format -ne $Format) { return $null }
    return $record
}

function Get-LabformSingleVm {
    # VM names are not unique in Hyper-V; labform refuses to act on an ambiguous name.
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Name)
    # Matched by equality, not Get-VM -Name: that takes wildcards, and a name is data, not a pattern.
    $found = @(Get-VM | Where-Object { [string]::Equals([string]$_.Name, $Name, [System.StringComparison]::OrdinalIgnoreCase) })
    if ($found.Count -eq 0) {
        Stop-LabformOperation -Message ('Hyper-V was unable to find a virtual machine with name "' + $Name + '".') -ErrorId 'InvalidParameter,Get-LabformSingleVm' -Category InvalidArgument -Target $Name
    }
    if ($found.Count -gt 1) {
        Stop-LabformOperation -Message ("More than one virtual machine is named '" + $Name + "'; labform will not guess which one.") -ErrorId 'AmbiguousVMName,Labform' -Category InvalidOperation -Target $Name
    }
    return $found[0]
}
