namespace MdiFlow.Plugins.DefenderForIdentity.Installation;

/// <summary>The secrets and options the setup gets besides the access key.</summary>
/// <param name="ProxyUrl">ProxyUrl=.</param>
/// <param name="ProxyUserName">ProxyUserName=.</param>
/// <param name="ProxyPassword">ProxyUserPassword= (a secret: the setup documents no file form for it).</param>
/// <param name="InstallationPath">InstallationPath=.</param>
/// <param name="DelayedUpdate">DelayedUpdate=true.</param>
internal sealed record SetupOptions(string? ProxyUrl, string? ProxyUserName, string? ProxyPassword, string? InstallationPath, bool DelayedUpdate);

/// <summary>
/// The documented silent-install switches of "Azure ATP sensor Setup.exe", one argument each, as the program
/// receives them (no shell quotes: the launcher quotes an argument holding spaces, which the setup reads back
/// exactly as <c>Name="value"</c>). Parameters take no leading slash; only <c>/quiet</c> does. The access key is
/// never an argument: it goes in the file <c>AccessKeyFile=</c> names.
/// </summary>
internal static class SetupArguments
{
    public static IReadOnlyList<string> Build(string accessKeyFile, SetupOptions options)
    {
        var arguments = new List<string>
        {
            "/quiet",
            "NetFrameworkCommandLineArguments=/q",
            "AccessKeyFile=" + accessKeyFile,
        };
        Add(arguments, "InstallationPath", options.InstallationPath);
        Add(arguments, "ProxyUrl", options.ProxyUrl);
        Add(arguments, "ProxyUserName", options.ProxyUserName);
        Add(arguments, "ProxyUserPassword", options.ProxyPassword);
        if (options.DelayedUpdate)
        {
            arguments.Add("DelayedUpdate=true");
        }

        return arguments;
    }

    /// <summary>The arguments as they may be shown: the proxy password masked.</summary>
    public static IReadOnlyList<string> Shown(IReadOnlyList<string> arguments) =>
        [.. arguments.Select(a => a.StartsWith("ProxyUserPassword=", StringComparison.Ordinal) ? "ProxyUserPassword=***" : a)];

    private static void Add(List<string> arguments, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            arguments.Add($"{name}={value}");
        }
    }
}
