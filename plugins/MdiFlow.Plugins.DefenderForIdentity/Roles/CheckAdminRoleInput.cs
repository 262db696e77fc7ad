namespace MdiFlow.Plugins.DefenderForIdentity.Roles;

/// <summary>The input of <c>mdi.checkAdminRole</c>.</summary>
public sealed record CheckAdminRoleInput
{
    /// <summary>
    /// The administrator to check (object id or user principal name). When absent, the signed-in user
    /// (<c>GET /me</c>), which needs device-code sign-in.
    /// </summary>
    public string? UserId { get; init; }
}
