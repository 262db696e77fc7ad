using System.Diagnostics;
using System.Net;
using MdiFlow.Testing;
using MdiFlow.Web.Tests.Support;

namespace MdiFlow.Web.Tests.Cli;

/// <summary><c>mdiflow serve</c> as an operator starts it: the real program, as a child process.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Serve_without_sign_in_settings_names_every_missing_one_and_exits_2()
    {
        using var process = Start("serve", "--store", "sqlite:" + _temp.Combine("mdiflow.db"));
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(2);
        error.Should().Contain("Authority").And.Contain("ClientId").And.Contain("Audience").And.Contain("mdiflow.web.json");
    }

    [Fact]
    public async Task Serve_over_a_policy_that_trusts_no_issuer_refuses_to_start_naming_the_setting_and_exits_5()
    {
        var settings = new Dictionary<string, string>
        {
            ["MDIFLOW_WEB_Authority"] = "https://login.microsoftonline.com/7d1c1a52-0c1b-4a4e-9f1e-2b1f0c1d2e3f/v2.0",
            ["MDIFLOW_WEB_ClientId"] = "mdiflow-web",
            ["MDIFLOW_WEB_Audience"] = "api://mdiflow",
            ["MDIFLOW_WEB_ClientSecret"] = "env:MDIFLOW_TEST_CLIENT_SECRET",
            ["MDIFLOW_TEST_CLIENT_SECRET"] = "not-a-real-secret",
        };
        using var process = MdiflowProcess.Start(_temp.Path, settings, "serve", "--urls", "https://127.0.0.1:0", "--store", "sqlite:" + _temp.Combine("mdiflow.db"));
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(5, error);
        error.Should().Contain("decisions.trustedIssuers").And.Contain("https://login.microsoftonline.com/7d1c1a52-0c1b-4a4e-9f1e-2b1f0c1d2e3f/v2.0").And.NotContain("not-a-real-secret");
    }

    [Fact]
    public async Task Serve_lab_listens_over_https_and_sends_a_visitor_to_the_lab_issuer()
    {
        using var process = Start("serve", "--lab", "--urls", "https://127.0.0.1:0", "--store", "sqlite:" + _temp.Combine("mdiflow.db"));
        try
        {
            string? line;
            string? address = null;
            while (address is null && (line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))) is not null)
            {
                if (line.StartsWith("Change-board page on ", StringComparison.Ordinal))
                {
                    address = line["Change-board page on ".Length..].Split(' ')[0].TrimEnd(',');
                }
            }

            address.Should().NotBeNull("serve should say where it listens");
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
            var response = await http.GetAsync(address);

            response.StatusCode.Should().Be(HttpStatusCode.Redirect);
            response.Headers.Location!.ToString().Should().Contain("/oauth2/v2.0/authorize").And.Contain("client_id=mdiflow-web-lab").And.Contain("code_challenge_method=S256");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private Process Start(params string[] args) => MdiflowProcess.Start(_temp.Path, args);

    public void Dispose() => _temp.Dispose();
}
