using System.Text.Json.Nodes;

namespace MdiFlow.Lab.Identity;

/// <summary>The claims of the issuer's ID and access tokens, shaped as Entra ID's v2.0 tokens are.</summary>
internal sealed class TokenFactory(SigningKey key, LabIdentityOptions options, string issuer)
{
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

    private JsonObject Common(SignInSession signIn, string audience, DateTimeOffset? issuedAt = null)
    {
        var now = issuedAt ?? options.TimeProvider.GetUtcNow();
        var person = signIn.Person;
        return new JsonObject
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
            ["groups"] = new JsonArray([.. person.Groups.Select(g => (JsonNode?)g)]),
            ["ver"] = "2.0",
        };
    }
}
