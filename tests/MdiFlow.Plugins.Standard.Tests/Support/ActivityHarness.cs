using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Instances;
using MdiFlow.Serialization;

namespace MdiFlow.Plugins.Standard.Tests.Support;

/// <summary>Runs an activity the way the engine does: input as JSON, a fresh context.</summary>
internal static class ActivityHarness
{
    public static readonly InstanceId Instance = new("test0000000000000000000000");

    public static ActivityContext Context(object input, TimeProvider? time = null, CancellationToken cancellationToken = default, int attempt = 1, bool isRecovery = false, string step = "step", MdiFlow.Rehearsals.IRehearsalEnvironment? rehearsal = null) =>
        new(Instance, step, input as JsonObject ?? JsonSerializer.SerializeToNode(input, MdiFlowJson.Options)!.AsObject())
        {
            Time = time ?? TimeProvider.System,
            CancellationToken = cancellationToken,
            Attempt = attempt,
            IsRecovery = isRecovery,
            Rehearsal = rehearsal,
        };

    public static ValueTask<ActivityResult> RunAsync(this IActivity activity, object input, TimeProvider? time = null, CancellationToken cancellationToken = default, bool isRecovery = false, MdiFlow.Rehearsals.IRehearsalEnvironment? rehearsal = null) =>
        activity.ExecuteAsync(Context(input, time, cancellationToken, isRecovery: isRecovery, rehearsal: rehearsal));

    /// <summary>A rehearsal environment whose sandbox is <paramref name="sandbox"/>.</summary>
    public sealed record Sandbox(string SandboxDirectory) : MdiFlow.Rehearsals.IRehearsalEnvironment
    {
        public string Description => "a test sandbox";

        public bool Serves(InstanceId instance) => true;
    }
}
