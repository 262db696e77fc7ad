namespace MdiFlow.Web;

/// <summary>
/// How the change-board page signs people in and how their tokens become the actors the engine records. The same
/// settings serve Entra ID (<c>https://login.microsoftonline.com/{tenant}/v2.0</c>) and the lab issuer.
/// </summary>
public sealed class MdiFlowWebOptions
{
    /// <summary>The OpenID Connect authority (issuer), for example <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The page's application (client) id at the issuer.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>
    /// The page's client secret at the issuer, when it is a confidential client. Never logged nor shown; give it by
    /// reference in configuration (<c>env:NAME</c> or <c>file:PATH</c>) rather than in a file.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>The audience (<c>aud</c>) that bearer tokens for <c>/api</c> must carry, for example <c>api://mdiflow</c>.</summary>
    public string Audience { get; set; } = "";

    /// <summary>Whether the issuer's metadata must come over HTTPS (true for anything but a loopback lab issuer).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim whose value is the person's name in the journal and in the policy (<c>preferred_username</c> by default; <c>upn</c> is another choice).</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>The claim that lists the person's groups (Entra ID: <c>groups</c>, group object ids unless configured to send names).</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>
    /// Where the groups of a person in too many to fit in a token (Entra ID's group overage) are read: Microsoft Graph,
    /// with the page's own client id and secret. Settings key <c>graph</c>, for example <c>"graph": { "baseUrl": "..." }</c>.
    /// </summary>
    public Security.Groups.GraphGroupsOptions Graph { get; } = new();

    /// <summary>How long a page sign-in lasts without use before the issuer is asked again.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// The issuer is a rehearsal's (the lab's): anyone can sign in there as anyone, so its sign-ins count as asserted
    /// names, which the engine accepts on rehearsal instances only.
    /// </summary>
    public bool RehearsalSignIn { get; set; }

    /// <summary>The page's public address (for links in notifications), for example <c>https://changes.contoso.com/</c>; null uses the request's.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Webhooks and mail when a gate opens, is decided or is about to expire (none by default).</summary>
    public Notifications.NotificationOptions Notifications { get; } = new();

    /// <summary>Throws when something needed is missing, naming every missing setting at once.</summary>
    /// <exception cref="InvalidOperationException">The authority, client id or audience is missing, or a Graph setting is out of range.</exception>
    public void Validate()
    {
        var missing = new List<string>();
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority))
        {
            missing.Add("Authority (the OpenID Connect issuer, for example https://login.microsoftonline.com/TENANT/v2.0)");
        }
        else if (RequireHttpsMetadata && authority.Scheme != Uri.UriSchemeHttps)
        {
            missing.Add($"an HTTPS Authority ('{Authority}' is not HTTPS; only a loopback lab issuer may use HTTP, with RequireHttpsMetadata false)");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            missing.Add("ClientId (the page's application id at the issuer)");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            missing.Add("Audience (the aud of bearer tokens for /api, for example api://mdiflow)");
        }

        missing.AddRange(Graph.Problems(RequireHttpsMetadata));
        if (Notifications.Any && PublicBaseUrl is null)
        {
            missing.Add("PublicBaseUrl (the page's public address, for the links in notifications)");
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The change-board page cannot start: it needs {string.Join("; ", missing)}.");
        }
    }
}
