namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>Windows command output captured in its real format, under Fixtures/.</summary>
internal static class Fixture
{
    public static string Text(string name) => File.ReadAllText(Path(name));

    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
