namespace MdiFlow.Plugins.Standard.Timing;

/// <summary>The input of <c>delay</c>.</summary>
public sealed record DelayInput
{
    /// <summary>How long to wait: ISO 8601 (<c>PT30S</c>) or <c>hh:mm:ss</c>.</summary>
    public required string Duration { get; init; }
}
