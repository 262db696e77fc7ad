using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MdiFlow.Lab.Identity;

/// <summary>The claims of the issuer's ID and access tokens, shaped as Entra ID's v2.0 tokens are.</summary>
internal sealed class TokenFactory(SigningKey key, LabIdentityOptions options, string issuer)
{
    /// <summary>Microsoft Graph's application id URI, the audience of app-only tokens for Graph.</summary>
    public const string GraphResource = "https://graph.microsoft.com";

    /// <summary>Microsoft Graph's application (client) id, which a scope may name instead of its URI.</summary>
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    public string IdToken(SignInSession signIn, string clientId, string? nonce)
    {
        var claims = Common(signIn, clientId);
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        return key.Sign(claims);
    }

    public string AccessToken(SignInSession signIn, string? clientId, string? audience = null, DateTimeOffset? issuedAt = null)
    {
        var claims = Common(signIn, audience ?? options.ApiAudience, issuedAt);
        claims["scp"] = "Decisions.Write";
        if (clientId is not null)
        {
            claims["azp"] = clientId;
        }

        return key.Sign(claims);
    }

    /// <summary>
    /// An app-only token (client credentials) for <paramref name="audience"/>, as Entra ID issues one for Graph: the
    /// application's id, its service principal as <c>oid</c>/<c>sub</c>, <c>idtyp: app</c>, and the application
    /// permissions granted to it as <c>roles</c> (no <c>roles</c> claim when none are).
    /// </summary>
    public string AppToken(LabClient client, string audience, IReadOnlyList<string> roles)
    {
        var now = options.TimeProvider.GetUtcNow();
        var servicePrincipal = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("mdiflow-lab-app:" + client.ClientId))[..16]).ToString("D");
        var claims = new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = servicePrincipal,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + options.TokenLifetime).ToUnixTimeSeconds(),
            ["appid"] = client.ClientId,
            ["appidacr"] = "1",
            ["idtyp"] = "app",
            ["oid"] = servicePrincipal,
            ["tid"] = options.TenantId.ToString("D"),
            ["uti"] = SigningKey.Base64Url(RandomNumberGenerator.GetBytes(16)), // each token is distinct, so one can be revoked
            ["ver"] = "1.0",
        };
        if (roles.Count > 0)
        {
            claims["roles"] = new JsonArray([.. roles.Select(r => (JsonNode?)r)]);
        }

        return key.Sign(claims);
    }

    private JsonObject Common(SignInSession signIn, string audience, DateTimeOffset? issuedAt = null)
    {
        var now = issuedAt ?? options.TimeProvider.GetUtcNow();
        var person = signIn.Person;
        var claims = new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = person.ObjectId.ToString("D"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + options.TokenLifetime).ToUnixTimeSeconds(),
            ["auth_time"] = signIn.AuthTime.ToUnixTimeSeconds(),
            ["amr"] = new JsonArray([.. signIn.Methods.Select(m => (JsonNode?)m)]),
            ["oid"] = person.ObjectId.ToString("D"),
            ["tid"] = options.TenantId.ToString("D"),
            ["upn"] = person.UserPrincipalName,
            ["preferred_username"] = person.UserName,
            ["name"] = person.DisplayName,
            ["ver"] = "2.0",
        };
        if (person.HasGroupOverage)
        {
            // Entra ID's overage form: no groups claim, a pointer to where the groups can be read instead.
            claims["_claim_names"] = new JsonObject { ["groups"] = "src1" };
            claims["_claim_sources"] = new JsonObject
            {
                ["src1"] = new JsonObject { ["endpoint"] = $"https://graph.windows.net/{options.TenantId:D}/users/{person.ObjectId:D}/getMemberObjects" },
            };
        }
        else
        {
            claims["groups"] = new JsonArray([.. person.Groups.Select(g => (JsonNode?)g)]);
        }

        return claims;
    }
}
