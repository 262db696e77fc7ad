namespace MdiFlow.Plugins.DefenderForIdentity.Verification;

/// <summary>The input of <c>mdi.checkSensorHealth</c>.</summary>
public sealed record CheckSensorHealthInput
{
    /// <summary>The server whose sensor to look for (<c>{{ steps.server.output.computerName }}</c>).</summary>
    public required string ComputerName { get; init; }

    /// <summary>
    /// How long to wait for the sensor to report healthy and up to date, as ISO 8601 or <c>hh:mm:ss</c>. Default 15 minutes;
    /// the first sensor of a workspace (and a first v3.x activation) can take up to an hour, later ones about five minutes.
    /// </summary>
    public string? WaitUpTo { get; init; }

    /// <summary>How often to ask Graph while waiting. Default 1 minute.</summary>
    public string? PollEvery { get; init; }
}
