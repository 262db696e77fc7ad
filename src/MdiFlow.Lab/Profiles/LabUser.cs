namespace MdiFlow.Lab.Profiles;

/// <summary>The signed-in administrator.</summary>
public sealed record LabUser
{
    /// <summary>The user's object id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The user principal name, for example <c>admin@contoso.onmicrosoft.com</c>.</summary>
    public required string UserPrincipalName { get; init; }

    /// <summary>The display name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The licences assigned to the user (<c>/users/{id}/licenseDetails</c>).</summary>
    public IReadOnlyList<LabAssignedLicense> AssignedLicenses { get; init; } = [];

    /// <summary>Role assignments in the tenant; those without a principal are the user's own, direct assignments.</summary>
    public IReadOnlyList<LabRoleAssignment> RoleAssignments { get; init; } = [];

    /// <summary>The user's direct memberships (<c>/me/memberOf</c>): directory roles and groups.</summary>
    public IReadOnlyList<LabDirectoryObject> MemberOf { get; init; } = [];
}

/// <summary>A licence assigned to the user.</summary>
public sealed record LabAssignedLicense
{
    /// <summary>One of the tenant's <see cref="LabTenant.SubscribedSkus"/>, for example <c>EMSPREMIUM</c>.</summary>
    public required string SkuPartNumber { get; init; }

    /// <summary>Service plans of the SKU disabled for this user (their provisioningStatus is <c>Disabled</c>).</summary>
    public IReadOnlyList<string> DisabledPlans { get; init; } = [];
}

/// <summary>A directory role assignment (unifiedRoleAssignment).</summary>
public sealed record LabRoleAssignment
{
    /// <summary>The role definition; for built-in roles it equals the role template id.</summary>
    public required Guid RoleDefinitionId { get; init; }

    /// <summary>The assignee; null means the signed-in user. A group's id models a group-based assignment.</summary>
    public Guid? PrincipalId { get; init; }

    /// <summary>The scope, <c>/</c> for the whole tenant.</summary>
    public string DirectoryScopeId { get; init; } = "/";
}

/// <summary>A directory object the user is a direct member of.</summary>
public sealed record LabDirectoryObject
{
    /// <summary><c>directoryRole</c> or <c>group</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The object id (for a directory role, the activated role's id, which is not its template id).</summary>
    public required Guid Id { get; init; }

    /// <summary>The display name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>For a directory role: the role template id, which is what identifies the role.</summary>
    public Guid? RoleTemplateId { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>For a group synced from Active Directory: its pre-Windows 2000 name; null for a cloud-only group.</summary>
    public string? OnPremisesSamAccountName { get; init; }
}
