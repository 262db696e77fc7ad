using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Instances;
using MdiFlow.Serialization;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>Runs an activity the way the engine does: input as JSON, a fresh context and instance id.</summary>
internal static class Activities
{
    public static ActivityContext Context(object input, TimeProvider? time = null, bool isRecovery = false, int attempt = 1, string step = "step") =>
        new(InstanceId.New(TimeProvider.System), step, input as JsonObject ?? JsonSerializer.SerializeToNode(input, MdiFlowJson.Options)!.AsObject())
        {
            Time = time ?? TimeProvider.System,
            IsRecovery = isRecovery,
            Attempt = attempt,
        };

    public static ValueTask<ActivityResult> RunAsync(this IActivity activity, object input, TimeProvider? time = null, bool isRecovery = false) =>
        activity.ExecuteAsync(Context(input, time, isRecovery));

    public static T ShouldComplete<T>(this ActivityResult result)
    {
        result.Should().BeOfType<ActivityResult.Completed>(because: "the activity should complete, but it returned {0}", result);
        var output = ((ActivityResult.Completed)result).Output;
        return output.Deserialize<T>(MdiFlowJson.Options)!;
    }

    public static JsonNode ShouldCompleteWithJson(this ActivityResult result)
    {
        result.Should().BeOfType<ActivityResult.Completed>(because: "the activity should complete, but it returned {0}", result);
        return ((ActivityResult.Completed)result).Output!;
    }

    public static ActivityError ShouldFail(this ActivityResult result, string code)
    {
        result.Should().BeOfType<ActivityResult.Failed>(because: "the activity should fail with {0}, but it returned {1}", code, result);
        var error = ((ActivityResult.Failed)result).Error;
        error.Code.Should().Be(code, because: "the message was: {0}", error.Message);
        return error;
    }
}
