# WinRM's quota on the shells one account may keep open on a host (test code, PowerShell 7).
#
# winrm/config/winrs MaxShellsPerUser, 30 by default (MS-WSMV 2.2.4.42 WinrsType,
# https://learn.microsoft.com/openspecs/windows_protocols/ms-wsmv/7ffb4acd-cf01-4fbe-9e48-7746f5001957).
# One shell more is refused with a wsman:QuotaLimit fault (MS-WSMV 3.1.4.5.2.1,
# https://learn.microsoft.com/openspecs/windows_protocols/ms-wsmv/77425799-79f6-4a9a-b164-3873e742d921),
# which New-PSSession reports as the PowerShell team shows in "Configuring WSMAN Limits"
# (https://devblogs.microsoft.com/powershell/configuring-wsman-limits/): "Connecting to remote
# server ... failed with the following error message : The WS-Management service cannot process the
# request. This user is allowed a maximum number of 5 concurrent shells, which has been exceeded.
# Close existing shells or raise the quota for this user. ...", category OpenError,
# PSRemotingTransportException, FullyQualifiedErrorId PSSessionOpenFailed (PowerShell 3.0 and later
# name the server in the first sentence).
#
# A host state with `maxShellsPerUser` counts every labform session serving the host (a process
# that imported this module; the jobs, runspaces and ssh.exe it starts inherit its mark, as a
# remote shell's own children do not count as shells) and refuses the session one over the quota
# while loading, where New-PSSession would have failed. A session's shell ends with its process.

function Register-FakeRemoteShell {
    if ($env:LABFORM_FAKE_REMOTE_SHELL) { return }
    $state = Read-FakeStateForRead
    $max = $state['maxShellsPerUser']
    if ($null -eq $max) { return }
    $folder = (Get-FakeStatePath) + '.shells'
    Enter-FakeStateLock
    try {
        $null = [System.IO.Directory]::CreateDirectory($folder)
        $open = 0
        foreach ($file in [System.IO.Directory]::GetFiles($folder)) {
            $id = [int][System.IO.Path]::GetFileName($file)
            if (Microsoft.PowerShell.Management\Get-Process -Id $id -ErrorAction SilentlyContinue) { $open++ }
            else { [System.IO.File]::Delete($file) }
        }
        if ($open -ge [int]$max) {
            $server = [string]$state.computerName
            $message = 'Connecting to remote server ' + $server + ' failed with the following error message : The WS-Management service cannot process the request. This user is allowed a maximum number of ' + [int]$max + ' concurrent shells, which has been exceeded. Close existing shells or raise the quota for this user. For more information, see the about_Remote_Troubleshooting Help topic.'
            $exception = [System.Management.Automation.Remoting.PSRemotingTransportException]::new($message)
            throw [System.Management.Automation.ErrorRecord]::new($exception, 'PSSessionOpenFailed', [System.Management.Automation.ErrorCategory]::OpenError, $server)
        }
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($folder, [string]$PID), '')
    } finally {
        Exit-FakeStateLock
    }
    $env:LABFORM_FAKE_REMOTE_SHELL = [string]$PID
}
