namespace MdiFlow.Plugins.DefenderForIdentity.Licensing;

/// <summary>The output of <c>mdi.checkLicense</c>: which licence grants Defender for Identity.</summary>
public sealed record CheckLicenseOutput
{
    /// <summary>Always true: without a licence the step fails with <c>mdi.noLicense</c>.</summary>
    public required bool Licensed { get; init; }

    /// <summary>The skuPartNumber that grants it, for example <c>EMSPREMIUM</c>, <c>SPE_E5</c>, <c>DEVELOPERPACK_E5</c> or <c>ATA</c>.</summary>
    public required string Sku { get; init; }

    /// <summary>The SKU's id.</summary>
    public string? SkuId { get; init; }

    /// <summary>The Defender for Identity service plan id, <c>14ab5db5-e6c4-4b20-b4bc-13e36fd2227f</c>.</summary>
    public required string ServicePlanId { get; init; }

    /// <summary><c>tenant</c> (subscribedSkus) or <c>user</c> (licenseDetails).</summary>
    public required string Scope { get; init; }

    /// <summary>The user checked, when the scope is <c>user</c>.</summary>
    public string? UserId { get; init; }
}
