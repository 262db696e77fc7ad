# Prints, as JSON, whether this server is a virtual machine and how its memory is allocated (read by VirtualizationParser).
# The machine type follows Test-MdiReadiness.ps1's Get-mdiMachineType; all memory must be allocated to a VM at all times.
$ErrorActionPreference = 'Stop'

function Get-MdiMachineType {
    param(
        [string] $Model,
        [string] $Manufacturer,
        [bool] $HasAzureGuestAgent,
        [string] $Uuid
    )

    if ($Model -eq 'Virtual Machine') { return 'Hyper-V' }
    if ($Model -match 'VMware|VirtualBox') { return $Model }
    if ($Manufacturer -match 'Xen|Google') { return $Manufacturer }
    if ($Manufacturer -match 'QEMU') { return 'KVM' }
    if ($Manufacturer -eq 'Microsoft Corporation') {
        if ($HasAzureGuestAgent) { return 'Azure' }
        return 'Hyper-V'
    }

    if ($Uuid -match '^EC2') { return 'AWS' }
    'Physical'
}

function ConvertFrom-MdiMemoryReservation {
    # VMwareToolboxCmd.exe stat memres prints the reservation, for example "8192 MB".
    param([string] $Text)

    if ($Text -match '(\d+)\s*MB') { return [long] $Matches[1] * 1MB }
    $null
}

$computer = Get-CimInstance -ClassName Win32_ComputerSystem
$agent = [bool] (Get-Service -Name 'WindowsAzureGuestAgent' -ErrorAction SilentlyContinue)
$uuid = (Get-CimInstance -ClassName Win32_ComputerSystemProduct).UUID
$platform = Get-MdiMachineType -Model $computer.Model -Manufacturer $computer.Manufacturer -HasAzureGuestAgent $agent -Uuid $uuid

$dynamic = $null
if ($platform -eq 'Hyper-V') {
    # The Dynamic Memory integration service publishes its counters inside the guest only while Dynamic Memory is on.
    $dynamic = [bool] (Get-Counter -ListSet 'Hyper-V Dynamic Memory Integration Service' -ErrorAction SilentlyContinue)
}

$reserved = $null
if ($platform -match 'VMware') {
    $toolbox = Join-Path -Path $env:ProgramFiles -ChildPath 'VMware\VMware Tools\VMwareToolboxCmd.exe'
    if (Test-Path -LiteralPath $toolbox) {
        $reserved = ConvertFrom-MdiMemoryReservation -Text ((& $toolbox stat memres) -join ' ')
    }
}

@{ platform = $platform; dynamicMemoryEnabled = $dynamic; memoryReservationBytes = $reserved } | ConvertTo-Json
