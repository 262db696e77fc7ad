using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Graph;

namespace MdiFlow.Plugins.DefenderForIdentity.Licensing;

/// <summary><c>mdi.checkLicense</c>: the tenant (or a user) holds a licence that includes Defender for Identity.</summary>
[Activity("mdi.checkLicense", Description = "Checks with Microsoft Graph that the tenant or a user holds a licence including Defender for Identity (service plan ATA).", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Double)]
internal sealed class CheckLicenseActivity(GraphClient graph) : Activity<CheckLicenseInput, CheckLicenseOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(CheckLicenseInput input, ActivityContext context)
    {
        LicenseFinding finding;
        string scope;
        var user = string.IsNullOrWhiteSpace(input.UserId) ? null : input.UserId.Trim();
        if (user is null)
        {
            var skus = await graph.SubscribedSkusAsync(context.CancellationToken).ConfigureAwait(false);
            if (!skus.TryGetValue(out var list, out var error))
            {
                return ActivityResult.Fail(error);
            }

            finding = MdiLicense.ForTenant(list);
            scope = "The tenant";
        }
        else
        {
            var licences = await graph.LicenseDetailsAsync(user, context.CancellationToken).ConfigureAwait(false);
            if (!licences.TryGetValue(out var list, out var error))
            {
                return ActivityResult.Fail(error);
            }

            finding = MdiLicense.ForUser(list);
            scope = $"The user {user}";
        }

        if (finding.Grant is { } grant)
        {
            return Complete(new CheckLicenseOutput
            {
                Licensed = true,
                Sku = grant.SkuPartNumber,
                SkuId = grant.SkuId,
                ServicePlanId = MdiLicense.ServicePlanId,
                Scope = user is null ? "tenant" : "user",
                UserId = user,
            });
        }

        var seen = finding.Observations.Count == 0
            ? " No licence includes the plan."
            : " " + string.Join(" ", finding.Observations);
        return ActivityResult.Fail(new ActivityError(
            "mdi.noLicense",
            $"{scope} holds no licence that grants Microsoft Defender for Identity (service plan {MdiLicense.ServicePlanName}, {MdiLicense.ServicePlanId}, provisioned and enabled).{seen}",
            Permanent: !finding.Pending)
        {
            Fix = $"Assign a licence that includes Defender for Identity: {MdiLicense.IncludedIn}; make sure its Defender for Identity plan is turned on, then retry the step.",
            Details = finding.Observations.Select((o, i) => (Key: $"observation{i + 1}", Value: o)).ToDictionary(p => p.Key, p => p.Value),
        });
    }
}
