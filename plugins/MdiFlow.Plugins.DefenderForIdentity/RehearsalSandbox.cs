using MdiFlow.Activities;

namespace MdiFlow.Plugins.DefenderForIdentity;

/// <summary>Where a Double activity writes in a rehearsal: the sandbox of <see cref="ActivityContext.Rehearsal"/>, which the engine sets on every attempt of a rehearsal.</summary>
internal sealed class RehearsalSandbox
{
    /// <summary>The sandbox folder of this rehearsal, or null when the instance is not a rehearsal.</summary>
    public string? For(ActivityContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Rehearsal?.SandboxDirectory;
    }

    /// <summary>
    /// <paramref name="path"/> as this run may write it: unchanged for a real run; in a rehearsal, the same relative
    /// layout under the sandbox (an absolute path keeps only its last <paramref name="keep"/> parts).
    /// </summary>
    public string Confine(ActivityContext context, string path, int keep = 1)
    {
        if (For(context) is not { } sandbox)
        {
            return Path.GetFullPath(path);
        }

        var full = Path.GetFullPath(path);
        if (full.StartsWith(Path.GetFullPath(sandbox) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return full;
        }

        var parts = path.Split(['\\', '/'], StringSplitOptions.RemoveEmptyEntries);
        return Path.Combine([sandbox, .. parts.TakeLast(Math.Max(1, keep)).Where(p => p is not ("." or ".." or "") && !p.EndsWith(':'))]);
    }
}
