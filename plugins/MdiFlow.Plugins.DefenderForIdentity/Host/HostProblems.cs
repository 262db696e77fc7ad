using MdiFlow.Activities;

namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>The one way the activities report host facts they could not read.</summary>
internal static class HostProblems
{
    public const string UnsupportedCode = "host.unsupported";
    public const string UnavailableCode = "host.factsUnavailable";

    public static ActivityResult Fail(ActivityContext context, string activity, HostFactsException exception) =>
        ActivityResult.Fail(exception is HostUnsupportedException
            ? new ActivityError(
                UnsupportedCode,
                $"Step '{context.StepId}' ({activity}) must run on the Windows server being deployed. {exception.Message}", Permanent: true)
            {
                Fix = "Run this step with MdiFlow on the domain controller or standalone-sensor server itself (a worker on that host), or use --lab to rehearse the workflow against a simulated host.",
            }
            : new ActivityError(
                UnavailableCode,
                $"Step '{context.StepId}' ({activity}) could not read the facts of this server: {exception.Message}")
            {
                Fix = "Run MdiFlow elevated on the target server with Windows PowerShell 5.1 available, fix the cause above, then retry the step.",
            });
}
