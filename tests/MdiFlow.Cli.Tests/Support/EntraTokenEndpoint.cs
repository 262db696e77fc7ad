using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Cli.Tests.Support;

/// <summary>
/// Entra ID's v2.0 token endpoint on 127.0.0.1 over HTTPS, answering the client-credentials grant as
/// login.microsoftonline.com does (<c>POST /{tenant}/oauth2/v2.0/token</c>): a token for a known tenant and an app with
/// admin consent; <c>400 invalid_request AADSTS90002</c> for a tenant that does not exist; <c>400 invalid_grant
/// AADSTS65001</c> (<c>suberror: consent_required</c>) for an app nobody consented to. Its certificate is issued by a CA
/// of its own, written to <see cref="TrustFile"/>: a process started with <c>SSL_CERT_FILE</c> pointing there trusts it,
/// as a host trusts a corporate CA.
/// </summary>
public sealed class EntraTokenEndpoint : IAsyncDisposable
{
    /// <summary>The error descriptions Entra ID gives, which must never reach an operator as they are.</summary>
    public const string TenantNotFound = "AADSTS90002: Tenant '{0}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.";

    public const string ConsentRequired = "AADSTS65001: The user or administrator has not consented to use the application with ID '{0}' named 'MdiFlow deployment'. Send an interactive authorization request for this user and resource.";

    private readonly WebApplication _app;
    private readonly MdiFlow.Testing.TempDirectory _folder;

    private EntraTokenEndpoint(WebApplication app, MdiFlow.Testing.TempDirectory folder, string trustFile)
    {
        _app = app;
        _folder = folder;
        TrustFile = trustFile;
    }

    /// <summary>The tenant that exists.</summary>
    public string Tenant { get; } = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    /// <summary>The app with admin consent.</summary>
    public string ConsentedClient { get; } = "3f6e2b1a-4b7c-4d2e-9f3a-5c6d7e8f9a0b";

    /// <summary>An app that exists but that no administrator consented to.</summary>
    public string UnconsentedClient { get; } = "9d1f0e2c-7a6b-4c5d-8e9f-0a1b2c3d4e5f";

    /// <summary>The authority host to configure: <c>https://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The CA certificate (PEM) to trust with <c>SSL_CERT_FILE</c>.</summary>
    public string TrustFile { get; }

    /// <summary>Every request: method and path.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<EntraTokenEndpoint> StartAsync()
    {
        var folder = new MdiFlow.Testing.TempDirectory();
        var (ca, server) = Certificates();
        var trust = folder.Combine("entra-test-ca.pem");
        await File.WriteAllTextAsync(trust, ca.ExportCertificatePem());
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(server)));
        var app = builder.Build();
        var endpoint = new EntraTokenEndpoint(app, folder, trust);
        app.Run(endpoint.HandleAsync);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        endpoint.Address = new Uri(bound.TrimEnd('/') + "/");
        return endpoint;
    }

    private async Task HandleAsync(HttpContext http)
    {
        Requests.Enqueue($"{http.Request.Method} {http.Request.Path}");
        var segments = http.Request.Path.Value!.Trim('/').Split('/');
        if (!HttpMethods.IsPost(http.Request.Method) || segments is not [var tenant, "oauth2", "v2.0", "token"] || !http.Request.HasFormContentType)
        {
            await ErrorAsync(http, 404, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests.", 900561);
            return;
        }

        var form = await http.Request.ReadFormAsync();
        if (!string.Equals(tenant, Tenant, StringComparison.OrdinalIgnoreCase))
        {
            await ErrorAsync(http, 400, "invalid_request", string.Format(System.Globalization.CultureInfo.InvariantCulture, TenantNotFound, tenant), 90002);
            return;
        }

        var client = form["client_id"].ToString();
        if (form["grant_type"] != "client_credentials" || form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || form["client_assertion"].ToString().Split('.').Length != 3)
        {
            await ErrorAsync(http, 400, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'client_assertion'.", 900144);
            return;
        }

        if (client == UnconsentedClient)
        {
            await ErrorAsync(http, 400, "invalid_grant", string.Format(System.Globalization.CultureInfo.InvariantCulture, ConsentRequired, client), 65001, "consent_required");
            return;
        }

        if (client != ConsentedClient)
        {
            await ErrorAsync(http, 400, "unauthorized_client", $"AADSTS700016: Application with identifier '{client}' was not found in the directory '{tenant}'.", 700016);
            return;
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJyb2xlcyI6W119.",
        }.ToJsonString());
    }

    /// <summary>An error as Entra ID writes it: <c>error</c>, <c>error_description</c> with trace and correlation ids, <c>error_codes</c>, ...</summary>
    private static Task ErrorAsync(HttpContext http, int status, string error, string description, int code, string? suberror = null)
    {
        var trace = Guid.NewGuid().ToString();
        var correlation = Guid.NewGuid().ToString();
        var body = new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"{description}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: 2026-12-01 10:00:00Z",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = "2026-12-01 10:00:00Z",
            ["trace_id"] = trace,
            ["correlation_id"] = correlation,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={code}",
        };
        if (suberror is not null)
        {
            body["suberror"] = suberror;
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(body.ToJsonString());
    }

    private static (X509Certificate2 Ca, X509Certificate2 Server) Certificates()
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=MdiFlow test CA (Entra token endpoint)", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(now, now.AddYears(20));

        using var serverKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var issued = request.Create(ca, now, now.AddYears(10), RandomNumberGenerator.GetBytes(16));
        var server = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pfx), null);
        return (ca, server);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Dispose();
    }
}
