# Prints, as JSON, the directory side of the auditing the sensor needs (read by AuditingReportParser): the SACLs of the
# domain object, the configuration container (when Exchange is or was there) and the AD FS container, each as its
# security descriptor in base64, the schema version, and on an AD FS server its audit level. Test-MdiReadiness.ps1 reads
# the same objects. The roles come from $env:MDIFLOW_AUDIT_ROLES (a comma-separated list: dc, adfs).
$ErrorActionPreference = 'Stop'

function Get-MdiSecurityDescriptor {
    # The object's ntSecurityDescriptor with its SACL, in base64; $null when the object does not exist.
    param([string] $LdapPath)

    if (-not [System.DirectoryServices.DirectoryEntry]::Exists($LdapPath)) { return $null }
    $searcher = New-Object -TypeName System.DirectoryServices.DirectorySearcher -ArgumentList ([adsi] $LdapPath)
    $searcher.CacheResults = $false
    $searcher.SearchScope = [System.DirectoryServices.SearchScope]::Base
    $searcher.SecurityMasks = [System.DirectoryServices.SecurityMasks]::Sacl
    [void] $searcher.PropertiesToLoad.Add('ntsecuritydescriptor')
    $found = $searcher.FindOne()
    [Convert]::ToBase64String([byte[]] $found.Properties['ntsecuritydescriptor'][0])
}

function ConvertTo-MdiContainerReport {
    # A [string] parameter turns $null into '', so test for both.
    param([string] $Descriptor)

    if ([string]::IsNullOrEmpty($Descriptor)) { return @{ present = $false; securityDescriptor = $null } }
    @{ present = $true; securityDescriptor = $Descriptor }
}

$roles = @("$env:MDIFLOW_AUDIT_ROLES" -split ',' | Where-Object { $_ })
$rootDse = [adsi] 'LDAP://RootDSE'
$domainDn = [string] $rootDse.defaultNamingContext.Value
$report = @{}

if ($roles -contains 'dc') {
    $report.domainObject = Get-MdiSecurityDescriptor -LdapPath "LDAP://$domainDn"
    $schema = [adsi] ('LDAP://{0}' -f $rootDse.schemaNamingContext.Value)
    $report.schemaVersion = [int] $schema.Properties['objectVersion'].Value
    $configurationDn = [string] $rootDse.configurationNamingContext.Value
    if ([System.DirectoryServices.DirectoryEntry]::Exists("LDAP://CN=Microsoft Exchange,CN=Services,$configurationDn")) {
        $report.configurationContainer = ConvertTo-MdiContainerReport -Descriptor (Get-MdiSecurityDescriptor -LdapPath "LDAP://$configurationDn")
    } else {
        $report.configurationContainer = ConvertTo-MdiContainerReport -Descriptor $null
    }
}

if ($roles -contains 'dc' -or $roles -contains 'adfs') {
    $report.adfsContainer = ConvertTo-MdiContainerReport -Descriptor (Get-MdiSecurityDescriptor -LdapPath "LDAP://CN=ADFS,CN=Microsoft,CN=Program Data,$domainDn")
}

if ($roles -contains 'adfs') {
    $report.adfsAuditLevel = [string] (Get-AdfsProperties).AuditLevel
}

$report | ConvertTo-Json -Depth 4
