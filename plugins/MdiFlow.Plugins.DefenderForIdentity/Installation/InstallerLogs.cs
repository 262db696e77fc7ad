namespace MdiFlow.Plugins.DefenderForIdentity.Installation;

/// <summary>One of the setup's logs and the lines of it worth quoting.</summary>
/// <param name="Kind"><c>deployer</c>, <c>msi</c> or <c>bundle</c>.</param>
/// <param name="Path">The log file.</param>
/// <param name="Lines">The relevant lines in file order, secrets masked.</param>
/// <param name="Headline">The most telling of them (the last telling line, else the last relevant one), for messages.</param>
internal sealed record InstallerLog(string Kind, string Path, IReadOnlyList<string> Lines, string? Headline);

/// <summary>
/// The setup's logs in the installer log folder (its %TEMP%): "Azure Advanced Threat Protection Sensor_YYYYMMDDHHMMSS.log"
/// (the bundle), "..._001_MsiPackage.log" (the MSI) and "Azure Advanced Threat Protection
/// Microsoft.Tri.Sensor.Deployment.Deployer_....log" (registration), as troubleshooting-using-logs names them. Which are new is decided by
/// comparing with a snapshot taken before the run, so no clock is involved.
/// </summary>
internal sealed class InstallerLogs
{
    private const int MaxLines = 8;
    private const int MaxLineLength = 300;

    /// <summary>Each log, its file pattern, the markers of relevant lines (the first ones most telling) and how many lines before a telling one to keep.</summary>
    private static readonly LogKind[] Kinds =
    [
        new("deployer", "*Deployer_*.log", ["validateCreateSensorResult", "LicenseInvalid"], ["deploymentResultStatus", "exit code", "error", "exception", "fail"], 0),

        // In an MSI log the lines just before "Return value 3" name the action that failed.
        new("msi", "*_MsiPackage.log", ["Return value 3"], ["error ", "error:"], 2),
        new("bundle", "Azure Advanced Threat Protection Sensor_*.log", ["error 0x"], ["error", "fail"], 0),
    ];

    private readonly string _directory;
    private readonly Dictionary<string, DateTime> _before;

    private InstallerLogs(string directory, Dictionary<string, DateTime> before)
    {
        _directory = directory;
        _before = before;
    }

    /// <summary>For each kind, the newest log in the folder, with its relevant lines (after a crash or restart: the interrupted run's).</summary>
    public static IReadOnlyList<InstallerLog> Latest(string directory, IReadOnlyCollection<string> secrets) =>
        new InstallerLogs(directory, new Dictionary<string, DateTime>(StringComparer.OrdinalIgnoreCase)).Read(secrets);

    /// <summary>
    /// Whether a bundle log ends without burn's "Shutting down, exit code" line: the setup never finished, because the
    /// server restarted (or the process was killed) in the middle of the install.
    /// </summary>
    public static bool WasInterrupted(string bundleLog)
    {
        try
        {
            using var stream = new FileStream(bundleLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
            return !reader.ReadToEnd().Contains("Shutting down, exit code", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Remembers the logs present before the setup runs.</summary>
    public static InstallerLogs Snapshot(string directory) =>
        new(directory, All(directory).ToDictionary(f => f.FullName, f => f.LastWriteTimeUtc, StringComparer.OrdinalIgnoreCase));

    /// <summary>For each kind, the newest log written since the snapshot, with its relevant lines.</summary>
    public IReadOnlyList<InstallerLog> Read(IReadOnlyCollection<string> secrets)
    {
        var logs = new List<InstallerLog>();
        foreach (var kind in Kinds)
        {
            var files = Files(kind.Pattern).Where(f => kind.Name != "bundle" || IsBundleLog(f.Name)).ToList();
            // A log from an earlier run would explain that run, not this one: only new or rewritten logs count.
            var newest = files
                .Where(f => !_before.TryGetValue(f.FullName, out var written) || written != f.LastWriteTimeUtc)
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .FirstOrDefault();
            if (newest is not null)
            {
                logs.Add(Relevant(newest.FullName, kind, secrets));
            }
        }

        return logs;
    }

    private static bool IsBundleLog(string name) =>
        !name.EndsWith("_MsiPackage.log", StringComparison.OrdinalIgnoreCase) && !name.Contains("Deployer_", StringComparison.OrdinalIgnoreCase);

    private IEnumerable<FileInfo> Files(string pattern) =>
        Directory.Exists(_directory) ? new DirectoryInfo(_directory).EnumerateFiles(pattern) : [];

    private static IEnumerable<FileInfo> All(string directory) =>
        Directory.Exists(directory) ? new DirectoryInfo(directory).EnumerateFiles("*.log") : [];

    /// <summary>
    /// The lines with a marker, in file order, at most eight: every telling line (with its context) first,
    /// then the latest of the others.
    /// </summary>
    private static InstallerLog Relevant(string path, LogKind kind, IReadOnlyCollection<string> secrets)
    {
        List<string> lines;
        try
        {
            // The setup may still hold its log open.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
            lines = [.. reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r'))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var unreadable = $"(the log could not be read: {ex.Message})";
            return new InstallerLog(kind.Name, path, [unreadable], unreadable);
        }

        var telling = new SortedSet<int>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (Contains(lines[i], kind.Telling))
            {
                for (var j = Math.Max(0, i - kind.ContextBefore); j <= i; j++)
                {
                    telling.Add(j);
                }
            }
        }

        var chosen = new SortedSet<int>(telling.TakeLast(MaxLines));
        var others = Enumerable.Range(0, lines.Count).Where(i => !telling.Contains(i) && Contains(lines[i], kind.Other)).ToList();
        foreach (var index in others.TakeLast(MaxLines - chosen.Count))
        {
            chosen.Add(index);
        }

        string Shown(int index) => Mask(Shorten(lines[index].Trim()), secrets);
        int? headline = telling.Count > 0 ? telling.Max : chosen.Count > 0 ? chosen.Max : null;
        return new InstallerLog(kind.Name, path, [.. chosen.Select(Shown)], headline is { } h ? Shown(h) : null);
    }

    private static bool Contains(string line, string[] markers) =>
        markers.Any(m => line.Contains(m, StringComparison.OrdinalIgnoreCase));

    private static string Shorten(string line) => line.Length <= MaxLineLength ? line : line[..MaxLineLength] + "...";

    private static string Mask(string line, IReadOnlyCollection<string> secrets) =>
        secrets.Where(s => s.Length >= 4).Aggregate(line, (text, secret) => text.Replace(secret, "***", StringComparison.Ordinal));

    private sealed record LogKind(string Name, string Pattern, string[] Telling, string[] Other, int ContextBefore);
}
