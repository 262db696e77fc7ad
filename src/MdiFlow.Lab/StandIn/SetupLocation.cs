using System.Text.Json;

namespace MdiFlow.Lab.StandIn;

/// <summary>
/// Where the setup runs from. Installing from inside the zip fails (Windows extracts only the .exe, without
/// the files beside it); the setup needs its extracted folder, with SensorInstallationConfiguration.json,
/// which names the workspace's sensor API.
/// </summary>
internal static class SetupLocation
{
    public const string ConfigurationFile = "SensorInstallationConfiguration.json";
    public const string SensorApiSuffix = "sensorapi.atp.azure.com";

    /// <summary>Finds the workspace the package belongs to; on failure <paramref name="problem"/> says why and what to do.</summary>
    public static bool TryReadWorkspace(string setupPath, out string workspace, out string problem)
    {
        workspace = "";
        problem = "";
        if (InsideArchive(setupPath) is { } archive)
        {
            problem = $"The setup runs from inside the archive '{archive}'. Installing from the zip fails: extract the whole package to a folder and run the setup from there.";
            return false;
        }

        if (!File.Exists(setupPath))
        {
            problem = $"The setup '{setupPath}' does not exist.";
            return false;
        }

        var configuration = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(setupPath))!, ConfigurationFile);
        if (!File.Exists(configuration))
        {
            problem = $"{ConfigurationFile} is missing beside the setup: extract the whole package (not only the .exe) and run the setup from that folder.";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configuration));
            var address = document.RootElement
                .GetProperty("SensorInstallationConfiguration")
                .GetProperty("WorkspaceApplicationSensorApiWebClientConfigurationServiceEndpoint")
                .GetProperty("Address").GetString() ?? "";
            workspace = address.EndsWith(SensorApiSuffix, StringComparison.OrdinalIgnoreCase) ? address[..^SensorApiSuffix.Length] : "";
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            workspace = "";
        }

        if (workspace.Length == 0)
        {
            problem = $"{ConfigurationFile} does not name a workspace's sensor API: download the package again from the portal.";
            return false;
        }

        return true;
    }

    /// <summary>The .zip (or any file) that a path runs through as if it were a folder, if any.</summary>
    private static string? InsideArchive(string path)
    {
        for (var folder = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder) || (folder.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(folder)))
            {
                return folder;
            }
        }

        return null;
    }
}
