namespace MdiFlow.Plugins.DefenderForIdentity.AccessKeys;

/// <summary>The output of <c>mdi.getAccessKey</c>: a reference to the key, never the key.</summary>
public sealed record GetAccessKeyOutput
{
    /// <summary><c>vault:NAME</c>, for <c>mdi.installSensor</c>'s <c>accessKey</c> on the same host.</summary>
    public required string AccessKeyRef { get; init; }
}
