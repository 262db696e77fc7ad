using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Plugins.DefenderForIdentity.Auditing;

/// <summary>The auditing that applies to this server, read from its role facts.</summary>
internal static class AuditScopes
{
    public static AuditScope Of(ServerFacts server) => new(
        server.IsDomainController,
        server.Roles.Contains("adfs"),
        server.Roles.Contains("adcs"),
        server.Roles.Contains("entraConnect"));

    public static string Describe(IEnumerable<AuditFinding> findings) =>
        string.Join(" ", findings.Select(f => $"{f.Configuration}: {f.Found} (needs {f.Expected}). Fix: {f.Fix}"));

    public static IReadOnlyDictionary<string, string> Details(IEnumerable<AuditFinding> findings, string prefix = "") =>
        findings.ToDictionary(f => prefix + f.Configuration, f => $"{f.Status.ToString().ToLowerInvariant()}: {f.Found}");

    /// <summary>Reads the server's roles and its auditing; null with <paramref name="failure"/> when the host cannot be read.</summary>
    public static async Task<(AuditScope Scope, IReadOnlyList<AuditFinding> Findings)?> EvaluateAsync(
        IHostFacts host, IAuditSettings settings, ActivityContext context, string activity, Action<ActivityResult> failure)
    {
        try
        {
            var server = await host.GetServerAsync(context.CancellationToken).ConfigureAwait(false);
            var scope = Of(server);
            var facts = await settings.ReadAsync(scope, context.CancellationToken).ConfigureAwait(false);
            return (scope, AuditRules.Evaluate(scope, facts));
        }
        catch (HostFactsException ex)
        {
            failure(HostProblems.Fail(context, activity, ex));
            return null;
        }
    }
}
