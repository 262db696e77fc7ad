namespace MdiFlow.Plugins.DefenderForIdentity.Readiness;

/// <summary>The input of <c>mdi.detectServerRole</c>; it reads the server it runs on.</summary>
public sealed record DetectServerRoleInput
{
    /// <summary>
    /// Whether a domain controller that meets sensor v3.x's requirements takes v3.x (default true). False keeps the v2.x
    /// sensor, for what v3.x does not offer: VPN integration, syslog notifications, ExpressRoute.
    /// </summary>
    public bool SensorV3 { get; init; } = true;
}
