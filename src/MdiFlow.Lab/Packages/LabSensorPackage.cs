using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Lab.StandIn;

namespace MdiFlow.Lab.Packages;

/// <summary>
/// Writes a rehearsal sensor package, shaped like the portal's "Azure ATP Sensor Setup.zip": the setup program
/// (here a marker file the lab's launcher hands to the stand-in) and SensorInstallationConfiguration.json naming
/// the workspace's sensor API. Entries carry a fixed timestamp, so one workspace always gives the same SHA-256.
/// </summary>
internal static class LabSensorPackage
{
    public const string FileName = "Azure ATP Sensor Setup.zip";
    public const string SetupFileName = "Azure ATP sensor Setup.exe";

    private static readonly DateTimeOffset EntryTime = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Write(string zipPath, string workspace)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(zipPath))!);
        var temporary = zipPath + ".tmp";
        using (var zip = new ZipArchive(File.Create(temporary), ZipArchiveMode.Create))
        {
            Add(zip, SetupFileName,
                "MdiFlow rehearsal lab: stand-in for the Defender for Identity sensor setup. It is not a program; the lab's setup launcher runs the stand-in setup (mdiflow lab-setup) in its place.\n");
            var configuration = new JsonObject
            {
                ["SensorInstallationConfiguration"] = new JsonObject
                {
                    ["WorkspaceApplicationSensorApiWebClientConfigurationServiceEndpoint"] = new JsonObject
                    {
                        ["Address"] = workspace + SetupLocation.SensorApiSuffix,
                        ["Port"] = 443,
                    },
                },
            };
            Add(zip, SetupLocation.ConfigurationFile, configuration.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        }

        File.Move(temporary, zipPath, overwrite: true);
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        using var stream = entry.Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
