namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>The auditing settings off Windows: every call throws <see cref="HostUnsupportedException"/>.</summary>
internal sealed class UnsupportedAuditSettings : IAuditSettings
{
    public ValueTask<AuditFacts> ReadAsync(AuditScope scope, CancellationToken cancellationToken) => throw new HostUnsupportedException();

    public ValueTask<AuditApplyResult> ApplyAsync(AuditApplyRequest request, CancellationToken cancellationToken) => throw new HostUnsupportedException();
}
