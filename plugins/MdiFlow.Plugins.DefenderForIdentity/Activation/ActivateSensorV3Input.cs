namespace MdiFlow.Plugins.DefenderForIdentity.Activation;

/// <summary>The input of <c>mdi.activateSensorV3</c>.</summary>
public sealed record ActivateSensorV3Input
{
    /// <summary>The domain controller to activate, as <c>mdi.detectServerRole</c> names it (<c>{{ steps.server.output.computerName }}</c>).</summary>
    public required string ComputerName { get; init; }
}
