using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MdiFlow.Testing;
using MdiFlow.Web.Tests.Support;

namespace MdiFlow.Web.Tests.Cli;

/// <summary><c>mdiflow serve</c> as an operator starts it: the real program, as a child process.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class ServeCommandTests(Chromium chromium) : IDisposable
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

    [Fact]
    public async Task Serve_lab_opens_the_store_mdiflow_json_selects_and_what_bob_does_there_in_the_browser_is_in_that_store()
    {
        var store = _temp.Combine("state", "board.db");
        Directory.CreateDirectory(Path.GetDirectoryName(store)!);
        var config = _temp.Combine("mdiflow.json");
        await File.WriteAllTextAsync(config, new JsonObject { ["store"] = "sqlite:" + store }.ToJsonString());
        var workflow = _temp.Combine("task.json");
        await File.WriteAllTextAsync(workflow, """
            { "id": "portal-task", "title": "Portal task", "steps": [ { "id": "portal", "uses": "manualTask", "title": "Create the workspace", "with": { "instructions": "Create the workspace.", "assignees": ["user:bob"] } } ] }
            """);
        var run = await RunAsync("run", workflow, "--lab", "--as", "alice", "--config", config, "--json");
        run.ExitCode.Should().Be(10, run.Output);
        var id = JsonNode.Parse(run.Output)!["instanceId"]!.GetValue<string>();

        using var serve = Start("serve", "--lab", "--urls", "https://127.0.0.1:0", "--config", config);
        var errors = serve.StandardError.ReadToEndAsync();
        try
        {
            var announced = await AnnouncedAsync(serve);
            announced.Should().NotBeNull("serve should say where it listens; it wrote to stderr: " + (serve.HasExited ? await errors : ""));
            announced.Should().Contain("over the store sqlite:" + store);
            var site = new Uri(announced!["Change-board page on ".Length..].Split(' ')[0].TrimEnd(',').TrimEnd('/') + "/");
            await using var browser = await chromium.NewContextAsync();
            var page = await browser.NewPageAsync();
            await page.GotoAsync(site.ToString());
            await LabSignIn.SignInAsync(page, site, "bob");
            (await page.Locator("#mine").InnerTextAsync()).Should().Contain("Create the workspace").And.Contain("alice");
            await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Create the workspace" }).First.ClickAsync();
            await page.ClickAsync("#assign");
            await page.WaitForURLAsync(u => u.EndsWith("?done=assign", StringComparison.Ordinal));
            (await page.Locator("#assigned-to").InnerTextAsync()).Should().StartWith("bob");
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }

        var shown = await RunAsync("show", id, "--config", config, "--json");
        shown.ExitCode.Should().Be(0, shown.Output);
        JsonNode.Parse(shown.Output)!["waitingAt"]!["details"]!["assignedTo"]!.GetValue<string>().Should().Be("bob");
    }

    /// <summary>The line where serve says where it listens, or null when it exits first.</summary>
    private static async Task<string?> AnnouncedAsync(Process serve)
    {
        while (await serve.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
        {
            if (line.StartsWith("Change-board page on ", StringComparison.Ordinal))
            {
                return line;
            }
        }

        return null;
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, process.ExitCode is 0 or 10 ? await stdout : await stdout + await stderr);
    }

    private Process Start(params string[] args) => MdiflowProcess.Start(_temp.Path, args);

    public void Dispose() => _temp.Dispose();
}
