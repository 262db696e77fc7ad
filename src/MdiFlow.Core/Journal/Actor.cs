namespace MdiFlow.Journal;

/// <summary>Who performs an action and how that identity was established.</summary>
/// <param name="Name">The identity, for example <c>CONTOSO\alice</c> or <c>alice</c>.</param>
/// <param name="Source">One of <see cref="ActorSources"/>.</param>
public sealed record Actor(string Name, string Source)
{
    private static readonly IReadOnlyDictionary<string, string> EmptyClaims = new Dictionary<string, string>();

    /// <summary>The engine acting on its own (conditions, timers).</summary>
    public static Actor Engine { get; } = new("mdiflow", ActorSources.Engine);

    /// <summary>
    /// How the identity was established, recorded with every decision it takes: for a sign-in, the issuer, tenant,
    /// object id, user principal name, <c>auth_time</c> and <c>amr</c>; for an OS account, its uid or SID.
    /// </summary>
    public IReadOnlyDictionary<string, string> Claims { get; init; } = EmptyClaims;

    /// <summary>The groups the identity provider says it belongs to (for example Entra group object ids), besides the policy's groups.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Whether the name was asserted (<c>--as</c>) rather than established by the OS or a sign-in.</summary>
    public bool IsAsserted => Source == ActorSources.Asserted;
}
