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

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => _rsa.Dispose();
}
