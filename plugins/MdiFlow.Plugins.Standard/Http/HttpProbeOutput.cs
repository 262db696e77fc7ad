namespace MdiFlow.Plugins.Standard.Http;

/// <summary>The output of <c>http.probe</c>.</summary>
public sealed record HttpProbeOutput
{
    /// <summary>The HTTP status code of the response.</summary>
    public required int Status { get; init; }

    /// <summary>The milliseconds from sending the request to receiving the response headers.</summary>
    public required long LatencyMs { get; init; }
}
