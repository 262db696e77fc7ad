using MdiFlow.Activities;
using MdiFlow.Instances;
using System.Text.Json.Nodes;

namespace MdiFlow.Testing.Activities;

/// <summary>
/// An <see cref="ActivityContext"/> for an activity's own tests with the engine's hooks in place: what the activity
/// tracks as a secret file, and the secrets it registers, go to the given callbacks as the engine would take them.
/// </summary>
public static class EngineHooks
{
    /// <summary>A copy of <paramref name="context"/> whose secret files go to <paramref name="trackSecretFile"/> and secrets to <paramref name="registerSecret"/>.</summary>
    public static ActivityContext With(ActivityContext context, Action<string> trackSecretFile, Action<string> registerSecret)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ActivityContext(context.InstanceId, context.StepId, (JsonObject)context.Input.DeepClone())
        {
            Attempt = context.Attempt,
            IsRecovery = context.IsRecovery,
            Actor = context.Actor,
            Time = context.Time,
            Logger = context.Logger,
            CancellationToken = context.CancellationToken,
            Rehearsal = context.Rehearsal,
            SecretFileTracker = (path, _) =>
            {
                trackSecretFile(path);
                return ValueTask.CompletedTask;
            },
            SecretSink = registerSecret,
        };
    }

    /// <summary>A context for one attempt of <paramref name="step"/> with the engine's hooks in place.</summary>
    public static ActivityContext Context(InstanceId instance, string step, JsonObject input, Action<string> trackSecretFile, Action<string> registerSecret) =>
        With(new ActivityContext(instance, step, input), trackSecretFile, registerSecret);
}
