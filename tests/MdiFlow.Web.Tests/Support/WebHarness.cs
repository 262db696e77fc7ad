using System.Net;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Hosting;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Lab.Identity;
using MdiFlow.Policy;
using MdiFlow.Storage;
using MdiFlow.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MdiFlow.Web.Tests.Support;

/// <summary>
/// The change-board page as it runs: the lab issuer, a real SQLite file, the real engine with the approval workflow,
/// and the page over HTTPS on 127.0.0.1 (a self-signed certificate made for the run).
/// </summary>
internal sealed class WebHarness : IAsyncDisposable
{
    public const string ClientId = "mdiflow-web-tests";
    public const string ClientSecret = "web-tests-client-secret";

    public const string Workflow = """
        { "id": "dc-sensor-change", "version": "1", "title": "Sensor rollout on DC01",
          "steps": [
            { "id": "facts", "uses": "test.facts", "title": "Check the server" },
            { "id": "changeBoard", "uses": "approval", "title": "Change-board approval",
              "with": { "approvers": ["group:change-board"], "minApprovals": 1, "expiresAfter": "P2D",
                "instructions": "Install the sensor on {{ steps.facts.output.computerName }}. Licence: {{ steps.facts.output.sku }}. Package SHA-256: {{ steps.facts.output.packageSha256 }}. <script>alert('x')</script>" } },
            { "id": "after", "uses": "test.facts", "title": "Check again" }
          ] }
        """;

    /// <summary>A manual task for the change board: one of them takes it ("assign to me") and records evidence.</summary>
    public const string TaskWorkflow = """
        { "id": "dc-portal-step", "version": "1", "title": "Portal step for DC01",
          "steps": [
            { "id": "facts", "uses": "test.facts", "title": "Check the server" },
            { "id": "portal", "uses": "manualTask", "title": "Create the sensor in the portal",
              "with": { "assignees": ["group:change-board"],
                "instructions": "In the Defender portal, add the sensor for {{ steps.facts.output.computerName }} and record its access key id." } }
          ] }
        """;

    /// <summary>The web tests' policy: bob, carol and dave are the change board, and sign-ins from <paramref name="issuer"/> count.</summary>
    /// <param name="decisions">More of the policy's <c>decisions</c> section, as JSON members (e.g. <c>"requireMfa": true</c>).</param>
    public static OrganisationPolicy PolicyTrusting(string issuer, string decisions = "") => OrganisationPolicy.Parse(
        $$"""{ "groups": { "change-board": ["bob", "carol", "dave"] }, "decisions": { "trustedIssuers": ["{{issuer}}"]{{(decisions.Length == 0 ? "" : ", " + decisions)}} } }""",
        "the web tests' policy");

    /// <summary>
    /// Besides alice, bob, carol and dave: erin, in 250 groups (more than a token carries, so hers have the overage form),
    /// the last of which is change-board, frank, in none, and grace, whose overage form hides only a cloud-only group she
    /// created herself and called change-board.
    /// </summary>
    public static IReadOnlyList<LabPerson> People { get; } =
    [
        .. LabPerson.Defaults,
        new("erin", "Erin Eriksen", [.. Enumerable.Range(1, 249).Select(i => $"team-{i:D3}"), "change-board"]),
        new("frank", "Frank Fischer", []),
        new("grace", "Grace Gallo", ["operators"]) { GroupOverage = true, CloudGroups = ["change-board"] },
    ];

    private readonly TempDirectory _temp;

    private WebHarness(TempDirectory temp, LabIdentityProvider issuer, LabDirectoryGraph graph, WebApplication app, Uri address)
    {
        _temp = temp;
        Issuer = issuer;
        Graph = graph;
        App = app;
        Address = address;
    }

    public LabIdentityProvider Issuer { get; }

    /// <summary>The lab's Graph, where the page reads the groups of a sign-in whose token overflowed.</summary>
    public LabDirectoryGraph Graph { get; }

    public WebApplication App { get; }

    /// <summary>The page's root, <c>https://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    public WorkflowEngine Engine => App.Services.GetRequiredService<WorkflowEngine>();

    public IWorkflowStore Store => App.Services.GetRequiredService<IWorkflowStore>();

    public string StorePath => _temp.Combine("mdiflow.db");

    /// <param name="map">Endpoints a test adds after the page's own (they go through the page's middleware).</param>
    /// <param name="policy">The organisation policy the engine enforces, given the lab issuer's URL; <see cref="PolicyTrusting"/> that issuer when null.</param>
    /// <param name="graphPermissions">The Graph application permissions the page's app registration was granted; <c>GroupMember.Read.All</c> when null.</param>
    /// <param name="graph">How the lab's Graph pages.</param>
    public static async Task<WebHarness> StartAsync(Action<IEndpointRouteBuilder>? map = null, Func<string, OrganisationPolicy>? policy = null,
        IReadOnlyList<string>? graphPermissions = null, LabDirectoryGraphOptions? graph = null)
    {
        var temp = new TempDirectory();
        var issuer = await LabIdentityProvider.StartAsync(new LabIdentityOptions { People = People });
        var directory = await LabDirectoryGraph.StartAsync(issuer, graph);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(TestCertificate.Value));
        });
        builder.Services.AddMdiFlow(flow => flow
            .UseSqlite(temp.Combine("mdiflow.db"))
            .UsePolicy((policy ?? (i => PolicyTrusting(i)))(issuer.Authority))
            .Configure(o => o.HostName = "DC01")
            .AddActivity<FactsActivity>());
        builder.Services.AddMdiFlowWeb(o =>
        {
            o.Authority = issuer.Authority;
            o.ClientId = ClientId;
            o.ClientSecret = ClientSecret;
            o.Audience = issuer.ApiAudience;
            o.RequireHttpsMetadata = false;
            o.Graph.BaseUrl = directory.BaseUrl;
        });
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        var app = builder.Build();
        app.UseMdiFlowWeb();
        map?.Invoke(app);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        issuer.Register(new LabClient
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            RedirectUris = [new Uri(address, "signin-oidc"), new Uri(address, "signout-callback-oidc")],
            ApplicationPermissions = graphPermissions ?? ["GroupMember.Read.All"],
        });
        return new WebHarness(temp, issuer, directory, app, address);
    }

    /// <summary>Starts an instance of <paramref name="workflow"/> (the approval workflow when null) as <paramref name="requester"/> and runs it to the gate.</summary>
    public async Task<InstanceId> StartWaitingAsync(string requester = "alice", string? workflow = null)
    {
        var loaded = App.Services.GetRequiredService<WorkflowValidator>().Parse(workflow ?? Workflow);
        loaded.Errors.Should().BeEmpty();
        var actor = new Actor(requester, ActorSources.OperatingSystem);
        var instance = await Engine.StartAsync(loaded.Definition!, new StartRequest { Actor = actor });
        var result = await Engine.RunAsync(instance.Id, new RunRequest { Actor = actor });
        result.Status.Should().Be(InstanceStatus.Waiting);
        return instance.Id;
    }

    public Uri GateUrl(InstanceId id, string step = "changeBoard") => new(Address, $"instances/{id}/gates/{step}");

    public Uri DecisionUrl(InstanceId id, string step = "changeBoard") => new(Address, $"instances/{id}/gates/{step}/decision");

    public async Task<IReadOnlyList<JournalEntry>> JournalAsync(InstanceId id) => await Store.ReadJournalAsync(id);

    /// <summary>An HttpClient that trusts the page's certificate (and only it).</summary>
    public HttpClient Client(bool followRedirects = false) => new(new HttpClientHandler
    {
        AllowAutoRedirect = followRedirects,
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) => TestCertificate.Validate(certificate),
    })
    { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Graph.DisposeAsync();
        await Issuer.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
