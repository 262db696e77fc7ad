namespace MdiFlow.Plugins.DefenderForIdentity.Roles;

/// <summary>The output of <c>mdi.checkAdminRole</c>: the role that allows setting up Defender for Identity.</summary>
public sealed record CheckAdminRoleOutput
{
    /// <summary>The object id of the account checked.</summary>
    public required string PrincipalId { get; init; }

    /// <summary><c>Security Administrator</c> or <c>Global Administrator</c> (the least privileged one found).</summary>
    public required string Role { get; init; }

    /// <summary>The role's template id, the same in every tenant.</summary>
    public required string RoleTemplateId { get; init; }

    /// <summary>Where it was seen: <c>roleAssignments</c> (direct, tenant-wide) or <c>memberOf</c> (an activated directory role).</summary>
    public required string Source { get; init; }
}
