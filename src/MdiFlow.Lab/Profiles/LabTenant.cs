namespace MdiFlow.Lab.Profiles;

/// <summary>The Entra ID tenant the lab's Microsoft Graph answers for.</summary>
public sealed record LabTenant
{
    /// <summary>The tenant (directory) id.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The Defender for Identity workspace (instance) name, as in <c>{workspace}sensorapi.atp.azure.com</c>.</summary>
    public required string Workspace { get; init; }

    /// <summary>The deployment access key that <c>getDeploymentAccessKey</c> returns first and the stand-in setup accepts.</summary>
    public required string DeploymentAccessKey { get; init; }

    /// <summary>The Graph permissions (scopes) the lab token carries; a route needing another answers 403.</summary>
    public IReadOnlyList<string> GrantedPermissions { get; init; } = [];

    /// <summary>The administrator who signed in (<c>/me</c>).</summary>
    public required LabUser SignedInUser { get; init; }

    /// <summary>The tenant's subscriptions (<c>/subscribedSkus</c>).</summary>
    public IReadOnlyList<LabSubscribedSku> SubscribedSkus { get; init; } = [];

    /// <summary>The largest page Graph returns for <c>/me/memberOf</c> and <c>roleAssignments</c>; smaller pages exercise <c>@odata.nextLink</c>.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>How Graph's Defender for Identity routes answer: the access key's shape, sensor candidates, sensor health.</summary>
    public LabSensorService Identities { get; init; } = new();
}
