using MdiFlow.Plugins.DefenderForIdentity.Graph;

namespace MdiFlow.Plugins.DefenderForIdentity.Roles;

/// <summary>A role that allows setting up Defender for Identity.</summary>
/// <param name="Name">Its English name.</param>
/// <param name="TemplateId">Its template id.</param>
internal sealed record AdminRole(string Name, string TemplateId);

/// <summary>
/// The directory roles that may set up Defender for Identity, recognised by <b>template id</b>:
/// for role assignments <c>roleDefinitionId</c> equals the template id of a built-in role; for
/// directoryRole objects only <c>roleTemplateId</c> does (their <c>id</c> differs per tenant).
/// </summary>
internal static class AdminRoles
{
    public static readonly AdminRole SecurityAdministrator = new("Security Administrator", "194ae4cb-b126-40b2-bd5b-6091b380977d");
    public static readonly AdminRole GlobalAdministrator = new("Global Administrator", "62e90394-69f5-4237-9190-012177145e10");

    /// <summary>Least privileged first.</summary>
    private static readonly AdminRole[] Accepted = [SecurityAdministrator, GlobalAdministrator];

    /// <summary>The accepted role held through a direct assignment scoped to the whole tenant (<c>directoryScopeId</c> "/").</summary>
    public static AdminRole? FromAssignments(IEnumerable<RoleAssignment> assignments)
    {
        var tenantWide = assignments.Where(a => a.DirectoryScopeId is null or "/").Select(a => a.RoleDefinitionId).ToList();
        return Accepted.FirstOrDefault(role => tenantWide.Any(id => SameId(id, role.TemplateId)));
    }

    /// <summary>The accepted role among directoryRole objects, compared by <c>roleTemplateId</c> and never by <c>id</c>.</summary>
    public static AdminRole? FromDirectoryRoles(IEnumerable<DirectoryObject> memberOf)
    {
        var templates = memberOf.Where(IsDirectoryRole).Select(o => o.RoleTemplateId).ToList();
        return Accepted.FirstOrDefault(role => templates.Any(id => SameId(id, role.TemplateId)));
    }

    /// <summary>Assignments to an accepted role that do not count because they are scoped to an administrative unit.</summary>
    public static IEnumerable<string> ScopedAssignments(IEnumerable<RoleAssignment> assignments) =>
        assignments
            .Where(a => a.DirectoryScopeId is not (null or "/") && Accepted.Any(r => SameId(a.RoleDefinitionId, r.TemplateId)))
            .Select(a => $"{NameOf(a.RoleDefinitionId)} is assigned only at the scope {a.DirectoryScopeId}, not tenant-wide.");

    /// <summary>directoryRole objects whose id looks like an accepted template id but whose roleTemplateId is another role.</summary>
    public static IEnumerable<string> LookAlikes(IEnumerable<DirectoryObject> memberOf) =>
        memberOf
            .Where(o => IsDirectoryRole(o) && Accepted.Any(r => SameId(o.Id, r.TemplateId)) && !Accepted.Any(r => SameId(o.RoleTemplateId, r.TemplateId)))
            .Select(o => $"The directory role '{o.DisplayName}' has the id {o.Id} (the template id of {NameOf(o.Id)}) but its roleTemplateId is {o.RoleTemplateId}; a directoryRole's id is tenant-specific, so it does not count.");

    private static string NameOf(string? templateId) =>
        Accepted.FirstOrDefault(r => SameId(templateId, r.TemplateId))?.Name ?? templateId ?? "an unknown role";

    private static bool IsDirectoryRole(DirectoryObject item) =>
        string.Equals(item.ODataType, "#microsoft.graph.directoryRole", StringComparison.OrdinalIgnoreCase);

    private static bool SameId(string? left, string right) =>
        Guid.TryParse(left, out var id) && id == Guid.Parse(right);
}
