namespace MdiFlow.Plugins.DefenderForIdentity.Installation;

/// <summary>Finds the setup program in an extracted sensor package, refusing a path inside a zip.</summary>
internal static class SetupPackage
{
    public const string SetupFileName = "Azure ATP sensor Setup.exe";

    /// <summary>Whether the path names a zip or something inside one ("...\Sensor.zip\...").</summary>
    public static bool IsInsideZip(string path) =>
        path.Split(['\\', '/'], StringSplitOptions.RemoveEmptyEntries)
            .Any(part => part.EndsWith(".zip", StringComparison.OrdinalIgnoreCase));

    /// <summary>The setup program in <paramref name="directory"/> (its name compared case-insensitively), or null.</summary>
    public static string? Find(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        return Directory.EnumerateFiles(directory)
            .FirstOrDefault(file => string.Equals(Path.GetFileName(file), SetupFileName, StringComparison.OrdinalIgnoreCase));
    }
}
