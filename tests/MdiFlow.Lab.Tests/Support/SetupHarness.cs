using System.IO.Compression;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Lab.Tests.Support;

/// <summary>Runs the stand-in setup of a test lab as the install activity would: extracted package, key file, real process.</summary>
internal static class SetupHarness
{
    public const string Bundle = @"^Azure Advanced Threat Protection Sensor_\d{14}\.log$";
    public const string MsiPackage = @"^Azure Advanced Threat Protection Sensor_\d{14}_001_MsiPackage\.log$";
    public const string Deployer = @"^Azure Advanced Threat Protection Microsoft\.Tri\.Sensor\.Deployment\.Deployer_\d{14}\.log$";

    /// <summary>Extracts the lab's package and writes the key to a file; returns the setup's path and the key file.</summary>
    public static (string Setup, string KeyFile) Prepare(this TestLab test, string? key = null)
    {
        var folder = test.Temp.Combine("package");
        ZipFile.ExtractToDirectory(test.Lab.CreateSensorPackage(), folder, overwriteFiles: true);
        var keyFile = test.Temp.Combine("access-key.txt");
        File.WriteAllText(keyFile, key ?? test.Lab.Profile.Tenant.DeploymentAccessKey);
        return (Path.Combine(folder, "Azure ATP sensor Setup.exe"), keyFile);
    }

    public static async Task<int> RunSetupAsync(this TestLab test, string setup, params string[] arguments) =>
        await test.Lab.SetupLauncher.RunAsync(new SetupInvocation(setup, arguments, test.Lab.InstallerLogDirectory), default);

    /// <summary>The installer logs written so far, by file name.</summary>
    public static IReadOnlyDictionary<string, string> Logs(this TestLab test, string? directory = null)
    {
        directory ??= test.Lab.InstallerLogDirectory;
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllText)
            : new Dictionary<string, string>();
    }

    public static string Log(this TestLab test, string pattern) =>
        test.Logs().Single(l => l.Key.IsMatch(pattern)).Value;

    public static bool IsMatch(this string text, string pattern) => System.Text.RegularExpressions.Regex.IsMatch(text, pattern);
}
