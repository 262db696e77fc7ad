using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MdiFlow.Lab.Identity;

/// <summary>The issuer's RSA key: signs tokens with RS256 and publishes itself as a JSON Web Key.</summary>
internal sealed class SigningKey : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public SigningKey()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        Modulus = Base64Url(parameters.Modulus!);
        Exponent = Base64Url(parameters.Exponent!);
        KeyId = Base64Url(SHA256.HashData(parameters.Modulus!))[..16];
    }

    public string KeyId { get; }

    private string Modulus { get; }

    private string Exponent { get; }

    /// <summary>The key as a JWKS entry.</summary>
    public JsonObject ToJwk() => new()
    {
        ["kty"] = "RSA",
        ["use"] = "sig",
        ["alg"] = "RS256",
        ["kid"] = KeyId,
        ["n"] = Modulus,
        ["e"] = Exponent,
    };

    /// <summary>A compact JWS: header and payload in base64url, signed with RSASSA-PKCS1-v1_5 over SHA-256.</summary>
    public string Sign(JsonObject payload)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = KeyId };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = _rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>The payload of a compact JWS this key signed (RS256, this key id); null when it is not one.</summary>
    public JsonObject? Verify(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var header = JsonNode.Parse(FromBase64Url(parts[0])) as JsonObject;
            if (header?["alg"]?.GetValue<string>() != "RS256" || header["kid"]?.GetValue<string>() != KeyId)
            {
                return null;
            }

            var signed = _rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return signed ? JsonNode.Parse(FromBase64Url(parts[1])) as JsonObject : null;
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    public void Dispose() => _rsa.Dispose();
}
