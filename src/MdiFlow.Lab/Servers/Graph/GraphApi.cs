using System.Text.Json.Nodes;
using MdiFlow.Lab.Profiles;

namespace MdiFlow.Lab.Servers.Graph;

/// <summary>The documented Graph routes the MDI activities call, answered from the profile's tenant and the lab state.</summary>
internal sealed class GraphApi
{
    internal static readonly Guid GlobalAdministrator = Guid.Parse("62e90394-69f5-4237-9190-012177145e10");
    internal static readonly Guid SecurityAdministrator = Guid.Parse("194ae4cb-b126-40b2-bd5b-6091b380977d");

    private static readonly string[] ReadMe = ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] ReadSkus = ["LicenseAssignment.Read.All", "Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] ReadLicences = ["LicenseAssignment.Read.All", "User.Read", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] ReadRoles = ["RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory", "Directory.Read.All", "Directory.ReadWrite.All"];
    private static readonly string[] ReadMemberOf = ["User.Read", "User.Read.All", "User.ReadWrite.All", "GroupMember.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"];

    private readonly LabTenant _tenant;

    public GraphApi(LabProfile profile, LabState state, Func<Uri> packageUrl, TimeProvider time)
    {
        _tenant = profile.Tenant;
        var identities = new GraphIdentitiesApi(profile, state, packageUrl, time);
        Routes =
        [
            new("GET", "me", ReadMe, _ => GraphResponse.Ok(GraphEntities.User(User))),
            new("GET", "users/{id}", ReadMe, r => UnknownUser(r) ?? GraphResponse.Ok(GraphEntities.User(User))),
            new("GET", "subscribedSkus", ReadSkus, _ => SubscribedSkus()),
            new("GET", "me/licenseDetails", ReadLicences, _ => LicenseDetails()),
            new("GET", "users/{id}/licenseDetails", ReadLicences, r => UnknownUser(r) ?? LicenseDetails()),
            new("GET", "roleManagement/directory/roleAssignments", ReadRoles, RoleAssignments),
            new("GET", "me/memberOf", ReadMemberOf, MemberOf),
            .. identities.Routes(() => HoldsRole(GlobalAdministrator) || HoldsRole(SecurityAdministrator)),
        ];
    }

    public IReadOnlyList<GraphRoute> Routes { get; }

    private LabUser User => _tenant.SignedInUser;

    /// <summary>A 404 when the id (object id or UPN) is not the signed-in user, the only user the lab knows; null when it is.</summary>
    private GraphResponse? UnknownUser(GraphRequest request)
    {
        var id = request.Values["id"];
        return Guid.TryParse(id, out var guid) ? guid == User.Id ? null : GraphResponse.NotFound(id)
            : string.Equals(id, User.UserPrincipalName, StringComparison.OrdinalIgnoreCase) ? null : GraphResponse.NotFound(id);
    }

    private GraphResponse SubscribedSkus() => GraphResponse.Ok(new JsonObject
    {
        ["@odata.context"] = GraphEntities.Metadata + "subscribedSkus",
        ["value"] = new JsonArray([.. _tenant.SubscribedSkus.Select(s => (JsonNode)GraphEntities.SubscribedSku(_tenant, s))]),
    });

    private GraphResponse LicenseDetails() => GraphResponse.Ok(new JsonObject
    {
        ["@odata.context"] = GraphEntities.Metadata + $"users('{GraphEntities.Id(User.Id)}')/licenseDetails",
        ["value"] = new JsonArray([.. User.AssignedLicenses.Select(l => (JsonNode)GraphEntities.LicenseDetails(
            User, _tenant.SubscribedSkus.First(s => s.SkuPartNumber == l.SkuPartNumber), l))]),
    });

    private GraphResponse RoleAssignments(GraphRequest request)
    {
        var assignments = User.RoleAssignments.Select(a => (Principal: a.PrincipalId ?? User.Id, Assignment: a));
        if (request.Query.TryGetValue("$filter", out var filter))
        {
            if (!RoleAssignmentFilter.TryParse(filter, out var clauses, out var error))
            {
                return GraphResponse.Error(400, "BadRequest", error);
            }

            foreach (var (property, value) in clauses)
            {
                assignments = assignments.Where(a => string.Equals(value, property switch
                {
                    "principalId" => GraphEntities.Id(a.Principal),
                    "roleDefinitionId" => GraphEntities.Id(a.Assignment.RoleDefinitionId),
                    _ => a.Assignment.DirectoryScopeId,
                }, StringComparison.OrdinalIgnoreCase)).ToList();
            }
        }

        return GraphPaging.Page(request, "roleManagement/directory/roleAssignments",
            [.. assignments.Select(a => GraphEntities.RoleAssignment(a.Principal, a.Assignment))], _tenant.PageSize);
    }

    private GraphResponse MemberOf(GraphRequest request) =>
        GraphPaging.Page(request, "directoryObjects", [.. User.MemberOf.Select(GraphEntities.DirectoryObject)], _tenant.PageSize);

    /// <summary>Whether the user holds the role directly (delegated calls need a role as well as the token's scope) or through a group it is a member of.</summary>
    private bool HoldsRole(Guid roleTemplateId)
    {
        var principals = User.MemberOf.Where(m => m.Kind == "group").Select(m => m.Id).Append(User.Id).ToHashSet();
        return User.RoleAssignments.Any(a => a.RoleDefinitionId == roleTemplateId && principals.Contains(a.PrincipalId ?? User.Id));
    }
}
