namespace MdiFlow.Web.Security.Groups;

/// <summary>
/// A person's groups could not be read, so the page cannot tell what they may do: it refuses (503, with
/// <c>Retry-After</c> when Graph gave one) rather than act as if they had no groups, which could hide a rule.
/// The message says why and what fixes it; it never holds a token or the client secret.
/// </summary>
internal sealed class GroupsUnresolvedException(string why, string fix, TimeSpan? retryAfter = null)
    : Exception($"Your groups could not be resolved, so the page cannot tell what you may do here: your sign-in has more groups than fit in its token (Entra ID group overage), and {why}. {fix}")
{
    /// <summary>How long to wait before asking again, when Graph said so (429).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
