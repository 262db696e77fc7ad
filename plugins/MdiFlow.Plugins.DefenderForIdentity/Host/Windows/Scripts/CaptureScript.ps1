# Prints, as JSON, the packet-capture components and network adapters the sensor depends on (read by CaptureFactsParser):
# installed programs whose DisplayName matches npcap or winpcap (as Test-MdiReadiness.ps1 finds them), the options Npcap
# was installed with, and each adapter's IPv4 gateway and DNS servers (a standalone sensor's capture adapter has neither).
$ErrorActionPreference = 'Stop'

function Get-MdiCaptureComponent {
    param([object[]] $Entries)

    @($Entries | Where-Object { $_.DisplayName -match 'npcap|winpcap' } | ForEach-Object {
        @{ displayName = [string] $_.DisplayName; version = [string] $_.DisplayVersion }
    })
}

function Get-MdiUninstallEntry {
    foreach ($view in 'Registry32', 'Registry64') {
        $hklm = [Microsoft.Win32.RegistryKey]::OpenBaseKey('LocalMachine', $view)
        $uninstall = $hklm.OpenSubKey('SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall')
        if ($uninstall) {
            foreach ($name in $uninstall.GetSubKeyNames()) {
                $entry = $uninstall.OpenSubKey($name)
                [pscustomobject] @{ DisplayName = $entry.GetValue('DisplayName'); DisplayVersion = $entry.GetValue('DisplayVersion') }
            }
        }

        $hklm.Close()
    }
}

$npcap = $null
$parameters = 'HKLM:\SYSTEM\CurrentControlSet\Services\npcap\Parameters'
if (Test-Path -LiteralPath $parameters) {
    $values = Get-ItemProperty -LiteralPath $parameters
    $npcap = @{ loopbackSupport = $values.LoopbackSupport; winPcapCompatible = $values.WinPcapCompatible; adminOnly = $values.AdminOnly }
}

$adapters = @(Get-NetIPConfiguration | ForEach-Object {
    @{ name = $_.InterfaceAlias; hasDefaultGateway = [bool] $_.IPv4DefaultGateway; hasDnsServers = [bool] @($_.DNSServer | Where-Object { $_.ServerAddresses }).Count }
})

@{
    captureComponents = @(Get-MdiCaptureComponent -Entries @(Get-MdiUninstallEntry))
    npcap = $npcap
    adapters = $adapters
} | ConvertTo-Json -Depth 4
