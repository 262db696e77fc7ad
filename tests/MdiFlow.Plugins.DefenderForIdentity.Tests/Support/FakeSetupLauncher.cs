using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>Stands in for the sensor setup: records each run and answers as <see cref="Behaviour"/> says.</summary>
internal sealed class FakeSetupLauncher : ISetupLauncher
{
    public List<SetupInvocation> Runs { get; } = [];

    public Func<SetupInvocation, int> Behaviour { get; set; } = _ => 0;

    public ValueTask<int> RunAsync(SetupInvocation invocation, CancellationToken cancellationToken)
    {
        Runs.Add(invocation);
        return ValueTask.FromResult(Behaviour(invocation));
    }

    /// <summary>The file named by the AccessKeyFile= argument.</summary>
    public static string AccessKeyFileOf(SetupInvocation invocation) =>
        invocation.Arguments.Single(a => a.StartsWith("AccessKeyFile=", StringComparison.Ordinal))["AccessKeyFile=".Length..];
}
