using MdiFlow.Plugins.DefenderForIdentity.Graph;

namespace MdiFlow.Plugins.DefenderForIdentity.Licensing;

/// <summary>A licence that grants Defender for Identity.</summary>
/// <param name="SkuPartNumber">For example EMSPREMIUM.</param>
/// <param name="SkuId">The SKU's id.</param>
internal sealed record LicenseGrant(string SkuPartNumber, string? SkuId);

/// <summary>What the licences say: the grant, or what came close and why it does not count.</summary>
/// <param name="Grant">The first licence that grants Defender for Identity, or null.</param>
/// <param name="Observations">Licences that include the plan but do not count, one sentence each.</param>
/// <param name="Pending">Whether a plan is still being provisioned (a later attempt may pass).</param>
internal sealed record LicenseFinding(LicenseGrant? Grant, IReadOnlyList<string> Observations, bool Pending);

/// <summary>Decides whether licences include the Defender for Identity service plan (ATA) in a usable state.</summary>
internal static class MdiLicense
{
    public const string ServicePlanId = "14ab5db5-e6c4-4b20-b4bc-13e36fd2227f";
    public const string ServicePlanName = "ATA";

    /// <summary>The SKUs the documentation names as including Defender for Identity, for messages.</summary>
    public const string IncludedIn =
        "Enterprise Mobility + Security E5 (EMSPREMIUM), Microsoft 365 E5 (SPE_E5), Microsoft 365 E5 Security (IDENTITY_THREAT_PROTECTION), " +
        "Microsoft 365 E5 Developer (DEVELOPERPACK_E5) or Microsoft Defender for Identity standalone (ATA)";

    /// <summary>Tenant-wide: a SKU whose capabilityStatus is Enabled, with units, and the ATA plan provisioned.</summary>
    public static LicenseFinding ForTenant(IEnumerable<SubscribedSku> skus)
    {
        var observations = new List<string>();
        var pending = false;
        foreach (var sku in skus)
        {
            if (Plan(sku.ServicePlans) is not { } plan)
            {
                continue;
            }

            var name = sku.SkuPartNumber ?? sku.SkuId ?? "a SKU";
            var units = sku.PrepaidUnits?.Enabled ?? 0;
            if (!string.Equals(sku.CapabilityStatus, "Enabled", StringComparison.OrdinalIgnoreCase))
            {
                observations.Add($"{name} includes it, but the subscription's capabilityStatus is {sku.CapabilityStatus ?? "missing"}.");
            }
            else if (units <= 0 && sku.ConsumedUnits <= 0)
            {
                observations.Add($"{name} includes it, but the subscription has no enabled or consumed units.");
            }
            else if (!IsSuccess(plan))
            {
                pending |= IsPending(plan);
                observations.Add($"{name} includes it, but the plan's provisioningStatus is {plan.ProvisioningStatus ?? "missing"}.");
            }
            else
            {
                return new LicenseFinding(new LicenseGrant(name, sku.SkuId), observations, pending);
            }
        }

        return new LicenseFinding(null, observations, pending);
    }

    /// <summary>For one user: a licence assignment whose ATA plan is provisioned (Success), not turned off.</summary>
    public static LicenseFinding ForUser(IEnumerable<LicenseDetail> licences)
    {
        var observations = new List<string>();
        var pending = false;
        foreach (var licence in licences)
        {
            if (Plan(licence.ServicePlans) is not { } plan)
            {
                continue;
            }

            var name = licence.SkuPartNumber ?? licence.SkuId ?? "a licence";
            if (IsSuccess(plan))
            {
                return new LicenseFinding(new LicenseGrant(name, licence.SkuId), observations, pending);
            }

            pending |= IsPending(plan);
            observations.Add(string.Equals(plan.ProvisioningStatus, "Disabled", StringComparison.OrdinalIgnoreCase)
                ? $"{name} includes it, but the plan is turned off in this user's assignment (provisioningStatus Disabled)."
                : $"{name} includes it, but the plan's provisioningStatus is {plan.ProvisioningStatus ?? "missing"}.");
        }

        return new LicenseFinding(null, observations, pending);
    }

    private static ServicePlanInfo? Plan(IEnumerable<ServicePlanInfo> plans) =>
        plans.FirstOrDefault(p => Guid.TryParse(p.ServicePlanId, out var id) && id == Guid.Parse(ServicePlanId));

    private static bool IsSuccess(ServicePlanInfo plan) => string.Equals(plan.ProvisioningStatus, "Success", StringComparison.OrdinalIgnoreCase);

    private static bool IsPending(ServicePlanInfo plan) => plan.ProvisioningStatus?.StartsWith("Pending", StringComparison.OrdinalIgnoreCase) == true;
}
