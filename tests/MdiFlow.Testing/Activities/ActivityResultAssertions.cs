using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Serialization;

namespace MdiFlow.Testing.Activities;

/// <summary>Assertions on an activity's closed result, shared by every plugin's tests.</summary>
public static class ActivityResultAssertions
{
    /// <summary>Asserts the attempt completed and reads its output as <typeparamref name="T"/>.</summary>
    public static T ShouldComplete<T>(this ActivityResult result) =>
        result.ShouldCompleteWithJson().Deserialize<T>(MdiFlowJson.Options)!;

    /// <summary>Asserts the attempt completed and returns its output JSON.</summary>
    public static JsonNode ShouldCompleteWithJson(this ActivityResult result)
    {
        result.Should().BeOfType<ActivityResult.Completed>(because: "the activity should complete, but it returned {0}", result);
        return ((ActivityResult.Completed)result).Output!;
    }

    /// <summary>Asserts the attempt failed with <paramref name="code"/> and returns the error.</summary>
    public static ActivityError ShouldFail(this ActivityResult result, string code)
    {
        result.Should().BeOfType<ActivityResult.Failed>(because: "the activity should fail with {0}, but it returned {1}", code, result);
        var error = ((ActivityResult.Failed)result).Error;
        error.Code.Should().Be(code, because: "the message was: {0}", error.Message);
        return error;
    }
}
