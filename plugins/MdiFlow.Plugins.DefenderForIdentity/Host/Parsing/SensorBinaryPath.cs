namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>
/// Reads the sensor's installation folder and version from its service's program path, for example
/// <c>C:\Program Files\Azure Advanced Threat Protection Sensor\2.239.18412.34145\Microsoft.Tri.Sensor.exe</c>.
/// </summary>
internal static class SensorBinaryPath
{
    /// <summary>The installation folder and the version folder's name (null when the program is not in a version folder).</summary>
    public static (string InstallPath, string? Version) Parse(string binaryPath)
    {
        ArgumentNullException.ThrowIfNull(binaryPath);

        // Windows paths: split by hand, since this also runs (in tests) where '\' is not a separator.
        var parts = binaryPath.Replace('/', '\\').Split('\\');
        if (parts.Length >= 3 && System.Version.TryParse(parts[^2], out _))
        {
            return (string.Join('\\', parts[..^2]), parts[^2]);
        }

        return (string.Join('\\', parts[..^1]), null);
    }
}
