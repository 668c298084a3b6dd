# Guest cmdlets the catalogue lacks, declared with their real parameter names and sets
# (Windows Server PowerShell reference); bodies call Invoke-FakeCmdlet like the generated ones.
# The static parameter check (test/providers/hyperv/guest/static-parameters.test.ts) reads
# these param blocks through the AST for every guest cmdlet the catalogue does not list.

function Get-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
    param(
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory = $true, Position = 0)][Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, Position = 0)][string]$ClassName,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][string]$Namespace,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][string]$Filter,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][string[]]$Property,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][uint32]$OperationTimeoutSec,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][switch]$KeyOnly,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][switch]$Shallow,
        [Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true)][object[]]$CimSession
    )
    Invoke-FakeCmdlet -Name 'Get-CimInstance' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-NetConnectionProfile {
    [CmdletBinding(DefaultParameterSetName = 'ByName')]
    param(
        [Parameter(ParameterSetName = 'ByName', Position = 0)][string[]]$Name,
        [Parameter(ParameterSetName = 'ByName')][string[]]$InterfaceAlias,
        [Parameter(ParameterSetName = 'ByName')][uint32[]]$InterfaceIndex,
        [Parameter(ParameterSetName = 'ByName')][string[]]$NetworkCategory,
        [Parameter(ParameterSetName = 'ByName')][string[]]$IPv4Connectivity,
        [Parameter(ParameterSetName = 'ByName')][string[]]$IPv6Connectivity,
        [Parameter(ParameterSetName = 'ByName')][object[]]$CimSession,
        [Parameter(ParameterSetName = 'ByName')][int]$ThrottleLimit,
        [Parameter(ParameterSetName = 'ByName')][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Get-NetConnectionProfile' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Set-NetConnectionProfile {
    [CmdletBinding(DefaultParameterSetName = 'Query (cdxml)', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Query (cdxml)', Position = 0)][string[]]$Name,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$InterfaceAlias,
        [Parameter(ParameterSetName = 'Query (cdxml)')][uint32[]]$InterfaceIndex,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)][object[]]$InputObject,
        [Parameter()][ValidateSet('Public', 'Private', 'DomainAuthenticated')][string]$NetworkCategory,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob,
        [Parameter()][switch]$PassThru
    )
    Invoke-FakeCmdlet -Name 'Set-NetConnectionProfile' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Set-LocalUser {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0)][string]$Name,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'InputObject')][Parameter(ParameterSetName = 'SecurityIdentifier')][System.Security.SecureString]$Password,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'InputObject')][Parameter(ParameterSetName = 'SecurityIdentifier')][string]$Description,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'InputObject')][Parameter(ParameterSetName = 'SecurityIdentifier')][string]$FullName,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'InputObject')][Parameter(ParameterSetName = 'SecurityIdentifier')][datetime]$AccountExpires,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'InputObject')][Parameter(ParameterSetName = 'SecurityIdentifier')][switch]$AccountNeverExpires,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'InputObject')][Parameter(ParameterSetName = 'SecurityIdentifier')][bool]$PasswordNeverExpires,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'InputObject')][Parameter(ParameterSetName = 'SecurityIdentifier')][bool]$UserMayChangePassword,
        [Parameter(ParameterSetName = 'InputObject', Mandatory = $true, Position = 0)][object]$InputObject,
        [Parameter(ParameterSetName = 'SecurityIdentifier', Mandatory = $true, Position = 0)][object]$SID
    )
    Invoke-FakeCmdlet -Name 'Set-LocalUser' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Remove-NetRoute {
    [CmdletBinding(DefaultParameterSetName = 'Query (cdxml)', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$DestinationPrefix,
        [Parameter(ParameterSetName = 'Query (cdxml)')][uint32[]]$InterfaceIndex,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$InterfaceAlias,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$NextHop,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$AddressFamily,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$Publish,
        [Parameter(ParameterSetName = 'Query (cdxml)')][uint16[]]$RouteMetric,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$Protocol,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string]$PolicyStore,
        [Parameter(ParameterSetName = 'Query (cdxml)')][switch]$IncludeAllCompartments,
        [Parameter(ParameterSetName = 'Query (cdxml)')][Parameter(ParameterSetName = 'InputObject (cdxml)')][object[]]$CimSession,
        [Parameter(ParameterSetName = 'Query (cdxml)')][Parameter(ParameterSetName = 'InputObject (cdxml)')][int]$ThrottleLimit,
        [Parameter(ParameterSetName = 'Query (cdxml)')][Parameter(ParameterSetName = 'InputObject (cdxml)')][switch]$AsJob,
        [Parameter(ParameterSetName = 'Query (cdxml)')][Parameter(ParameterSetName = 'InputObject (cdxml)')][switch]$PassThru,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true)][object[]]$InputObject
    )
    Invoke-FakeCmdlet -Name 'Remove-NetRoute' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function New-SelfSignedCertificate {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true)]
    param(
        [Parameter()][string[]]$DnsName,
        [Parameter()][string]$CertStoreLocation,
        [Parameter()][string]$Subject,
        [Parameter()][string]$FriendlyName,
        [Parameter()][string[]]$KeyUsage,
        [Parameter()][string[]]$KeyExportPolicy,
        [Parameter()][string]$KeyAlgorithm,
        [Parameter()][int]$KeyLength,
        [Parameter()][string]$HashAlgorithm,
        [Parameter()][datetime]$NotAfter,
        [Parameter()][datetime]$NotBefore,
        [Parameter()][string]$Provider,
        [Parameter()][string]$Type,
        [Parameter()][string[]]$TextExtension,
        [Parameter()][object]$CloneCert,
        [Parameter()][object]$Signer
    )
    Invoke-FakeCmdlet -Name 'New-SelfSignedCertificate' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Export-PfxCertificate {
    [CmdletBinding(DefaultParameterSetName = 'ByPath', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'ByPath', Mandatory = $true, Position = 1)][Parameter(ParameterSetName = 'ByPFXData', Mandatory = $true, Position = 1)][string]$FilePath,
        [Parameter(ParameterSetName = 'ByPath', Mandatory = $true, Position = 0)][object]$Cert,
        [Parameter(ParameterSetName = 'ByPath')][Parameter(ParameterSetName = 'ByPFXData')][System.Security.SecureString]$Password,
        [Parameter(ParameterSetName = 'ByPath')][Parameter(ParameterSetName = 'ByPFXData')][string[]]$ProtectTo,
        [Parameter(ParameterSetName = 'ByPath')][Parameter(ParameterSetName = 'ByPFXData')][string]$ChainOption,
        [Parameter(ParameterSetName = 'ByPath')][Parameter(ParameterSetName = 'ByPFXData')][switch]$NoProperties,
        [Parameter(ParameterSetName = 'ByPath')][Parameter(ParameterSetName = 'ByPFXData')][switch]$NoClobber,
        [Parameter(ParameterSetName = 'ByPath')][Parameter(ParameterSetName = 'ByPFXData')][switch]$Force,
        [Parameter(ParameterSetName = 'ByPath')][Parameter(ParameterSetName = 'ByPFXData')][string]$CryptoAlgorithmOption,
        [Parameter(ParameterSetName = 'ByPFXData', Mandatory = $true)][object]$PFXData
    )
    Invoke-FakeCmdlet -Name 'Export-PfxCertificate' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Set-HgsServer {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true)]
    param(
        [Parameter()][switch]$TrustActiveDirectory,
        [Parameter()][switch]$TrustTpm,
        [Parameter()][switch]$TrustHostKey,
        [Parameter()][switch]$Http,
        [Parameter()][switch]$Https,
        [Parameter()][uint16]$HttpPort,
        [Parameter()][uint16]$HttpsPort,
        [Parameter()][string]$HttpsCertificatePath,
        [Parameter()][System.Security.SecureString]$HttpsCertificatePassword,
        [Parameter()][string]$HttpsCertificateThumbprint,
        [Parameter()][switch]$Force
    )
    Invoke-FakeCmdlet -Name 'Set-HgsServer' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-HgsClientHostKey {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter()][string]$Path
    )
    Invoke-FakeCmdlet -Name 'Get-HgsClientHostKey' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Set-HgsClientHostKey {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true)]
    param(
        [Parameter()][string]$Thumbprint
    )
    Invoke-FakeCmdlet -Name 'Set-HgsClientHostKey' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Add-HgsAttestationHostKey {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory = $true)][Parameter(ParameterSetName = 'HostKey', Mandatory = $true)][string]$Name,
        [Parameter(ParameterSetName = 'Path', Mandatory = $true)][string]$Path,
        [Parameter(ParameterSetName = 'Path')][Parameter(ParameterSetName = 'HostKey')][switch]$Force,
        [Parameter(ParameterSetName = 'Path')][Parameter(ParameterSetName = 'HostKey')][switch]$Stage,
        [Parameter(ParameterSetName = 'HostKey', Mandatory = $true)][byte[]]$HostKey
    )
    Invoke-FakeCmdlet -Name 'Add-HgsAttestationHostKey' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-HgsAttestationHostKey {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter()][string]$Name,
        [Parameter()][switch]$Stage
    )
    Invoke-FakeCmdlet -Name 'Get-HgsAttestationHostKey' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Add-DnsServerConditionalForwarderZone {
    [CmdletBinding(DefaultParameterSetName = 'ADIntegratedZone')]
    param(
        [Parameter(ParameterSetName = 'ADIntegratedZone', Mandatory = $true, Position = 0)][Parameter(ParameterSetName = 'FileBacked', Mandatory = $true, Position = 0)][string]$Name,
        [Parameter(ParameterSetName = 'ADIntegratedZone', Mandatory = $true, Position = 1)][Parameter(ParameterSetName = 'FileBacked', Mandatory = $true, Position = 1)][string[]]$MasterServers,
        [Parameter(ParameterSetName = 'ADIntegratedZone', Mandatory = $true, Position = 2)][string]$ReplicationScope,
        [Parameter(ParameterSetName = 'ADIntegratedZone')][Parameter(ParameterSetName = 'FileBacked')][string]$ComputerName,
        [Parameter(ParameterSetName = 'ADIntegratedZone')][string]$DirectoryPartitionName,
        [Parameter(ParameterSetName = 'ADIntegratedZone')][Parameter(ParameterSetName = 'FileBacked')][uint32]$ForwarderTimeout,
        [Parameter(ParameterSetName = 'ADIntegratedZone')][Parameter(ParameterSetName = 'FileBacked')][switch]$PassThru,
        [Parameter(ParameterSetName = 'ADIntegratedZone')][Parameter(ParameterSetName = 'FileBacked')][bool]$UseRecursion,
        [Parameter(ParameterSetName = 'ADIntegratedZone')][Parameter(ParameterSetName = 'FileBacked')][object[]]$CimSession,
        [Parameter(ParameterSetName = 'ADIntegratedZone')][Parameter(ParameterSetName = 'FileBacked')][int]$ThrottleLimit,
        [Parameter(ParameterSetName = 'ADIntegratedZone')][Parameter(ParameterSetName = 'FileBacked')][switch]$AsJob,
        [Parameter(ParameterSetName = 'FileBacked', Position = 2)][string]$ZoneFile
    )
    Invoke-FakeCmdlet -Name 'Add-DnsServerConditionalForwarderZone' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-DnsServerZone {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter(Position = 0)][string[]]$Name,
        [Parameter()][string]$ComputerName,
        [Parameter()][string]$VirtualizationInstance,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Get-DnsServerZone' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function New-ADGroup {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string]$Name,
        [Parameter(Mandatory = $true, Position = 1)][string]$GroupScope,
        [Parameter()][string]$GroupCategory,
        [Parameter()][string]$Path,
        [Parameter()][string]$SamAccountName,
        [Parameter()][string]$DisplayName,
        [Parameter()][string]$Description,
        [Parameter()][string]$HomePage,
        [Parameter()][object]$ManagedBy,
        [Parameter()][hashtable]$OtherAttributes,
        [Parameter()][object]$Instance,
        [Parameter()][switch]$PassThru,
        [Parameter()][string]$Server,
        [Parameter()][System.Management.Automation.PSCredential]$Credential,
        [Parameter()][string]$AuthType
    )
    Invoke-FakeCmdlet -Name 'New-ADGroup' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Add-ADGroupMember {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0)][object]$Identity,
        [Parameter(Mandatory = $true, Position = 1)][object[]]$Members,
        [Parameter()][string]$Partition,
        [Parameter()][switch]$PassThru,
        [Parameter()][timespan]$MemberTimeToLive,
        [Parameter()][switch]$DisablePermissiveModify,
        [Parameter()][string]$Server,
        [Parameter()][System.Management.Automation.PSCredential]$Credential,
        [Parameter()][string]$AuthType
    )
    Invoke-FakeCmdlet -Name 'Add-ADGroupMember' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-ADGroup {
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    param(
        [Parameter(ParameterSetName = 'Filter', Mandatory = $true)][string]$Filter,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'Identity')][Parameter(ParameterSetName = 'LdapFilter')][string[]]$Properties,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][int]$ResultPageSize,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][int]$ResultSetSize,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][string]$SearchBase,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][string]$SearchScope,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'Identity')][Parameter(ParameterSetName = 'LdapFilter')][switch]$ShowMemberTimeToLive,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'Identity')][Parameter(ParameterSetName = 'LdapFilter')][string]$Server,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'Identity')][Parameter(ParameterSetName = 'LdapFilter')][System.Management.Automation.PSCredential]$Credential,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'Identity')][Parameter(ParameterSetName = 'LdapFilter')][string]$AuthType,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0)][object]$Identity,
        [Parameter(ParameterSetName = 'Identity')][string]$Partition,
        [Parameter(ParameterSetName = 'LdapFilter', Mandatory = $true)][string]$LDAPFilter
    )
    Invoke-FakeCmdlet -Name 'Get-ADGroup' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-ADGroupMember {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter(Mandatory = $true, Position = 0)][object]$Identity,
        [Parameter()][string]$Partition,
        [Parameter()][switch]$Recursive,
        [Parameter()][string]$Server,
        [Parameter()][System.Management.Automation.PSCredential]$Credential,
        [Parameter()][string]$AuthType
    )
    Invoke-FakeCmdlet -Name 'Get-ADGroupMember' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-ADTrust {
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    param(
        [Parameter(ParameterSetName = 'Filter', Mandatory = $true)][string]$Filter,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'Identity')][Parameter(ParameterSetName = 'LdapFilter')][string[]]$Properties,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][int]$ResultPageSize,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][int]$ResultSetSize,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][string]$SearchBase,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'LdapFilter')][string]$SearchScope,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'Identity')][Parameter(ParameterSetName = 'LdapFilter')][string]$Server,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'Identity')][Parameter(ParameterSetName = 'LdapFilter')][System.Management.Automation.PSCredential]$Credential,
        [Parameter(ParameterSetName = 'Filter')][Parameter(ParameterSetName = 'Identity')][Parameter(ParameterSetName = 'LdapFilter')][string]$AuthType,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0)][object]$Identity,
        [Parameter(ParameterSetName = 'LdapFilter', Mandatory = $true)][string]$LDAPFilter
    )
    Invoke-FakeCmdlet -Name 'Get-ADTrust' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function New-SmbShare {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string]$Name,
        [Parameter(Mandatory = $true, Position = 1)][string]$Path,
        [Parameter()][string]$ScopeName,
        [Parameter()][switch]$Temporary,
        [Parameter()][bool]$ContinuouslyAvailable,
        [Parameter()][string]$Description,
        [Parameter()][uint32]$ConcurrentUserLimit,
        [Parameter()][uint32]$CATimeout,
        [Parameter()][string]$FolderEnumerationMode,
        [Parameter()][string]$CachingMode,
        [Parameter()][string[]]$FullAccess,
        [Parameter()][string[]]$ChangeAccess,
        [Parameter()][string[]]$ReadAccess,
        [Parameter()][string[]]$NoAccess,
        [Parameter()][string]$SecurityDescriptor,
        [Parameter()][bool]$EncryptData,
        [Parameter()][bool]$CompressData,
        [Parameter()][string]$LeasingMode,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'New-SmbShare' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-SmbShare {
    [CmdletBinding(DefaultParameterSetName = 'Query (cdxml)')]
    param(
        [Parameter(ParameterSetName = 'Query (cdxml)', Position = 0)][string[]]$Name,
        [Parameter(ParameterSetName = 'Query (cdxml)', Position = 1)][string[]]$ScopeName,
        [Parameter(ParameterSetName = 'Query (cdxml)')][bool[]]$Scoped,
        [Parameter(ParameterSetName = 'Query (cdxml)')][bool[]]$Special,
        [Parameter(ParameterSetName = 'Query (cdxml)')][bool[]]$ContinuouslyAvailable,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$ShareState,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$FolderEnumerationMode,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$CachingMode,
        [Parameter(ParameterSetName = 'Query (cdxml)')][uint32[]]$ConcurrentUserLimit,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string[]]$AvailabilityType,
        [Parameter(ParameterSetName = 'Query (cdxml)')][uint32[]]$CaTimeout,
        [Parameter(ParameterSetName = 'Query (cdxml)')][bool[]]$EncryptData,
        [Parameter(ParameterSetName = 'Query (cdxml)')][switch]$IncludeHidden,
        [Parameter(ParameterSetName = 'Query (cdxml)')][string]$SmbInstance,
        [Parameter(ParameterSetName = 'Query (cdxml)')][object[]]$CimSession,
        [Parameter(ParameterSetName = 'Query (cdxml)')][int]$ThrottleLimit,
        [Parameter(ParameterSetName = 'Query (cdxml)')][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Get-SmbShare' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

# Microsoft Learn, SmbShare "Remove-SmbShare" (Query and InputObject (cdxml) sets).
function Remove-SmbShare {
    [CmdletBinding(DefaultParameterSetName = 'Query', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(ParameterSetName = 'Query', Mandatory = $true, Position = 0)][string[]]$Name,
        [Parameter(ParameterSetName = 'Query', Position = 1)][string[]]$ScopeName,
        [Parameter(ParameterSetName = 'Query')][string]$SmbInstance,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)][object[]]$InputObject,
        [Parameter()][switch]$Force,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob,
        [Parameter()][switch]$PassThru
    )
    Invoke-FakeCmdlet -Name 'Remove-SmbShare' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

# Microsoft Learn, SmbShare "Get-SmbShareAccess" (Query (cdxml) and InputObject (cdxml) sets).
function Get-SmbShareAccess {
    [CmdletBinding(DefaultParameterSetName = 'Query (cdxml)', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Query (cdxml)', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Name,
        [Parameter(ParameterSetName = 'Query (cdxml)', Position = 1, ValueFromPipelineByPropertyName = $true)][string[]]$ScopeName,
        [Parameter(ParameterSetName = 'Query (cdxml)', ValueFromPipelineByPropertyName = $true)][ValidateSet('Default', 'CSV', 'SBL', 'SR')][string]$SmbInstance,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)][object[]]$InputObject,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Get-SmbShareAccess' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

# Microsoft Learn, SmbShare "Grant-SmbShareAccess" (Query and InputObject (cdxml) sets); its
# examples ask for confirmation unless -Force is given.
function Grant-SmbShareAccess {
    [CmdletBinding(DefaultParameterSetName = 'Query', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(ParameterSetName = 'Query', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Name,
        [Parameter(ParameterSetName = 'Query', Position = 1, ValueFromPipelineByPropertyName = $true)][string[]]$ScopeName,
        [Parameter(ParameterSetName = 'Query', ValueFromPipelineByPropertyName = $true)][ValidateSet('Default', 'CSV', 'SBL', 'SR')][string]$SmbInstance,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)][object[]]$InputObject,
        [Parameter()][string[]]$AccountName,
        [Parameter()][ValidateSet('Full', 'Change', 'Read')][string]$AccessRight,
        [Parameter()][switch]$Force,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Grant-SmbShareAccess' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

# Microsoft Learn, SmbShare "Revoke-SmbShareAccess" (Query and InputObject (cdxml) sets); its
# example 1 asks for confirmation, example 2 does not with -Force.
function Revoke-SmbShareAccess {
    [CmdletBinding(DefaultParameterSetName = 'Query', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(ParameterSetName = 'Query', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$Name,
        [Parameter(ParameterSetName = 'Query', Position = 1, ValueFromPipelineByPropertyName = $true)][string[]]$ScopeName,
        [Parameter(ParameterSetName = 'Query', ValueFromPipelineByPropertyName = $true)][ValidateSet('Default', 'CSV', 'SBL', 'SR')][string]$SmbInstance,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)][object[]]$InputObject,
        [Parameter()][string[]]$AccountName,
        [Parameter()][switch]$Force,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Revoke-SmbShareAccess' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

# Microsoft Learn, DhcpServer "Remove-DhcpServerv4Scope".
function Remove-DhcpServerv4Scope {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string[]]$ScopeId,
        [Parameter()][switch]$Force,
        [Parameter()][switch]$Passthru,
        [Parameter()][string]$ComputerName,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Remove-DhcpServerv4Scope' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

# Microsoft Learn, ServerManager "Uninstall-WindowsFeature" (RunningComputer and VhdPath sets).
function Uninstall-WindowsFeature {
    [CmdletBinding(DefaultParameterSetName = 'RunningComputer', SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)][string[]]$Name,
        [Parameter(ParameterSetName = 'RunningComputer')][switch]$Restart,
        [Parameter()][switch]$IncludeManagementTools,
        [Parameter()][switch]$Remove,
        [Parameter()][string]$ComputerName,
        [Parameter()][System.Management.Automation.PSCredential]$Credential,
        [Parameter()][string]$LogPath,
        [Parameter(ParameterSetName = 'VhdPath', Mandatory = $true)][string]$Vhd
    )
    Invoke-FakeCmdlet -Name 'Uninstall-WindowsFeature' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

# Microsoft Learn, ActiveDirectory "Move-ADObject": -Identity takes an object from the pipeline.
function Move-ADObject {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object]$Identity,
        [Parameter(Mandatory = $true, Position = 1)][string]$TargetPath,
        [Parameter()][ValidateSet('Negotiate', 'Basic')][string]$AuthType,
        [Parameter()][System.Management.Automation.PSCredential]$Credential,
        [Parameter()][string]$Partition,
        [Parameter()][switch]$PassThru,
        [Parameter()][string]$Server,
        [Parameter()][string]$TargetServer
    )
    process { Invoke-FakeCmdlet -Name 'Move-ADObject' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters }
}

function Add-DhcpServerv4Scope {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true)]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string]$StartRange,
        [Parameter(Mandatory = $true, Position = 1)][string]$EndRange,
        [Parameter(Mandatory = $true, Position = 2)][string]$SubnetMask,
        [Parameter(Mandatory = $true, Position = 3)][string]$Name,
        [Parameter()][string]$Description,
        [Parameter()][string]$State,
        [Parameter()][string]$SuperscopeName,
        [Parameter()][uint32]$MaxBootpClients,
        [Parameter()][bool]$ActivatePolicies,
        [Parameter()][switch]$PassThru,
        [Parameter()][switch]$NapEnable,
        [Parameter()][string]$NapProfile,
        [Parameter()][uint16]$Delay,
        [Parameter()][timespan]$LeaseDuration,
        [Parameter()][string]$Type,
        [Parameter()][string]$ComputerName,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Add-DhcpServerv4Scope' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-DhcpServerv4Scope {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter(Position = 0)][string[]]$ScopeId,
        [Parameter()][string]$ComputerName,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Get-DhcpServerv4Scope' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Set-DhcpServerv4OptionValue {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true)]
    param(
        [Parameter(Position = 0)][string]$ScopeId,
        [Parameter()][string]$ReservedIP,
        [Parameter()][string]$PolicyName,
        [Parameter()][uint32]$OptionId,
        [Parameter()][string[]]$Value,
        [Parameter()][string]$VendorClass,
        [Parameter()][string]$UserClass,
        [Parameter()][string[]]$Router,
        [Parameter()][string[]]$DnsServer,
        [Parameter()][string]$DnsDomain,
        [Parameter()][string[]]$WinsServer,
        [Parameter()][string]$Wpad,
        [Parameter()][switch]$Force,
        [Parameter()][switch]$PassThru,
        [Parameter()][string]$ComputerName,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Set-DhcpServerv4OptionValue' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Add-DhcpServerInDC {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets', SupportsShouldProcess = $true)]
    param(
        [Parameter(Position = 0)][string]$DnsName,
        [Parameter(Position = 1)][string]$IPAddress,
        [Parameter()][switch]$PassThru,
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Add-DhcpServerInDC' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-DhcpServerInDC {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter()][object[]]$CimSession,
        [Parameter()][int]$ThrottleLimit,
        [Parameter()][switch]$AsJob
    )
    Invoke-FakeCmdlet -Name 'Get-DhcpServerInDC' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function New-IscsiVirtualDisk {
    [CmdletBinding(DefaultParameterSetName = 'Device')]
    param(
        [Parameter(ParameterSetName = 'Device', Mandatory = $true, Position = 0)][Parameter(ParameterSetName = 'ParentPath', Mandatory = $true, Position = 0)][string]$Path,
        [Parameter(ParameterSetName = 'Device', Mandatory = $true, Position = 1)][Parameter(ParameterSetName = 'ParentPath', Position = 1)][uint64]$SizeBytes,
        [Parameter(ParameterSetName = 'Device')][Parameter(ParameterSetName = 'ParentPath')][string]$Description,
        [Parameter(ParameterSetName = 'Device')][switch]$UseFixed,
        [Parameter(ParameterSetName = 'Device')][switch]$DoNotClearData,
        [Parameter(ParameterSetName = 'Device')][Parameter(ParameterSetName = 'ParentPath')][uint32]$BlockSizeBytes,
        [Parameter(ParameterSetName = 'Device')][Parameter(ParameterSetName = 'ParentPath')][uint32]$LogicalSectorSizeBytes,
        [Parameter(ParameterSetName = 'Device')][Parameter(ParameterSetName = 'ParentPath')][uint32]$PhysicalSectorSizeBytes,
        [Parameter(ParameterSetName = 'Device')][Parameter(ParameterSetName = 'ParentPath')][string]$ComputerName,
        [Parameter(ParameterSetName = 'Device')][Parameter(ParameterSetName = 'ParentPath')][System.Management.Automation.PSCredential]$Credential,
        [Parameter(ParameterSetName = 'ParentPath', Mandatory = $true)][string]$ParentPath
    )
    Invoke-FakeCmdlet -Name 'New-IscsiVirtualDisk' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-IscsiVirtualDisk {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0)][string]$Path,
        [Parameter(ParameterSetName = 'Path')][Parameter(ParameterSetName = 'TargetName')][Parameter(ParameterSetName = 'InitiatorId')][string]$ComputerName,
        [Parameter(ParameterSetName = 'Path')][Parameter(ParameterSetName = 'TargetName')][Parameter(ParameterSetName = 'InitiatorId')][System.Management.Automation.PSCredential]$Credential,
        [Parameter(ParameterSetName = 'TargetName', Mandatory = $true)][string]$TargetName,
        [Parameter(ParameterSetName = 'InitiatorId', Mandatory = $true)][string]$InitiatorId
    )
    Invoke-FakeCmdlet -Name 'Get-IscsiVirtualDisk' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function New-IscsiServerTarget {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string]$TargetName,
        [Parameter()][string[]]$InitiatorIds,
        [Parameter()][string]$ClusterGroupName,
        [Parameter()][string]$ComputerName,
        [Parameter()][System.Management.Automation.PSCredential]$Credential
    )
    Invoke-FakeCmdlet -Name 'New-IscsiServerTarget' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Set-IscsiServerTarget {
    [CmdletBinding(DefaultParameterSetName = 'TargetName')]
    param(
        [Parameter(ParameterSetName = 'TargetName', Mandatory = $true, Position = 0)][string]$TargetName,
        [Parameter(ParameterSetName = 'TargetName')][string[]]$InitiatorIds,
        [Parameter(ParameterSetName = 'TargetName')][string]$TargetIqn,
        [Parameter(ParameterSetName = 'TargetName')][string]$Description,
        [Parameter(ParameterSetName = 'TargetName')][bool]$Enable,
        [Parameter(ParameterSetName = 'TargetName')][bool]$EnableChap,
        [Parameter(ParameterSetName = 'TargetName')][System.Management.Automation.PSCredential]$Chap,
        [Parameter(ParameterSetName = 'TargetName')][bool]$EnableReverseChap,
        [Parameter(ParameterSetName = 'TargetName')][System.Management.Automation.PSCredential]$ReverseChap,
        [Parameter(ParameterSetName = 'TargetName')][int]$MaxReceiveDataSegmentLength,
        [Parameter(ParameterSetName = 'TargetName')][int]$FirstBurstLength,
        [Parameter(ParameterSetName = 'TargetName')][int]$MaxBurstLength,
        [Parameter(ParameterSetName = 'TargetName')][int]$ReceiveBufferCount,
        [Parameter(ParameterSetName = 'TargetName')][bool]$EnforceIdleTimeoutDetection,
        [Parameter(ParameterSetName = 'TargetName')][switch]$PassThru,
        [Parameter(ParameterSetName = 'TargetName')][string]$ComputerName,
        [Parameter(ParameterSetName = 'TargetName')][System.Management.Automation.PSCredential]$Credential
    )
    Invoke-FakeCmdlet -Name 'Set-IscsiServerTarget' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-IscsiServerTarget {
    [CmdletBinding(DefaultParameterSetName = 'TargetName')]
    param(
        [Parameter(ParameterSetName = 'TargetName', Position = 0)][string]$TargetName,
        [Parameter(ParameterSetName = 'TargetName')][Parameter(ParameterSetName = 'InitiatorId')][Parameter(ParameterSetName = 'Path')][string]$ClusterGroupName,
        [Parameter(ParameterSetName = 'TargetName')][Parameter(ParameterSetName = 'InitiatorId')][Parameter(ParameterSetName = 'Path')][string]$ComputerName,
        [Parameter(ParameterSetName = 'TargetName')][Parameter(ParameterSetName = 'InitiatorId')][Parameter(ParameterSetName = 'Path')][System.Management.Automation.PSCredential]$Credential,
        [Parameter(ParameterSetName = 'InitiatorId', Mandatory = $true)][string]$InitiatorId,
        [Parameter(ParameterSetName = 'Path', Mandatory = $true)][string]$Path
    )
    Invoke-FakeCmdlet -Name 'Get-IscsiServerTarget' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Add-IscsiVirtualDiskTargetMapping {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string]$TargetName,
        [Parameter(Mandatory = $true, Position = 1)][string]$Path,
        [Parameter()][int]$Lun,
        [Parameter()][switch]$PassThru,
        [Parameter()][string]$ComputerName,
        [Parameter()][System.Management.Automation.PSCredential]$Credential
    )
    Invoke-FakeCmdlet -Name 'Add-IscsiVirtualDiskTargetMapping' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-Cluster {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter(Position = 0)][string]$Name,
        [Parameter()][string]$Domain
    )
    Invoke-FakeCmdlet -Name 'Get-Cluster' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-ClusterResource {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter(Position = 0)][string[]]$Name,
        [Parameter()][guid]$VMId,
        [Parameter()][object]$InputObject,
        [Parameter()][string]$Cluster
    )
    Invoke-FakeCmdlet -Name 'Get-ClusterResource' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Set-ClusterQuorum {
    [CmdletBinding(DefaultParameterSetName = '__AllParameterSets')]
    param(
        [Parameter()][switch]$NodeMajority,
        [Parameter()][string]$NodeAndDiskMajority,
        [Parameter()][string]$NodeAndFileShareMajority,
        [Parameter()][string]$DiskOnly,
        [Parameter()][switch]$NoWitness,
        [Parameter()][string]$DiskWitness,
        [Parameter()][string]$FileShareWitness,
        [Parameter()][switch]$CloudWitness,
        [Parameter()][string]$AccountName,
        [Parameter()][string]$AccessKey,
        [Parameter()][string]$Endpoint,
        [Parameter()][System.Management.Automation.PSCredential]$Credential,
        [Parameter()][object]$InputObject,
        [Parameter()][string]$Cluster
    )
    Invoke-FakeCmdlet -Name 'Set-ClusterQuorum' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function djoin.exe {
    # A native tool: its arguments as given on the command line.
    [CmdletBinding()]
    param([Parameter(ValueFromRemainingArguments = $true)][string[]]$Arguments)
    Invoke-FakeCmdlet -Name 'djoin.exe' -ParameterSetName '' -Bound $PSBoundParameters
}

function netdom.exe {
    # A native tool: its arguments as given on the command line.
    [CmdletBinding()]
    param([Parameter(ValueFromRemainingArguments = $true)][string[]]$Arguments)
    Invoke-FakeCmdlet -Name 'netdom.exe' -ParameterSetName '' -Bound $PSBoundParameters
}
