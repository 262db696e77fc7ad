using Azure.Core;

namespace MdiFlow.Lab.Host;

/// <summary>Hands out the lab's bearer token, the only one the lab's Graph accepts; it never signs anyone in.</summary>
internal sealed class LabTokenCredential(string token, TimeProvider time) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, time.GetUtcNow().AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
