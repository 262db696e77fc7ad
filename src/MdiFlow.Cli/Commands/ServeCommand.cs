using System.CommandLine;
using MdiFlow.Cli.Configuration;
using MdiFlow.Cli.Hosting;
using MdiFlow.Engine;
using MdiFlow.Hosting;
using MdiFlow.Lab.Identity;
using MdiFlow.Policy;
using MdiFlow.Secrets;
using MdiFlow.Security;
using MdiFlow.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Cli.Commands;

/// <summary>
/// <c>mdiflow serve [--urls URL] [--lab]</c>: the change-board page and REST API over the store. Sign-in settings come
/// from <c>mdiflow.web.json</c> beside the store and <c>MDIFLOW_WEB_*</c> variables; <c>--lab</c> signs in through the
/// lab's own issuer instead. The page never runs steps: decisions only, every one through the engine.
/// </summary>
internal static class ServeCommand
{
    private const string LabClientId = "mdiflow-web-lab";

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen, ';'-separated (default https://localhost:5001). HTTPS needs a certificate (Kestrel:Certificates:Default in mdiflow.web.json); --lab brings its own.", DefaultValueFactory = _ => "https://localhost:5001" };
        var lab = new Option<bool>("--lab") { Description = "Rehearse: sign in through the lab's OpenID Connect issuer as alice, bob, carol or dave, over HTTPS with a self-signed certificate. Those sign-ins count as asserted names: they decide rehearsal instances only, with the rehearsal's people in every group of the installed policy." };
        var command = new Command("serve", "The change-board web page and REST API (OpenID Connect sign-in).") { urls, lab };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var globals = parsed.Globals();
            var location = globals.Store;
            var rehearsal = parsed.GetValue(lab);
            var installed = InstalledPolicy.Load(globals.Overlays());
            var policy = rehearsal ? LabRehearsal.PolicyFor(installed) : installed;
            await using var issuer = rehearsal ? await LabIdentityProvider.StartAsync(new LabIdentityOptions(), cancellationToken).ConfigureAwait(false) : null;
            var labSecret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
            var storeDirectory = location.Folder;
            var settingsFile = Path.Combine(storeDirectory, "mdiflow.web.json");
            if (File.Exists(settingsFile) && TrustedFile.Problem(settingsFile, TrustedOwners.AdministratorsOrCaller, secret: false) is { } untrusted)
            {
                throw new ActionNotAllowedException($"The page's settings {settingsFile} are refused: {untrusted} Settings that others can change could point the page at their own sign-in or certificate.");
            }

            builder.Configuration.AddJsonFile(settingsFile, optional: true).AddEnvironmentVariables("MDIFLOW_WEB_");
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.WebHost.UseUrls(parsed.GetValue(urls)!);
            if (rehearsal)
            {
                var certificate = LabTlsCertificate.Create();
                builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
            }

            var secret = issuer is null ? ClientSecret(builder.Configuration["clientSecret"]) : labSecret;
            void Configure(MdiFlowWebOptions o)
            {
                builder.Configuration.Bind(o);
                o.ClientSecret = secret;
                if (issuer is not null)
                {
                    o.Authority = issuer.Authority;
                    o.ClientId = LabClientId;
                    o.Audience = issuer.ApiAudience;
                    o.RequireHttpsMetadata = false;
                    o.RehearsalSignIn = true;
                }
            }

            var options = new MdiFlowWebOptions();
            Configure(options);
            try
            {
                options.Validate();
            }
            catch (InvalidOperationException ex)
            {
                throw new UsageException($"{ex.Message} Put them in {settingsFile} or MDIFLOW_WEB_* variables, or rehearse with 'mdiflow serve --lab'.");
            }

            if (!rehearsal && !policy.Decisions.Trusts(options.Authority))
            {
                // The issuer decides who "bob" is: only the administrator's policy may name it, never this host's settings.
                throw new ActionNotAllowedException(
                    $"The organisation policy ({policy.Source}) does not trust sign-ins from {options.Authority} (decisions.trustedIssuers"
                    + (policy.Decisions.TrustedIssuers.Count == 0 ? " names none" : $": {string.Join(", ", policy.Decisions.TrustedIssuers)}")
                    + "), so no decision taken on this page would count. Ask the administrator to add the issuer (the tokens' iss, e.g. https://login.microsoftonline.com/TENANT-ID/v2.0) to the installed policy, or rehearse with 'mdiflow serve --lab'.");
            }

            AddServices(builder.Services, globals, policy);
            builder.Services.AddMdiFlowWeb(Configure);
            builder.Services.AddDataProtection().PersistKeysToFileSystem(KeysDirectory(storeDirectory));
            await using var app = builder.Build();
            app.UseMdiFlowWeb();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
            if (issuer is not null)
            {
                var redirects = addresses.SelectMany(a => new[] { new Uri(new Uri(a), "signin-oidc"), new Uri(new Uri(a), "signout-callback-oidc") }).ToList();
                issuer.Register(new LabClient { ClientId = LabClientId, ClientSecret = labSecret, RedirectUris = redirects });
                await output.WriteLineAsync($"Rehearsal sign-in: the lab issuer at {issuer.Authority} (alice starts changes; bob, carol and dave are the change board). The certificate is self-signed: your browser will warn.").ConfigureAwait(false);
            }

            await output.WriteLineAsync($"Change-board page on {string.Join(", ", addresses)} over the store {SettingValues.Shown(Settings.Store, $"{location.Kind}:{location.Target}")}; the API is under /api, its OpenAPI document at /openapi/v1.json. Ctrl+C stops it.").ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: stop serving.
            }

            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Done;
        });
        return command;
    }

    /// <summary>
    /// The engine the page decides through: the same services as every other command (<see cref="CliSession.AddServices"/>),
    /// so the page opens whichever store the configuration selects (<c>--store</c>, <c>MDIFLOW_STORE</c>, <c>mdiflow.json</c>),
    /// with every installed plugin (their gate deciders too) and under <paramref name="policy"/>. It never runs steps, so no lab is wired.
    /// </summary>
    internal static void AddServices(IServiceCollection services, CliGlobals globals, OrganisationPolicy policy) =>
        CliSession.AddServices(services, globals, policy, host: null, lab: null, readOnly: false);

    /// <summary>The client secret is given by reference (<c>env:NAME</c> or <c>file:PATH</c>), never as a value in a file.</summary>
    private static string? ClientSecret(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        return SecretReference.IsValid(configured)
            ? SecretReference.Resolve("clientSecret", configured)
            : throw new UsageException("clientSecret must be a reference (env:NAME or file:PATH), never the secret itself.");
    }

    /// <summary>The page's cookie keys live beside the store, readable by this account only, so sign-ins survive a restart.</summary>
    private static DirectoryInfo KeysDirectory(string storeDirectory)
    {
        var path = Path.Combine(storeDirectory, ".mdiflow-web-keys");
        return OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

}
