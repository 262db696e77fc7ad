namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>
/// Starts the sensor's setup program and waits for it. On Windows it runs the extracted
/// "Azure ATP sensor Setup.exe" itself; in the lab it runs the stand-in setup program.
/// </summary>
public interface ISetupLauncher
{
    /// <summary>Runs the setup with exactly these arguments (never holding a secret) and returns its exit code.</summary>
    ValueTask<int> RunAsync(SetupInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>One run of the sensor setup.</summary>
/// <param name="SetupPath">The setup program in the extracted folder (never inside the zip).</param>
/// <param name="Arguments">The switches, for example <c>/quiet</c>, <c>NetFrameworkCommandLineArguments="/q"</c>, <c>AccessKeyFile=...</c>.</param>
/// <param name="LogDirectory">Where the setup writes its logs (the %TEMP% of the installing account).</param>
public sealed record SetupInvocation(string SetupPath, IReadOnlyList<string> Arguments, string LogDirectory);
