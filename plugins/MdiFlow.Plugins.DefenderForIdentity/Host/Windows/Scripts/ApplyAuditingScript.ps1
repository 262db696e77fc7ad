# Applies the auditing settings the sensor needs with the DefenderForIdentity module, as configure-windows-event-collection
# documents (Set-MDIConfiguration; Set-AdfsProperties -AuditLevel Verbose for AD FS), and prints, as JSON, what it ran.
# Inputs: $env:MDIFLOW_AUDIT_CONFIGURATIONS (comma-separated configuration names), $env:MDIFLOW_AUDIT_MODE (Domain or
# LocalMachine), $env:MDIFLOW_AUDIT_IDENTITY (the directory service account, optional).
$ErrorActionPreference = 'Stop'

function Get-MdiAuditCommand {
    # The commands that apply the configurations, as an administrator would type them.
    param([string[]] $Configurations, [string] $Mode, [string] $Identity)

    $module = @($Configurations | Where-Object { $_ -ne 'AdfsVerboseAuditing' })
    $commands = @()
    if ($module.Count -gt 0) {
        $command = 'Set-MDIConfiguration -Mode {0} -Configuration {1}' -f $Mode, ($module -join ',')
        if ($Identity) { $command += " -Identity $Identity" }
        $commands += $command
    }

    if ($Configurations -contains 'AdfsVerboseAuditing') { $commands += 'Set-AdfsProperties -AuditLevel Verbose' }
    if ($Mode -eq 'Domain' -and $module.Count -gt 0) { $commands += 'gpupdate.exe /target:computer /force' }
    $commands
}

$configurations = @("$env:MDIFLOW_AUDIT_CONFIGURATIONS" -split ',' | Where-Object { $_ })
$mode = if ($env:MDIFLOW_AUDIT_MODE) { $env:MDIFLOW_AUDIT_MODE } else { 'Domain' }
$identity = $env:MDIFLOW_AUDIT_IDENTITY
$module = @($configurations | Where-Object { $_ -ne 'AdfsVerboseAuditing' })

if ($module.Count -gt 0) {
    if (-not (Get-Module -ListAvailable -Name DefenderForIdentity)) {
        throw 'The DefenderForIdentity PowerShell module is not installed: run Install-Module DefenderForIdentity (PowerShell Gallery) on this server, then retry.'
    }

    Import-Module DefenderForIdentity -Verbose:$false
    $parameters = @{ Mode = $mode; Configuration = $module; Confirm = $false }
    if ($identity) { $parameters.Identity = $identity }
    Set-MDIConfiguration @parameters | Out-Null
}

if ($configurations -contains 'AdfsVerboseAuditing') {
    Set-AdfsProperties -AuditLevel Verbose
}

if ($mode -eq 'Domain' -and $module.Count -gt 0) {
    & (Join-Path -Path $env:SystemRoot -ChildPath 'System32\gpupdate.exe') /target:computer /force | Out-Null
}

@{ applied = $configurations; commands = @(Get-MdiAuditCommand -Configurations $configurations -Mode $mode -Identity $identity) } | ConvertTo-Json -Depth 3
