using MdiFlow.Engine;
using MdiFlow.Security;
using MdiFlow.Serialization;

namespace MdiFlow.Policy;

/// <summary>
/// Finds the policy in force: the one the administrator installed in the system location
/// (<c>/etc/mdiflow/policy.json</c>; <c>%ProgramData%\MdiFlow\policy.json</c> on Windows), else the built-in defaults,
/// then tightened by any policy a caller names. A policy file that anyone but an administrator could change is refused
/// with its path and the fix, as ssh refuses such keys.
/// </summary>
public static class InstalledPolicy
{
    /// <summary>The system location of this platform.</summary>
    public static string SystemPath { get; } = OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "MdiFlow", "policy.json")
        : "/etc/mdiflow/policy.json";

    /// <summary>Loads the installed policy and tightens it with each of <paramref name="overlays"/>, in order.</summary>
    /// <param name="overlays">Policies a caller names; each may only tighten.</param>
    /// <param name="systemPath">Where the installed policy is; the platform's <see cref="SystemPath"/> unless an embedder's own code says otherwise.</param>
    /// <exception cref="PolicyException">A policy file is not valid, or a named one does not exist.</exception>
    /// <exception cref="ActionNotAllowedException">A policy file could be changed by others, or an overlay would loosen the installed policy.</exception>
    public static OrganisationPolicy Load(IEnumerable<PolicyOverlay> overlays, string? systemPath = null)
    {
        ArgumentNullException.ThrowIfNull(overlays);
        var path = systemPath ?? SystemPath;
        var policy = FileStatus.Of(path).Exists
            ? Read(path, $"{path} (installed)", TrustedOwners.Administrators)
            : OrganisationPolicy.Default with { Source = $"the built-in defaults (no policy is installed at {path})" };
        foreach (var overlay in overlays)
        {
            policy = policy.TightenedBy(Read(overlay.Path, $"{overlay.Path} ({overlay.Origin})", TrustedOwners.AdministratorsOrCaller));
        }

        return policy;
    }

    private static OrganisationPolicy Read(string path, string source, TrustedOwners owners)
    {
        if (!TextFile.TryRead(path, out var text, out var problem))
        {
            throw new PolicyException($"The policy {source} cannot be used: {problem}.");
        }

        if (TrustedFile.Problem(path, owners, secret: false) is { } untrusted)
        {
            throw new ActionNotAllowedException($"The policy {source} is refused: {untrusted} A policy that others can change could hand them the right to approve.");
        }

        return PolicyText.Parse(text, source, owners);
    }
}

/// <summary>A policy file a caller names, which may only tighten the installed one.</summary>
/// <param name="Path">The file.</param>
/// <param name="Origin">How it was named, for messages: <c>--policy</c>, <c>MDIFLOW_POLICY</c>, <c>beside the store</c>.</param>
public sealed record PolicyOverlay(string Path, string Origin);
