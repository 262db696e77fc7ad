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

    public static T ShouldComplete<T>(this ActivityResult result)
    {
        result.Should().BeOfType<ActivityResult.Completed>(because: "the activity should complete, but it returned {0}", result);
        var output = ((ActivityResult.Completed)result).Output;
        return output.Deserialize<T>(MdiFlowJson.Options)!;
    }

    public static ActivityError ShouldFail(this ActivityResult result, string code)
    {
        result.Should().BeOfType<ActivityResult.Failed>(because: "the activity should fail with {0}, but it returned {1}", code, result);
        var error = ((ActivityResult.Failed)result).Error;
        error.Code.Should().Be(code, because: "the message was: {0}", error.Message);
        return error;
    }
}
