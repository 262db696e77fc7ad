using System.Net.Http.Headers;
using Azure.Core;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>
/// Puts a bearer token from the registered <see cref="TokenCredential"/> on requests to the configured Graph root
/// (scope <c>{GraphBaseAddress}/.default</c>). Requests to any other host go without one.
/// </summary>
internal sealed class GraphAuthenticationHandler(TokenCredential credential, IOptions<DefenderForIdentityOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var root = options.Value.GraphBaseAddress;
        if (request.RequestUri is { } target &&
            Uri.Compare(target, root, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            var scope = root.GetLeftPart(UriPartial.Authority) + "/.default";
            var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
