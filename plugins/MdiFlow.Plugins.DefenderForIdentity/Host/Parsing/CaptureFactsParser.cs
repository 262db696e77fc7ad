using System.Text.Json;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>What <c>Host/Windows/Scripts/CaptureScript.ps1</c> reports.</summary>
/// <param name="Components">The npcap/winpcap uninstall entries.</param>
/// <param name="Npcap">Npcap's installation options, when Npcap's Parameters key exists.</param>
/// <param name="Adapters">The network adapters.</param>
internal sealed record CaptureFacts(IReadOnlyList<InstalledProgram> Components, NpcapOptions? Npcap, IReadOnlyList<NetworkAdapter> Adapters)
{
    /// <summary>The version of the first component whose DisplayName names <paramref name="driver"/> (and not the other one).</summary>
    public string? VersionOf(string driver) =>
        Components.FirstOrDefault(c => c.DisplayName.Contains(driver, StringComparison.OrdinalIgnoreCase)
            && !(driver == "Npcap" && c.DisplayName.Contains("WinPcap", StringComparison.OrdinalIgnoreCase))) is { } found
            ? found.Version ?? "unknown version"
            : null;
}

/// <summary>Parses the capture script's JSON.</summary>
internal static class CaptureFactsParser
{
    /// <exception cref="FormatException">The output is not the script's JSON.</exception>
    public static CaptureFacts Parse(string output)
    {
        var item = PowerShellJson.Single(output, "capture report");
        var components = Array(item, "captureComponents")
            .Select(c => new InstalledProgram(PowerShellJson.String(c, "displayName") ?? "", PowerShellJson.String(c, "version") is { Length: > 0 } v ? v : null))
            .Where(c => c.DisplayName.Length > 0)
            .ToList();
        NpcapOptions? npcap = item.TryGetProperty("npcap", out var options) && options.ValueKind == JsonValueKind.Object
            ? new NpcapOptions(Int(options, "loopbackSupport"), Int(options, "winPcapCompatible"), Int(options, "adminOnly"))
            : null;
        var adapters = Array(item, "adapters")
            .Select(a => new NetworkAdapter(PowerShellJson.String(a, "name") ?? "", PowerShellJson.Boolean(a, "hasDefaultGateway") ?? false, PowerShellJson.Boolean(a, "hasDnsServers") ?? false))
            .ToList();
        return new CaptureFacts(components, npcap, adapters);
    }

    private static IEnumerable<JsonElement> Array(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object),
            JsonValueKind.Object => [value],
            _ => [],
        }
        : [];

    private static int? Int(JsonElement item, string name) => PowerShellJson.Number(item, name) is { } n ? (int)n : null;
}
