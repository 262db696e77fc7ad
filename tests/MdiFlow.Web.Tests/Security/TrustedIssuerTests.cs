using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MdiFlow.Instances;
using MdiFlow.Lab.Identity;
using MdiFlow.Web.Tests.Support;

namespace MdiFlow.Web.Tests.Security;

/// <summary>
/// A web host pointed at an issuer the organisation policy does not trust (someone who can reach the store runs the
/// page with their own sign-in, whose "bob" they control): its sign-ins are real to the page and count for nothing in
/// the engine.
/// </summary>
public sealed class TrustedIssuerTests : IAsyncLifetime
{
    private const string TheDirectory = "https://login.microsoftonline.com/7d1c1a52-0c1b-4a4e-9f1e-2b1f0c1d2e3f/v2.0";

    private WebHarness _web = null!;

    public async Task InitializeAsync() => _web = await WebHarness.StartAsync(policy: _ => WebHarness.PolicyTrusting(TheDirectory));

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task Bob_from_an_untrusted_issuer_is_refused_with_403_naming_the_issuer_and_nothing_is_recorded()
    {
        var id = await _web.StartWaitingAsync(requester: "alice");
        var before = (await _web.JournalAsync(id)).Count;
        using var http = _web.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _web.Issuer.IssueAccessToken(new LabTokenRequest { UserName = "bob" }));

        var response = await http.PostAsJsonAsync($"/api/instances/{id}/decisions", new { action = "approve", step = "changeBoard", text = "from my own issuer" });

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, body);
        body.Should().Contain(_web.Issuer.Authority.TrimEnd('/')).And.Contain("does not trust");
        (await _web.JournalAsync(id)).Should().HaveCount(before);
        (await _web.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Waiting);
    }
}
