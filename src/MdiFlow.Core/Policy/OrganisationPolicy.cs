using System.Security.Cryptography;
using System.Text;

namespace MdiFlow.Policy;

/// <summary>
/// The organisation's rules, kept outside workflow files and installed by the store's administrator in one trusted
/// place (<see cref="InstalledPolicy"/>): its groups, the floors every gate must meet, how decisions must be signed
/// in, who may start which workflows, whose work a process may run, when steps may be skipped, and whether
/// rehearsals are allowed. A workflow can be stricter than the floors, never looser; a caller can only tighten it.
/// </summary>
public sealed record OrganisationPolicy
{
    /// <summary>Groups by name, each a list of user names (case-insensitive).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Groups { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The floors of every approval gate.</summary>
    public GateFloors Gates { get; init; } = new();

    /// <summary>How the people who decide at gates must have signed in.</summary>
    public DecisionRules Decisions { get; init; } = new();

    /// <summary>Who may start which workflows; empty means anyone may start any workflow.</summary>
    public IReadOnlyList<StartRule> Start { get; init; } = [];

    /// <summary>Whose instances a process may run when it does not run as the account that started them.</summary>
    public RunRules Run { get; init; } = new();

    /// <summary>When an operator may skip a failed step.</summary>
    public SkipRules Skip { get; init; } = new();

    /// <summary>Whether rehearsals (<c>--lab</c>) are allowed on this host, and whether their steps may do real work.</summary>
    public RehearsalRules Rehearsals { get; init; } = new();

    /// <summary>SHA-256 of the policy text (or of the texts it was combined from); recorded at start and with every decision.</summary>
    public string Hash { get; init; } = "";

    /// <summary>Where the policy came from, for messages.</summary>
    public string Source { get; init; } = "built-in defaults";

    /// <summary>The properties the policy text gave explicitly (<c>gates.minApprovals</c>, <c>start</c>...), to tell an explicit value from a default.</summary>
    internal IReadOnlySet<string> Given { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>No groups; a gate needs one approval, the requester may not approve; anyone may start; rehearsals allowed.</summary>
    public static OrganisationPolicy Default { get; } = new() { Hash = HashOf("{}") };

    /// <summary>Whether <paramref name="actor"/>'s sign-in comes from an issuer the policy trusts (<see cref="DecisionRules.TrustedIssuers"/>).</summary>
    public bool Trusts(Journal.Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Decisions.Trusts(actor.Claims.TryGetValue("iss", out var issuer) ? issuer : null);
    }

    /// <summary>Whether <paramref name="user"/> belongs to <paramref name="group"/>.</summary>
    public bool IsMember(string user, string group) =>
        Groups.TryGetValue(group, out var members) && members.Any(m => string.Equals(m, user, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses policy JSON (see <see cref="PolicyText"/> for the format).</summary>
    /// <exception cref="PolicyException">It is not a policy; the message says where.</exception>
    public static OrganisationPolicy Parse(string json, string source) => PolicyText.Parse(json, source);

    /// <summary>
    /// This policy made stricter by <paramref name="overlay"/> (a policy a caller names): both must allow whatever is
    /// done. An overlay that would loosen any rule is refused.
    /// </summary>
    /// <exception cref="Engine.ActionNotAllowedException">The overlay loosens a rule; the message lists every one.</exception>
    public OrganisationPolicy TightenedBy(OrganisationPolicy overlay) => PolicyTightening.Combine(this, overlay);

    internal bool Says(string property) => Given.Contains(property);

    internal static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>What every approval gate must at least require.</summary>
public sealed record GateFloors
{
    /// <summary>At least this many distinct approvers.</summary>
    public int MinApprovals { get; init; } = 1;

    /// <summary>When false, no gate lets the person who started the instance approve it.</summary>
    public bool RequesterMayApprove { get; init; }

    /// <summary>No gate waits longer than this before its expiry action.</summary>
    public TimeSpan? MaxExpiry { get; init; }

    /// <summary>Only members of this group can approve, whatever the workflow lists.</summary>
    public string? RequiredApproverGroup { get; init; }
}

/// <summary>How the people who decide at gates must have signed in (web page and API; an OS account never satisfies MFA).</summary>
public sealed record DecisionRules
{
    /// <summary>Decisions need a multi-factor sign-in (<c>mfa</c> in the token's <c>amr</c>).</summary>
    public bool RequireMfa { get; init; }

    /// <summary>Decisions need a sign-in (<c>auth_time</c>) no older than this.</summary>
    public TimeSpan? MaxSignInAge { get; init; }

    /// <summary>
    /// The OpenID Connect issuers (the tokens' <c>iss</c>, e.g. <c>https://login.microsoftonline.com/TENANT-ID/v2.0</c>)
    /// whose sign-ins count on real instances. None by default: a web host cannot make its own issuer's people
    /// approvers; the administrator names the directory the change board signs in through.
    /// </summary>
    public IReadOnlyList<string> TrustedIssuers { get; init; } = [];

    /// <summary>Whether a sign-in from <paramref name="issuer"/> counts (compared exactly, ignoring a trailing slash).</summary>
    public bool Trusts(string? issuer) =>
        issuer is not null && TrustedIssuers.Any(t => string.Equals(Normal(t), Normal(issuer), StringComparison.Ordinal));

    internal static string Normal(string issuer) => issuer.TrimEnd('/');
}

/// <summary>Who may start which workflows.</summary>
/// <param name="Who">Principals: <c>user:NAME</c>, <c>group:NAME</c>, or <c>*</c> for anyone.</param>
/// <param name="Workflows">Definition hashes (<c>sha256:HEX</c>, also given as <c>file:PATH</c> of a trusted workflow file, hashed when the policy loads) or <c>*</c> for any.</param>
public sealed record StartRule(IReadOnlyList<string> Who, IReadOnlyList<string> Workflows);

/// <summary>Whose instances a process may run when it is not the account that started them.</summary>
public sealed record RunRules
{
    /// <summary>Requesters (<c>user:</c>/<c>group:</c>, or <c>*</c>) whose instances other accounts — a worker service, another operator — may run.</summary>
    public IReadOnlyList<string> ForOthers { get; init; } = [];
}

/// <summary>When an operator may skip a failed step. A gate can never be skipped.</summary>
public sealed record SkipRules
{
    /// <summary>Whether a step that a later gate's approvers rely on (any step before a gate) may be skipped.</summary>
    public bool BeforeGate { get; init; }
}

/// <summary>Whether rehearsals are allowed.</summary>
public sealed record RehearsalRules
{
    /// <summary>When false, this host refuses rehearsals and asserted identities.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Whether a rehearsal step marked <c>"rehearse": "run"</c> may do its real work (a step with no rehearsal double).</summary>
    public bool AllowRealSteps { get; init; }
}

/// <summary>The policy cannot be read: the message says which file, where, and what to do.</summary>
public sealed class PolicyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PolicyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PolicyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
