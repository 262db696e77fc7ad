namespace MdiFlow.Plugins.DefenderForIdentity.Licensing;

/// <summary>The input of <c>mdi.checkLicense</c>.</summary>
public sealed record CheckLicenseInput
{
    /// <summary>
    /// The user (object id or user principal name) whose licences to check with <c>GET /users/{id}/licenseDetails</c>.
    /// When absent the tenant's subscriptions are checked (<c>GET /subscribedSkus</c>).
    /// </summary>
    public string? UserId { get; init; }
}
