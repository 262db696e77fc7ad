using System.Text.Json;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace MdiFlow.Web.Security.Groups;

/// <summary>
/// The page's own app-only token for Graph: the client-credentials grant at the token endpoint its issuer's metadata
/// names (the same authority, client id and secret the page signs people in with), kept in memory until shortly before
/// it expires. The token and the secret never appear in a message or a log.
/// </summary>
internal sealed class AppOnlyToken(IOptions<MdiFlowWebOptions> options, IOptionsMonitor<OpenIdConnectOptions> signIn, IHttpClientFactory clients, TimeProvider time)
{
    public const string HttpClientName = "mdiflow-graph";

    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Held? _token;

    /// <summary>A token for <see cref="GraphGroupsOptions.Scope"/>.</summary>
    /// <exception cref="GroupsUnresolvedException">The page has no secret, or the issuer cannot be reached or refuses.</exception>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_token is { } held && time.GetUtcNow() < held.RenewAt)
        {
            return held.Value;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } renewed && time.GetUtcNow() < renewed.RenewAt)
            {
                return renewed.Value;
            }

            var (value, lifetime) = await RequestAsync(cancellationToken).ConfigureAwait(false);
            _token = new Held(value, time.GetUtcNow() + (lifetime > RenewBefore * 2 ? lifetime - RenewBefore : lifetime / 2));
            return value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops <paramref name="value"/> (Graph did not accept it), so the next call asks the issuer again.</summary>
    public void Forget(string value)
    {
        if (_token is { } held && held.Value == value)
        {
            _token = null;
        }
    }

    private sealed record Held(string Value, DateTimeOffset RenewAt)
    {
        // The token never appears in a log or a message, even by accident.
        public override string ToString() => $"app-only token until {RenewAt:O}";
    }

    private async Task<(string Value, TimeSpan Lifetime)> RequestAsync(CancellationToken cancellationToken)
    {
        var web = options.Value;
        if (string.IsNullOrEmpty(web.ClientSecret))
        {
            throw new GroupsUnresolvedException("the page has no client secret to ask Microsoft Graph for them",
                "Give the page's app registration a client secret (clientSecret: env:NAME or file:PATH) and grant it the Microsoft Graph application permission GroupMember.Read.All with admin consent.");
        }

        string endpoint;
        try
        {
            var oidc = signIn.Get(OpenIdConnectDefaults.AuthenticationScheme);
            var configuration = oidc.Configuration
                ?? await (oidc.ConfigurationManager ?? throw new InvalidOperationException("the sign-in has no metadata source")).GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            endpoint = configuration.TokenEndpoint;
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            throw new GroupsUnresolvedException($"the issuer's metadata ({web.Authority}) could not be read to find its token endpoint ({ex.Message})",
                "Check that the page can reach its issuer; try again.");
        }

        var client = clients.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsync(endpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = web.ClientId,
                ["client_secret"] = web.ClientSecret,
                ["scope"] = web.Graph.Scope,
            }), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new GroupsUnresolvedException($"the issuer's token endpoint ({endpoint}) could not be reached ({ex.Message})", "Check that the page can reach its issuer; try again.");
        }

        using (response)
        {
            var body = await JsonAnswer.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && JsonAnswer.Text(body, "access_token") is { Length: > 0 } token)
            {
                var seconds = body.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var n) ? n : 3600;
                return (token, TimeSpan.FromSeconds(Math.Max(seconds, 60)));
            }

            // Entra's descriptions end with trace and correlation ids on later lines; the first line says what is wrong.
            var description = (JsonAnswer.Text(body, "error_description") ?? "").Split('\n')[0].Trim();
            throw new GroupsUnresolvedException(
                $"the issuer refused the page's app-only token request for {web.Graph.Scope} ({(int)response.StatusCode} {JsonAnswer.Text(body, "error") ?? "error"}: {description})",
                $"Check the page's client id ({web.ClientId}) and client secret at the issuer, and that the secret has not expired.");
        }
    }
}
