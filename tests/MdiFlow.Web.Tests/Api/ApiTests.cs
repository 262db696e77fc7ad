using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Lab.Identity;
using MdiFlow.Web.Tests.Support;

namespace MdiFlow.Web.Tests.Api;

public sealed class ApiTests : IAsyncLifetime
{
    private WebHarness _web = null!;

    public async Task InitializeAsync() => _web = await WebHarness.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task A_token_from_another_issuer_an_expired_token_a_bad_signature_or_none_is_refused_with_401()
    {
        await using var other = await LabIdentityProvider.StartAsync(new LabIdentityOptions());
        var good = _web.Issuer.IssueAccessToken(new LabTokenRequest { UserName = "bob" });
        var signature = good[(good.LastIndexOf('.') + 1)..];
        var badSignature = good[..(good.LastIndexOf('.') + 1)] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];
        var expired = _web.Issuer.IssueAccessToken(new LabTokenRequest { UserName = "bob", IssuedAt = TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(2) });

        (await GetAsync("/api/instances", good)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await GetAsync("/api/instances", other.IssueAccessToken(new LabTokenRequest { UserName = "bob" }))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await GetAsync("/api/instances", expired)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await GetAsync("/api/instances", badSignature)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await GetAsync("/api/instances", token: null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_API_answers_list_get_and_journal_in_exactly_the_shapes_the_CLI_prints()
    {
        var id = await _web.StartWaitingAsync();
        var token = _web.Issuer.IssueAccessToken(new LabTokenRequest { UserName = "carol" });

        var list = await JsonAsync("/api/instances", token);
        var show = await JsonAsync($"/api/instances/{id}", token);
        var audit = await JsonAsync($"/api/instances/{id.Value[..8]}/journal", token);

        await SameAsCliAsync(list, "list", "--json");
        await SameAsCliAsync(show, "show", id.Value, "--json");
        await SameAsCliAsync(audit, "audit", id.Value, "--json");
        show["waitingAt"]!["step"]!.GetValue<string>().Should().Be("changeBoard");
    }

    [Fact]
    public async Task Bob_approves_through_the_API_the_requester_is_refused_with_403_and_a_rejection_needs_a_reason()
    {
        var id = await _web.StartWaitingAsync(requester: "alice");
        var before = (await _web.JournalAsync(id)).Count;

        var byAlice = await PostAsync($"/api/instances/{id}/decisions", _web.Issuer.IssueAccessToken(new LabTokenRequest { UserName = "alice" }), new { action = "approve", text = "mine" });
        var noReason = await PostAsync($"/api/instances/{id}/decisions", _web.Issuer.IssueAccessToken(new LabTokenRequest { UserName = "dave" }), new { action = "reject" });
        var countAfterRefusals = (await _web.JournalAsync(id)).Count;
        var byBob = await PostAsync($"/api/instances/{id}/decisions", _web.Issuer.IssueAccessToken(new LabTokenRequest { UserName = "bob" }), new { action = "approve", step = "changeBoard", text = "via the API" });

        byAlice.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        byAlice.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        noReason.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noReason.Content.ReadAsStringAsync()).Should().Contain("needs a reason");
        countAfterRefusals.Should().Be(before);
        byBob.StatusCode.Should().Be(HttpStatusCode.OK, await byBob.Content.ReadAsStringAsync());
        var answer = JsonNode.Parse(await byBob.Content.ReadAsStringAsync())!;
        answer["status"]!.GetValue<string>().Should().Be("ready");
        var decided = (await _web.JournalAsync(id)).Single(e => e.Kind == "gate.decided");
        (decided.Actor, decided.ActorSource).Should().Be(("bob", "oidc"));
        (await _web.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Ready);
    }

    [Fact]
    public async Task Carol_takes_a_manual_task_through_the_API_then_daves_completion_is_refused_with_403_and_hers_is_recorded()
    {
        var id = await _web.StartWaitingAsync(requester: "alice", workflow: WebHarness.TaskWorkflow);
        string Token(string person) => _web.Issuer.IssueAccessToken(new LabTokenRequest { UserName = person });

        var taken = await PostAsync($"/api/instances/{id}/decisions", Token("carol"), new { action = "assign" });
        var before = (await _web.JournalAsync(id)).Count;
        var byDave = await PostAsync($"/api/instances/{id}/decisions", Token("dave"), new { action = "complete", text = "done by dave" });
        var takenByDave = await PostAsync($"/api/instances/{id}/decisions", Token("dave"), new { action = "assign" });
        var countAfterRefusals = (await _web.JournalAsync(id)).Count;
        var done = await PostAsync($"/api/instances/{id}/decisions", Token("carol"), new { action = "complete", step = "portal", text = "sensor added" });

        taken.StatusCode.Should().Be(HttpStatusCode.OK, await taken.Content.ReadAsStringAsync());
        var answer = JsonNode.Parse(await taken.Content.ReadAsStringAsync())!;
        answer["status"]!.GetValue<string>().Should().Be("waiting");
        answer["waitingAt"]!["details"]!["assignedTo"]!.GetValue<string>().Should().Be("carol");
        byDave.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await byDave.Content.ReadAsStringAsync()).Should().Contain("is assigned to carol; only they may complete or reject it");
        takenByDave.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        countAfterRefusals.Should().Be(before);
        done.StatusCode.Should().Be(HttpStatusCode.OK, await done.Content.ReadAsStringAsync());
        var journal = await _web.JournalAsync(id);
        journal.Where(e => e.Kind is "gate.assigned" or "gate.satisfied").Select(e => (e.Kind, e.Actor, e.ActorSource))
            .Should().Equal(("gate.assigned", "carol", "oidc"), ("gate.satisfied", "carol", "oidc"));
        (await _web.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Ready);
    }

    [Fact]
    public async Task An_unknown_action_is_refused_with_400_naming_the_ones_there_are()
    {
        var id = await _web.StartWaitingAsync();

        var response = await PostAsync($"/api/instances/{id}/decisions", _web.Issuer.IssueAccessToken(new LabTokenRequest { UserName = "bob" }), new { action = "escalate" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>()
            .Should().Be("'escalate' is not a decision; use approve, reject or complete (or assign or unassign, to take a manual task or give it back).");
    }

    [Fact]
    public async Task The_OpenAPI_document_is_generated_from_the_code_and_docs_hold_the_current_one()
    {
        using var http = _web.Client();

        var generated = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;

        var paths = generated["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.Should().BeEquivalentTo("/api/instances", "/api/instances/{id}", "/api/instances/{id}/journal", "/api/instances/{id}/decisions");
        var documented = Path.Combine(Repository.Root, "docs", "api", "openapi.json");
        if (Environment.GetEnvironmentVariable("MDIFLOW_UPDATE_DOCS") == "1")
        {
            await File.WriteAllTextAsync(documented, generated.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }

        JsonNode.DeepEquals(JsonNode.Parse(await File.ReadAllTextAsync(documented)), generated)
            .Should().BeTrue("docs/api/openapi.json must be the document the code generates; run the tests with MDIFLOW_UPDATE_DOCS=1 to refresh it");
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var http = _web.Client();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.GetAsync(path);
    }

    private async Task<JsonNode> JsonAsync(string path, string token)
    {
        var response = await GetAsync(path, token);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string token, object body)
    {
        using var http = _web.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.PostAsJsonAsync(path, body);
    }

    private async Task SameAsCliAsync(JsonNode api, params string[] args)
    {
        var cli = await CliJsonAsync(args);
        JsonNode.DeepEquals(api, cli).Should().BeTrue($"{args[0]}: the API answered\n{api}\nand the CLI printed\n{cli}");
    }

    /// <summary>What the real <c>mdiflow</c> prints for the same store.</summary>
    private async Task<JsonNode> CliJsonAsync(params string[] args)
    {
        using var process = MdiflowProcess.Start(AppContext.BaseDirectory, [.. args, "--store", "sqlite:" + _web.StorePath]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, await stderr);
        return JsonNode.Parse(await stdout)!;
    }
}
