using MdiFlow.Plugins.DefenderForIdentity.Graph;

namespace MdiFlow.Plugins.DefenderForIdentity.Activation;

/// <summary>Finds this server among Graph's sensors and sensor candidates, by computer name or DNS name (case-insensitive).</summary>
internal static class SensorMatch
{
    /// <summary>Whether <paramref name="name"/> (a display name or DNS name) names <paramref name="computer"/>: equal, or its first DNS label.</summary>
    public static bool Names(string? name, string computer)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        var host = name.Trim();
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return string.Equals(host, computer, StringComparison.OrdinalIgnoreCase)
            || (dot > 0 && string.Equals(host[..dot], computer, StringComparison.OrdinalIgnoreCase));
    }

    public static GraphSensor? Sensor(IEnumerable<GraphSensor> sensors, string computer) =>
        sensors.FirstOrDefault(s => Names(s.DisplayName, computer))
        ?? sensors.FirstOrDefault(s => s.Settings?.DomainControllerDnsNames.Any(n => Names(n, computer)) == true);

    public static SensorCandidate? Candidate(IEnumerable<SensorCandidate> candidates, string computer) =>
        candidates.FirstOrDefault(c => Names(c.ComputerDnsName, computer));
}
