using System.Text;
using System.Text.Json.Nodes;
using MdiFlow.Lab.Identity;

namespace MdiFlow.Lab.Tests.Identity;

/// <summary>The client-credentials grant as an application sends it, and a look inside the tokens the issuer signs.</summary>
internal static class AppTokens
{
    public const string GraphScope = "https://graph.microsoft.com/.default";

    public static Uri TokenEndpoint(LabIdentityProvider issuer) => new(issuer.Authority.Replace("/v2.0", "/oauth2/v2.0/token", StringComparison.Ordinal));

    public static async Task<HttpResponseMessage> RequestAsync(LabIdentityProvider issuer, string clientId, string? secret, string scope = GraphScope)
    {
        using var http = new HttpClient();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["scope"] = scope };
        if (secret is not null)
        {
            form["client_secret"] = secret;
        }

        return await http.PostAsync(TokenEndpoint(issuer), new FormUrlEncodedContent(form));
    }

    /// <summary>An app-only token for Graph; fails the test when the issuer does not give one.</summary>
    public static async Task<string> ForGraphAsync(LabIdentityProvider issuer, string clientId, string secret)
    {
        var response = await RequestAsync(issuer, clientId, secret);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue(text);
        return JsonNode.Parse(text)!["access_token"]!.GetValue<string>();
    }

    /// <summary>The payload of a JWT (not verified: the tests look at what the issuer wrote).</summary>
    public static JsonObject Payload(string token)
    {
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '='))))!.AsObject();
    }
}
