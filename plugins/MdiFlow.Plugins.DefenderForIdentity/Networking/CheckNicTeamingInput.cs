namespace MdiFlow.Plugins.DefenderForIdentity.Networking;

/// <summary>The input of <c>mdi.checkNicTeaming</c>; it reads the server it runs on.</summary>
public sealed record CheckNicTeamingInput
{
    /// <summary>
    /// Whether the server gets the standalone sensor, which also needs a capture adapter (no default gateway, no DNS
    /// servers) that receives the domain controllers' traffic by port mirroring:
    /// <c>{{ steps.server.output.path == 'standalone' }}</c>.
    /// </summary>
    public bool Standalone { get; init; }
}
