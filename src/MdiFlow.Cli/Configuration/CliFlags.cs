namespace MdiFlow.Cli.Configuration;

/// <summary>
/// The flags that are the highest layer of the configuration, each setting one setting. Secrets have none: a client
/// secret or certificate password is never accepted on a command line, which others on the host can read.
/// </summary>
internal static class CliFlags
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        [Settings.Store.Key] = "--store",
        [Settings.WorkerHost.Key] = "worker --host",
        [Settings.WorkerInterval.Key] = "worker --interval",
    };

    /// <summary>The flag that sets <paramref name="setting"/>, or null when none does.</summary>
    public static string? For(Setting setting) => Names.GetValueOrDefault(setting.Key);
}
