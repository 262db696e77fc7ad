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

    public static ActivityContext Context(object input, TimeProvider? time = null, CancellationToken cancellationToken = default, int attempt = 1, bool isRecovery = false, string step = "step") =>
        new(Instance, step, input as JsonObject ?? JsonSerializer.SerializeToNode(input, MdiFlowJson.Options)!.AsObject())
        {
            Time = time ?? TimeProvider.System,
            CancellationToken = cancellationToken,
            Attempt = attempt,
            IsRecovery = isRecovery,
        };

    public static ValueTask<ActivityResult> RunAsync(this IActivity activity, object input, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        activity.ExecuteAsync(Context(input, time, cancellationToken));
}
