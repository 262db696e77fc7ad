namespace MdiFlow.PublicApi.Tests;

/// <summary>Compares a library's public API with its approved text, and approves it when asked (<c>MDIFLOW_APPROVE_API=1</c>).</summary>
internal static class ApiApproval
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static readonly string Folder = Path.Combine(RepositoryRoot, "tests", "MdiFlow.PublicApi.Tests", "Approved");

    public static void Verify(string library, string api)
    {
        var approvedFile = Path.Combine(Folder, library + ".txt");
        var receivedFile = Path.Combine(Folder, library + ".received.txt");
        if (Environment.GetEnvironmentVariable("MDIFLOW_APPROVE_API") == "1")
        {
            File.WriteAllText(approvedFile, Normalize(api));
            File.Delete(receivedFile);
            return;
        }

        var approved = File.Exists(approvedFile) ? File.ReadAllText(approvedFile) : "";
        if (Difference(library, approved, api) is { } problem)
        {
            File.WriteAllText(receivedFile, Normalize(api));
            Assert.Fail(problem + $"\nThe API as built is in {receivedFile}.");
        }

        File.Delete(receivedFile);
    }

    /// <summary>What changed and how to approve it, or null when <paramref name="actual"/> is the approved API.</summary>
    public static string? Difference(string library, string approved, string actual)
    {
        var before = Normalize(approved).Split('\n');
        var after = Normalize(actual).Split('\n');
        if (before.SequenceEqual(after))
        {
            return null;
        }

        var removed = before.Except(after).Select(l => "- " + l).Take(40).ToList();
        var added = after.Except(before).Select(l => "+ " + l).Take(40).ToList();
        return $"The public API of {library} changed ({added.Count} line(s) added, {removed.Count} removed):\n"
            + string.Join('\n', removed.Concat(added))
            + $"\nIf the change is intended, approve it: MDIFLOW_APPROVE_API=1 dotnet test tests/MdiFlow.PublicApi.Tests, and commit tests/MdiFlow.PublicApi.Tests/Approved/{library}.txt with the change, so review sees it.";
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "MdiFlow.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("MdiFlow.sln not found above the test binaries.");
        }

        return dir;
    }
}
