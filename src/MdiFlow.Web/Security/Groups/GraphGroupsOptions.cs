namespace MdiFlow.Web.Security.Groups;

/// <summary>
/// Where the page reads a person's groups when their token could not carry them (Entra ID's group overage: more than
/// 200 groups): Microsoft Graph's <c>transitiveMemberOf</c>, called with an app-only token the page gets from its own
/// issuer with its client id and secret (client credentials). The page's app registration needs the Graph application
/// permission <c>GroupMember.Read.All</c>, granted with admin consent.
/// </summary>
public sealed class GraphGroupsOptions
{
    /// <summary>Graph's v1.0 base URL (<c>https://graph.microsoft.com/v1.0/</c>; a national cloud's, or the lab's in rehearsals and tests).</summary>
    public Uri BaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0/");

    /// <summary>The scope of the app-only token (<c>https://graph.microsoft.com/.default</c>: the application permissions granted to the page).</summary>
    public string Scope { get; set; } = "https://graph.microsoft.com/.default";

    /// <summary>How long a person's groups read from Graph are reused (in memory only, never stored); 5 minutes by default, at most an hour.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one call to the token endpoint or to Graph may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What is wrong with these settings, one sentence each; empty when nothing is.</summary>
    /// <param name="requireHttps">Whether Graph must be reached over HTTPS (anything but a loopback lab).</param>
    internal IEnumerable<string> Problems(bool requireHttps)
    {
        if (!BaseUrl.IsAbsoluteUri)
        {
            yield return $"an absolute Graph.BaseUrl ('{BaseUrl}' is relative; for example https://graph.microsoft.com/v1.0/)";
        }
        else if (requireHttps && BaseUrl.Scheme != Uri.UriSchemeHttps)
        {
            yield return $"an HTTPS Graph.BaseUrl ('{BaseUrl}' is not HTTPS; only a loopback lab Graph may use HTTP, with RequireHttpsMetadata false)";
        }

        if (!Scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            yield return $"a Graph.Scope ending in /.default ('{Scope}'; app-only tokens carry the permissions granted to the page, for example https://graph.microsoft.com/.default)";
        }

        if (CacheFor < TimeSpan.Zero || CacheFor > TimeSpan.FromHours(1))
        {
            yield return $"a Graph.CacheFor between 00:00:00 and 01:00:00 ('{CacheFor}'; group changes must take effect within minutes)";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"a positive Graph.Timeout ('{Timeout}')";
        }
    }
}
