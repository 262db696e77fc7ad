using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Serialization;

namespace MdiFlow.Activities;

/// <summary>
/// A typed activity: the engine binds the step's <c>with</c> block to <typeparamref name="TInput"/>
/// and stores <typeparamref name="TOutput"/> as the step's output. The input schema shown to
/// authors and used by the validator is generated from <typeparamref name="TInput"/>.
/// </summary>
/// <typeparam name="TInput">The input record; mark required members <c>required</c>.</typeparam>
/// <typeparam name="TOutput">The output record; use <see cref="NoOutput"/> for none.</typeparam>
public abstract class Activity<TInput, TOutput> : IActivity
    where TInput : class
{
    /// <inheritdoc />
    public async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        TInput? input;
        try
        {
            input = context.Input.Deserialize<TInput>(MdiFlowJson.Options);
        }
        catch (JsonException ex)
        {
            return InvalidInput.Fail(context, $"it does not fit {typeof(TInput).Name}: {ex.Message}");
        }

        if (input is null)
        {
            return InvalidInput.Fail(context, "there is none.");
        }

        return await ExecuteAsync(input, context).ConfigureAwait(false);
    }

    /// <summary>Runs one attempt with the typed input.</summary>
    protected abstract ValueTask<ActivityResult> ExecuteAsync(TInput input, ActivityContext context);

    /// <summary>Completes the attempt with a typed output.</summary>
    protected static ActivityResult Complete(TOutput output) =>
        ActivityResult.Complete(JsonSerializer.SerializeToNode(output, MdiFlowJson.Options));
}

/// <summary>The output type of activities that produce none.</summary>
public sealed record NoOutput;
