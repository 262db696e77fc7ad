# Prints, as JSON, what the directory says about one directory service account (read by DirectoryAccountParser).
# The account comes from $env:MDIFLOW_DSA (DOMAIN\name, name, or name$), never from the script's text.
# Needs the ActiveDirectory module (RSAT-AD-PowerShell), present on domain controllers.
$ErrorActionPreference = 'Stop'
Import-Module ActiveDirectory -Verbose:$false
$requested = $env:MDIFLOW_DSA
$sam = ($requested -split '\\')[-1]
function ConvertTo-LdapValue([string] $value) {
    $value.Replace('\', '\5c').Replace('*', '\2a').Replace('(', '\28').Replace(')', '\29').Replace([string][char]0, '\00')
}

$candidates = @($sam)
if (-not $sam.EndsWith('$')) { $candidates += "$sam`$" }
$object = $null
foreach ($candidate in $candidates) {
    $object = Get-ADObject -LDAPFilter "(sAMAccountName=$(ConvertTo-LdapValue $candidate))" -Properties sAMAccountName, userAccountControl | Select-Object -First 1
    if ($object) { break }
}

$domain = Get-ADDomain
if (-not $object) {
    @{ exists = $false; account = $requested; domainDistinguishedName = $domain.DistinguishedName } | ConvertTo-Json -Depth 4
    return
}

$isGmsa = $object.ObjectClass -eq 'msDS-GroupManagedServiceAccount'
$canRetrieve = $null
if ($isGmsa) {
    # True when this computer may retrieve the gMSA's password (PrincipalsAllowedToRetrieveManagedPassword).
    $canRetrieve = [bool](Test-ADServiceAccount -Identity $object.sAMAccountName -ErrorAction SilentlyContinue)
}

$groups = @(Get-ADAccountAuthorizationGroup -Identity $object.DistinguishedName | ForEach-Object {
    $group = $_
    $name = try { $group.SID.Translate([System.Security.Principal.NTAccount]).Value } catch { $group.Name }
    @{ sid = $group.SID.Value; account = $name }
})

@{
    exists = $true
    account = "$($domain.NetBIOSName)\$($object.sAMAccountName)"
    objectClass = $object.ObjectClass
    enabled = -not ([int]$object.userAccountControl -band 2)
    domainDistinguishedName = $domain.DistinguishedName
    hostCanRetrievePassword = $canRetrieve
    groups = $groups
} | ConvertTo-Json -Depth 4
