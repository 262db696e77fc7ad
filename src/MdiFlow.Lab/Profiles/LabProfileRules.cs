using System.Text.RegularExpressions;

namespace MdiFlow.Lab.Profiles;

/// <summary>The rules a host profile must keep beyond its JSON shape; every problem is reported at once with its JSON path.</summary>
internal static partial class LabProfileRules
{
    private static readonly string[] CapabilityStatuses = ["Enabled", "Warning", "Suspended", "Deleted", "LockedOut"];
    private static readonly string[] ProvisioningStatuses = ["Success", "Disabled", "PendingInput", "PendingActivation", "PendingProvisioning", "Error"];

    public static IReadOnlyList<string> Check(LabProfile profile)
    {
        var problems = new List<string>();
        void Require(bool ok, string path, string message)
        {
            if (!ok)
            {
                problems.Add($"{path}: {message}");
            }
        }

        Require(!string.IsNullOrWhiteSpace(profile.Description), "$.description", "say what the profile rehearses and the expected outcome.");
        CheckServer(profile, Require);
        for (var i = 0; i < profile.ServiceAccounts.Count; i++)
        {
            var kind = profile.ServiceAccounts[i].Kind;
            Require(kind is "gMSA" or "user", $"$.serviceAccounts[{i}].kind", $"'{kind}' is neither \"gMSA\" nor \"user\".");
        }

        CheckTenant(profile.Tenant, Require);
        var proxy = profile.Connectivity.Proxy;
        Require(proxy.Password is null || proxy.UserName is not null, "$.connectivity.proxy.password", "a password needs a userName.");
        Require(proxy.UserName is null || proxy.Password is not null, "$.connectivity.proxy.userName", "a userName needs a password.");
        Require(profile.Connectivity.GraphThrottledRequests >= 0, "$.connectivity.graphThrottledRequests", "must be 0 or more.");
        Require(profile.Connectivity.SensorApiDroppedConnections >= 0, "$.connectivity.sensorApiDroppedConnections", "must be 0 or more.");
        Require(profile.Connectivity.PackageDownloadsRefused >= 0, "$.connectivity.packageDownloadsRefused", "must be 0 or more.");
        CheckIdentities(profile.Tenant.Identities, Require);
        Require(Version.TryParse(profile.Installer.SensorVersion, out _), "$.installer.sensorVersion", $"'{profile.Installer.SensorVersion}' is not a version such as 2.250.18972.18405.");
        return problems;
    }

    private static void CheckServer(LabProfile profile, Action<bool, string, string> require)
    {
        var server = profile.Server;
        require(server.DomainRole is >= 0 and <= 5, "$.server.domainRole", $"{server.DomainRole} is not a Win32_ComputerSystem.DomainRole (0 to 5; 4 and 5 are domain controllers).");
        require(Version.TryParse(server.OsVersion, out _), "$.server.osVersion", $"'{server.OsVersion}' is not a version such as 10.0.20348.");
        require(server.LogicalProcessors > 0, "$.server.logicalProcessors", "must be 1 or more.");
        require(server.TotalMemoryBytes > 0, "$.server.totalMemoryBytes", "must be more than 0.");
        require(server.SystemDriveFreeBytes >= 0, "$.server.systemDriveFreeBytes", "must be 0 or more.");
        require(!string.IsNullOrWhiteSpace(server.ComputerName), "$.server.computerName", "must not be empty.");
        for (var i = 0; i < server.Roles.Count; i++)
        {
            require(server.Roles[i] is "adfs" or "adcs" or "entraConnect", $"$.server.roles[{i}]", $"'{server.Roles[i]}' is not one of adfs, adcs, entraConnect.");
        }

        require(server.NtdsaiVersion is null || Version.TryParse(server.NtdsaiVersion, out _), "$.server.ntdsaiVersion", $"'{server.NtdsaiVersion}' is not a file version such as 10.0.17763.316.");
    }

    private static readonly string[] HealthStatuses = ["healthy", "notHealthyLow", "notHealthyMedium", "notHealthyHigh"];
    private static readonly string[] DeploymentStatuses = ["upToDate", "outdated", "updating", "updateFailed", "notConfigured", "unreachable", "disconnected", "startFailure", "syncing"];

    private static void CheckIdentities(LabSensorService identities, Action<bool, string, string> require)
    {
        require(HealthStatuses.Contains(identities.Health.HealthStatus), "$.tenant.identities.health.healthStatus", $"'{identities.Health.HealthStatus}' is not one of {string.Join(", ", HealthStatuses)}.");
        require(DeploymentStatuses.Contains(identities.Health.DeploymentStatus), "$.tenant.identities.health.deploymentStatus", $"'{identities.Health.DeploymentStatus}' is not one of {string.Join(", ", DeploymentStatuses)}.");
        require(identities.Health.ReadsBeforeReady >= 0, "$.tenant.identities.health.readsBeforeReady", "must be 0 or more.");
        require(Version.TryParse(identities.SensorV3Version, out _), "$.tenant.identities.sensorV3Version", $"'{identities.SensorV3Version}' is not a version.");
        for (var i = 0; i < identities.SensorCandidates.Count; i++)
        {
            var candidate = identities.SensorCandidates[i];
            require(candidate.Id.Length > 0, $"$.tenant.identities.sensorCandidates[{i}].id", "must not be empty.");
            require(candidate.ComputerDnsName.Contains('.', StringComparison.Ordinal), $"$.tenant.identities.sensorCandidates[{i}].computerDnsName", $"'{candidate.ComputerDnsName}' is not a DNS name such as dc01.contoso.com.");
        }
    }

    private static void CheckTenant(LabTenant tenant, Action<bool, string, string> require)
    {
        require(WorkspaceName().IsMatch(tenant.Workspace), "$.tenant.workspace", $"'{tenant.Workspace}' is not a workspace name (lower-case letters, digits and hyphens).");
        // The stand-in setup looks for the key on its own command line; a short key would match by chance.
        require(tenant.DeploymentAccessKey.Length >= 16, "$.tenant.deploymentAccessKey", "must be at least 16 characters.");
        require(tenant.PageSize is >= 1 and <= 999, "$.tenant.pageSize", "must be between 1 and 999.");
        for (var i = 0; i < tenant.GrantedPermissions.Count; i++)
        {
            require(!string.IsNullOrWhiteSpace(tenant.GrantedPermissions[i]), $"$.tenant.grantedPermissions[{i}]", "must not be empty.");
        }

        for (var i = 0; i < tenant.SubscribedSkus.Count; i++)
        {
            var sku = tenant.SubscribedSkus[i];
            require(CapabilityStatuses.Contains(sku.CapabilityStatus), $"$.tenant.subscribedSkus[{i}].capabilityStatus", $"'{sku.CapabilityStatus}' is not one of {string.Join(", ", CapabilityStatuses)}.");
            for (var j = 0; j < sku.ServicePlans.Count; j++)
            {
                var status = sku.ServicePlans[j].ProvisioningStatus;
                require(ProvisioningStatuses.Contains(status), $"$.tenant.subscribedSkus[{i}].servicePlans[{j}].provisioningStatus", $"'{status}' is not one of {string.Join(", ", ProvisioningStatuses)}.");
            }
        }

        var user = tenant.SignedInUser;
        for (var i = 0; i < user.AssignedLicenses.Count; i++)
        {
            var licence = user.AssignedLicenses[i];
            var sku = tenant.SubscribedSkus.FirstOrDefault(s => s.SkuPartNumber == licence.SkuPartNumber);
            require(sku is not null, $"$.tenant.signedInUser.assignedLicenses[{i}].skuPartNumber", $"'{licence.SkuPartNumber}' is not one of the tenant's subscribedSkus ({string.Join(", ", tenant.SubscribedSkus.Select(s => s.SkuPartNumber))}).");
            for (var j = 0; sku is not null && j < licence.DisabledPlans.Count; j++)
            {
                var plan = licence.DisabledPlans[j];
                require(sku.ServicePlans.Any(p => p.ServicePlanName == plan), $"$.tenant.signedInUser.assignedLicenses[{i}].disabledPlans[{j}]", $"'{plan}' is not a service plan of {sku.SkuPartNumber}.");
            }
        }

        for (var i = 0; i < user.MemberOf.Count; i++)
        {
            var member = user.MemberOf[i];
            require(member.Kind is "directoryRole" or "group", $"$.tenant.signedInUser.memberOf[{i}].kind", $"'{member.Kind}' is neither \"directoryRole\" nor \"group\".");
            require(member.Kind != "directoryRole" || member.RoleTemplateId is not null, $"$.tenant.signedInUser.memberOf[{i}].roleTemplateId", "a directoryRole needs its roleTemplateId.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex WorkspaceName();
}
