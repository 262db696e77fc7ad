using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Instances;
using MdiFlow.Serialization;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>Runs an activity the way the engine does: input as JSON, a fresh context and instance id.</summary>
internal static class Activities
{
    public static ActivityContext Context(object input, TimeProvider? time = null, bool isRecovery = false, int attempt = 1, string step = "step", MdiFlow.Rehearsals.IRehearsalEnvironment? rehearsal = null) =>
        new(InstanceId.New(TimeProvider.System), step, input as JsonObject ?? JsonSerializer.SerializeToNode(input, MdiFlowJson.Options)!.AsObject())
        {
            Time = time ?? TimeProvider.System,
            IsRecovery = isRecovery,
            Attempt = attempt,
            Rehearsal = rehearsal,
        };

    /// <summary>Runs one attempt; <paramref name="rehearsal"/> is what the engine sets on every attempt of a rehearsal.</summary>
    public static ValueTask<ActivityResult> RunAsync(this IActivity activity, object input, TimeProvider? time = null, bool isRecovery = false, MdiFlow.Rehearsals.IRehearsalEnvironment? rehearsal = null) =>
        activity.ExecuteAsync(Context(input, time, isRecovery, rehearsal: rehearsal));
}
