# Prints, as JSON, what the directory and this server say about one directory service account (read by DirectoryAccountParser):
# the account and its token groups, whether this host may retrieve a gMSA's password, the forest's KDS root keys, who holds
# "Log on as a service" here (secedit's export of SeServiceLogonRight) and who is in this server's Performance Log Users.
# The account comes from $env:MDIFLOW_DSA (DOMAIN\name, name, or name$), never from the script's text.
# Needs the ActiveDirectory module (RSAT-AD-PowerShell), present on domain controllers.
$ErrorActionPreference = 'Stop'

function ConvertTo-LdapValue([string] $value) {
    $value.Replace('\', '\5c').Replace('*', '\2a').Replace('(', '\28').Replace(')', '\29').Replace([string][char]0, '\00')
}

function Get-MdiUserRight {
    # The principals secedit /export lists for one user right, for example "*S-1-5-80-0" or "CONTOSO\mdiSvc01$".
    param([string] $InfText, [string] $Right)

    foreach ($line in $InfText -split "`r?`n") {
        if ($line -match "^\s*$Right\s*=\s*(.*)$") {
            return @($Matches[1].Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ })
        }
    }

    @()
}

function Get-MdiKdsRootKeyTime {
    param([object[]] $Keys)

    @($Keys | ForEach-Object { ([datetime] $_.EffectiveTime).ToUniversalTime().ToString('o') })
}

Import-Module ActiveDirectory -Verbose:$false
$requested = $env:MDIFLOW_DSA
$sam = ($requested -split '\\')[-1]
$candidates = @($sam)
if (-not $sam.EndsWith('$')) { $candidates += "$sam`$" }
$object = $null
foreach ($candidate in $candidates) {
    $object = Get-ADObject -LDAPFilter "(sAMAccountName=$(ConvertTo-LdapValue $candidate))" -Properties sAMAccountName, userAccountControl, objectSid | Select-Object -First 1
    if ($object) { break }
}

$domain = Get-ADDomain
if (-not $object) {
    @{ exists = $false; account = $requested; domainDistinguishedName = $domain.DistinguishedName } | ConvertTo-Json -Depth 4
    return
}

$isGmsa = $object.ObjectClass -eq 'msDS-GroupManagedServiceAccount'
$canRetrieve = $null
$kdsRootKeys = $null
if ($isGmsa) {
    # True when this computer may retrieve the gMSA's password (PrincipalsAllowedToRetrieveManagedPassword).
    $canRetrieve = [bool](Test-ADServiceAccount -Identity $object.sAMAccountName -ErrorAction SilentlyContinue)
    try { $kdsRootKeys = Get-MdiKdsRootKeyTime -Keys @(Get-KdsRootKey) } catch { $kdsRootKeys = $null }
}

$groups = @(Get-ADAccountAuthorizationGroup -Identity $object.DistinguishedName | ForEach-Object {
    $group = $_
    $name = try { $group.SID.Translate([System.Security.Principal.NTAccount]).Value } catch { $group.Name }
    @{ sid = $group.SID.Value; account = $name }
})

$serviceLogonRight = $null
$export = Join-Path -Path ([IO.Path]::GetTempPath()) -ChildPath ('mdiflow-rights-{0}.inf' -f [guid]::NewGuid())
try {
    & (Join-Path -Path $env:SystemRoot -ChildPath 'System32\secedit.exe') /export /areas USER_RIGHTS /cfg $export /quiet | Out-Null
    if (Test-Path -LiteralPath $export) { $serviceLogonRight = @(Get-MdiUserRight -InfText (Get-Content -LiteralPath $export -Raw) -Right 'SeServiceLogonRight') }
} finally {
    Remove-Item -LiteralPath $export -ErrorAction SilentlyContinue
}

$performanceLogUsers = $null
try {
    $members = if ((Get-CimInstance -ClassName Win32_ComputerSystem).DomainRole -ge 4) { Get-ADGroupMember -Identity 'S-1-5-32-559' } else { Get-LocalGroupMember -SID 'S-1-5-32-559' }
    $performanceLogUsers = @($members | ForEach-Object { $_.SID.Value })
} catch {
    $performanceLogUsers = $null
}

@{
    exists = $true
    account = "$($domain.NetBIOSName)\$($object.sAMAccountName)"
    accountSid = $object.objectSid.Value
    objectClass = $object.ObjectClass
    enabled = -not ([int]$object.userAccountControl -band 2)
    domainDistinguishedName = $domain.DistinguishedName
    hostCanRetrievePassword = $canRetrieve
    groups = $groups
    kdsRootKeys = $kdsRootKeys
    serviceLogonRight = $serviceLogonRight
    performanceLogUsers = $performanceLogUsers
} | ConvertTo-Json -Depth 4
