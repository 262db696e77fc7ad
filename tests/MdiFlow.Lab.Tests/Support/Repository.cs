namespace MdiFlow.Lab.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ProfilesDirectory => Path.Combine(Root, "workflows", "lab");

    public static IEnumerable<string> ProfileFiles => Directory.EnumerateFiles(ProfilesDirectory, "*.json").Order(StringComparer.Ordinal);

    public static string ProfileFile(string name) => Path.Combine(ProfilesDirectory, name + ".json");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MdiFlow.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository: no MdiFlow.sln above " + AppContext.BaseDirectory);
    }
}
