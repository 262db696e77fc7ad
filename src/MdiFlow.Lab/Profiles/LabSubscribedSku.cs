namespace MdiFlow.Lab.Profiles;

/// <summary>A subscription the tenant holds.</summary>
public sealed record LabSubscribedSku
{
    /// <summary>The SKU id, for example <c>b05e124f-c7cc-45a0-a6aa-8cf78c946968</c> for EMS E5.</summary>
    public required Guid SkuId { get; init; }

    /// <summary>The SKU part number, for example <c>EMSPREMIUM</c>.</summary>
    public required string SkuPartNumber { get; init; }

    /// <summary><c>Enabled</c>, <c>Warning</c>, <c>Suspended</c>, <c>Deleted</c> or <c>LockedOut</c>.</summary>
    public string CapabilityStatus { get; init; } = "Enabled";

    /// <summary>Enabled prepaid units.</summary>
    public int PrepaidUnits { get; init; } = 25;

    /// <summary>Assigned units.</summary>
    public int ConsumedUnits { get; init; } = 1;

    /// <summary>The service plans the SKU includes.</summary>
    public IReadOnlyList<LabServicePlan> ServicePlans { get; init; } = [];
}

/// <summary>A service plan inside a SKU.</summary>
public sealed record LabServicePlan
{
    /// <summary>The plan id (Defender for Identity's <c>ATA</c> plan is <c>14ab5db5-e6c4-4b20-b4bc-13e36fd2227f</c>).</summary>
    public required Guid ServicePlanId { get; init; }

    /// <summary>The plan name, for example <c>ATA</c>.</summary>
    public required string ServicePlanName { get; init; }

    /// <summary><c>Success</c>, <c>Disabled</c>, <c>PendingInput</c>, <c>PendingActivation</c> or <c>PendingProvisioning</c>.</summary>
    public string ProvisioningStatus { get; init; } = "Success";

    /// <summary><c>User</c> or <c>Company</c>.</summary>
    public string AppliesTo { get; init; } = "User";
}
