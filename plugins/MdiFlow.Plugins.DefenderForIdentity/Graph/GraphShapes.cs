using System.Text.Json.Serialization;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>A page of a Graph collection.</summary>
internal sealed record GraphPage<T>
{
    public IReadOnlyList<T> Value { get; init; } = [];

    [JsonPropertyName("@odata.nextLink")]
    public string? NextLink { get; init; }
}

/// <summary>microsoft.graph.subscribedSku.</summary>
internal sealed record SubscribedSku
{
    public string? SkuId { get; init; }

    public string? SkuPartNumber { get; init; }

    /// <summary>Enabled, Warning, Suspended, Deleted, LockedOut.</summary>
    public string? CapabilityStatus { get; init; }

    public long ConsumedUnits { get; init; }

    public LicenseUnits? PrepaidUnits { get; init; }

    public IReadOnlyList<ServicePlanInfo> ServicePlans { get; init; } = [];
}

/// <summary>microsoft.graph.licenseUnitsDetail.</summary>
internal sealed record LicenseUnits
{
    public long Enabled { get; init; }

    public long Suspended { get; init; }

    public long Warning { get; init; }

    public long LockedOut { get; init; }
}

/// <summary>microsoft.graph.servicePlanInfo.</summary>
internal sealed record ServicePlanInfo
{
    public string? ServicePlanId { get; init; }

    public string? ServicePlanName { get; init; }

    /// <summary>Success, Disabled, PendingInput, PendingActivation, PendingProvisioning, Error.</summary>
    public string? ProvisioningStatus { get; init; }

    public string? AppliesTo { get; init; }
}

/// <summary>microsoft.graph.licenseDetails.</summary>
internal sealed record LicenseDetail
{
    public string? Id { get; init; }

    public string? SkuId { get; init; }

    public string? SkuPartNumber { get; init; }

    public IReadOnlyList<ServicePlanInfo> ServicePlans { get; init; } = [];
}

/// <summary>microsoft.graph.user (the properties used).</summary>
internal sealed record GraphUser
{
    public string? Id { get; init; }

    public string? UserPrincipalName { get; init; }

    public string? DisplayName { get; init; }
}

/// <summary>microsoft.graph.unifiedRoleAssignment.</summary>
internal sealed record RoleAssignment
{
    public string? Id { get; init; }

    public string? PrincipalId { get; init; }

    /// <summary>For built-in roles, equal to the role's template id.</summary>
    public string? RoleDefinitionId { get; init; }

    /// <summary><c>/</c> for the whole tenant; an administrative unit otherwise.</summary>
    public string? DirectoryScopeId { get; init; }
}

/// <summary>A directoryObject from memberOf: a directoryRole, a group, or an administrative unit.</summary>
internal sealed record DirectoryObject
{
    [JsonPropertyName("@odata.type")]
    public string? ODataType { get; init; }

    /// <summary>Tenant-specific: never compare it with a role template id.</summary>
    public string? Id { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>For a directoryRole, the template id every tenant shares.</summary>
    public string? RoleTemplateId { get; init; }
}

/// <summary>The Graph error body: <c>{ "error": { "code", "message", "innerError": { "request-id", "date" } } }</c>.</summary>
internal sealed record GraphErrorBody
{
    public GraphErrorDetail? Error { get; init; }
}

/// <summary>The error inside a Graph error body.</summary>
internal sealed record GraphErrorDetail
{
    public string? Code { get; init; }

    public string? Message { get; init; }

    public GraphInnerError? InnerError { get; init; }
}

/// <summary>The innerError of a Graph error.</summary>
internal sealed record GraphInnerError
{
    [JsonPropertyName("request-id")]
    public string? RequestId { get; init; }

    public string? Date { get; init; }
}
