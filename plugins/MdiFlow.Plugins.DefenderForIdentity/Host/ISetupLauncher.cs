namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>
/// Starts the sensor's setup program and waits for it. On Windows it runs the extracted
/// "Azure ATP sensor Setup.exe" itself; in the lab it runs the stand-in setup program.
/// </summary>
public interface ISetupLauncher
{
    /// <summary>
    /// Runs the setup with exactly these arguments and returns its exit code. The arguments never hold the access key
    /// (it goes by <c>AccessKeyFile=</c>); a proxy password, when given, is <c>ProxyUserPassword=</c>, its only documented form.
    /// </summary>
    ValueTask<int> RunAsync(SetupInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>One run of the sensor setup.</summary>
/// <param name="SetupPath">The setup program in the extracted folder (never inside the zip).</param>
/// <param name="Arguments">
/// The switches, one argument each as the program receives them, for example <c>/quiet</c>,
/// <c>NetFrameworkCommandLineArguments=/q</c>, <c>AccessKeyFile=C:\Users\admin\AppData\Local\Temp\key.txt</c>: the documented
/// <c>Name="value"</c> is the same argument once Windows has split the command line and removed the quotes, and a
/// launcher that passes them through <c>ProcessStartInfo.ArgumentList</c> quotes any with spaces again.
/// </param>
/// <param name="LogDirectory">Where the setup writes its logs (the %TEMP% of the installing account).</param>
public sealed record SetupInvocation(string SetupPath, IReadOnlyList<string> Arguments, string LogDirectory);
