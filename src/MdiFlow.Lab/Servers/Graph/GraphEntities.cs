using System.Text.Json.Nodes;
using MdiFlow.Lab.Profiles;

namespace MdiFlow.Lab.Servers.Graph;

/// <summary>The JSON shapes of the Graph resources the lab serves, property for property as the v1.0 reference shows them.</summary>
internal static class GraphEntities
{
    public const string Metadata = "https://graph.microsoft.com/v1.0/$metadata#";

    public static JsonObject User(LabUser user)
    {
        var names = user.DisplayName.Split(' ', 2);
        return new JsonObject
        {
            ["@odata.context"] = Metadata + "users/$entity",
            ["businessPhones"] = new JsonArray(),
            ["displayName"] = user.DisplayName,
            ["givenName"] = names[0],
            ["jobTitle"] = null,
            ["mail"] = user.UserPrincipalName,
            ["mobilePhone"] = null,
            ["officeLocation"] = null,
            ["preferredLanguage"] = null,
            ["surname"] = names.Length > 1 ? names[1] : null,
            ["userPrincipalName"] = user.UserPrincipalName,
            ["id"] = Id(user.Id),
        };
    }

    public static JsonObject SubscribedSku(LabTenant tenant, LabSubscribedSku sku) => new()
    {
        ["accountName"] = tenant.Workspace,
        ["accountId"] = Id(tenant.TenantId),
        ["appliesTo"] = "User",
        ["capabilityStatus"] = sku.CapabilityStatus,
        ["consumedUnits"] = sku.ConsumedUnits,
        ["id"] = $"{Id(tenant.TenantId)}_{Id(sku.SkuId)}",
        ["prepaidUnits"] = new JsonObject
        {
            ["enabled"] = sku.CapabilityStatus == "Enabled" ? sku.PrepaidUnits : 0,
            ["lockedOut"] = sku.CapabilityStatus == "LockedOut" ? sku.PrepaidUnits : 0,
            ["suspended"] = sku.CapabilityStatus == "Suspended" ? sku.PrepaidUnits : 0,
            ["warning"] = sku.CapabilityStatus == "Warning" ? sku.PrepaidUnits : 0,
        },
        ["servicePlans"] = new JsonArray([.. sku.ServicePlans.Select(p => ServicePlan(p, p.ProvisioningStatus))]),
        ["skuId"] = Id(sku.SkuId),
        ["skuPartNumber"] = sku.SkuPartNumber,
        ["subscriptionIds"] = new JsonArray(Id(StableId("subscription", tenant.TenantId, sku.SkuId))),
    };

    public static JsonObject LicenseDetails(LabUser user, LabSubscribedSku sku, LabAssignedLicense licence) => new()
    {
        ["id"] = PairId(user.Id, sku.SkuId),
        ["skuId"] = Id(sku.SkuId),
        ["skuPartNumber"] = sku.SkuPartNumber,
        ["servicePlans"] = new JsonArray([.. sku.ServicePlans.Select(p =>
            ServicePlan(p, licence.DisabledPlans.Contains(p.ServicePlanName) ? "Disabled" : p.ProvisioningStatus))]),
    };

    public static JsonObject RoleAssignment(Guid principalId, LabRoleAssignment assignment) => new()
    {
        ["id"] = PairId(assignment.RoleDefinitionId, principalId) + "-1",
        ["principalId"] = Id(principalId),
        ["resourceScope"] = assignment.DirectoryScopeId,
        ["directoryScopeId"] = assignment.DirectoryScopeId,
        ["roleDefinitionId"] = Id(assignment.RoleDefinitionId),
    };

    public static JsonObject DirectoryObject(LabDirectoryObject member) => member.Kind == "directoryRole"
        ? new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.directoryRole",
            ["id"] = Id(member.Id),
            ["deletedDateTime"] = null,
            ["description"] = member.Description,
            ["displayName"] = member.DisplayName,
            ["roleTemplateId"] = member.RoleTemplateId is { } template ? Id(template) : null,
        }
        : new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.group",
            ["id"] = Id(member.Id),
            ["deletedDateTime"] = null,
            ["classification"] = null,
            ["description"] = member.Description,
            ["displayName"] = member.DisplayName,
            ["groupTypes"] = new JsonArray(),
            ["isAssignableToRole"] = null,
            ["mail"] = null,
            ["mailEnabled"] = false,
            ["mailNickname"] = member.DisplayName.Replace(" ", "", StringComparison.Ordinal),
            ["onPremisesSamAccountName"] = member.OnPremisesSamAccountName,
            ["onPremisesSyncEnabled"] = member.OnPremisesSamAccountName is null ? null : true,
            ["securityEnabled"] = true,
            ["visibility"] = null,
        };

    public static JsonObject DeploymentAccessKey(string key) => new()
    {
        ["@odata.context"] = Metadata + "microsoft.graph.security.deploymentAccessKeyType",
        ["deploymentAccessKey"] = key,
    };

    public static string Id(Guid id) => id.ToString("D");

    private static JsonObject ServicePlan(LabServicePlan plan, string status) => new()
    {
        ["servicePlanId"] = Id(plan.ServicePlanId),
        ["servicePlanName"] = plan.ServicePlanName,
        ["provisioningStatus"] = status,
        ["appliesTo"] = plan.AppliesTo,
    };

    // Graph's ids for assignments and licence details are two GUIDs' bytes in base64url (role then principal).
    private static string PairId(Guid first, Guid second) =>
        Convert.ToBase64String([.. first.ToByteArray(), .. second.ToByteArray()]).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static Guid StableId(string kind, Guid tenant, string name) =>
        new(System.Security.Cryptography.SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(kind + "/" + name.ToLowerInvariant()), .. tenant.ToByteArray()])[..16]);

    private static Guid StableId(string kind, Guid first, Guid second) =>
        new(System.Security.Cryptography.SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(kind), .. first.ToByteArray(), .. second.ToByteArray()])[..16]);
}
