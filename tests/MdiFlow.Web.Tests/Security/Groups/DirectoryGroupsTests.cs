using System.Net;
using System.Net.Sockets;
using MdiFlow.Lab.Identity;
using MdiFlow.Web.Security.Groups;
using MdiFlow.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Web.Tests.Security.Groups;

/// <summary>The page's group lookups against the lab issuer and the lab's Graph over loopback HTTP, on a fake clock.</summary>
public sealed class DirectoryGroupsTests : IAsyncLifetime
{
    private const string Secret = "directory-tests-secret";

    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly List<ServiceProvider> _providers = [];
    private LabIdentityProvider _issuer = null!;
    private LabDirectoryGraph _graph = null!;

    private static Guid Erin => WebHarness.People.Single(p => p.UserName == "erin").ObjectId;

    public async Task InitializeAsync()
    {
        _issuer = await LabIdentityProvider.StartAsync(new LabIdentityOptions { People = WebHarness.People });
        _graph = await LabDirectoryGraph.StartAsync(_issuer);
        _issuer.Register(new LabClient { ClientId = "page", ClientSecret = Secret, RedirectUris = [], ApplicationPermissions = ["GroupMember.Read.All"] });
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _graph.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task A_persons_groups_are_read_once_reused_for_the_cache_time_and_read_again_after_it()
    {
        var groups = Groups();

        var first = await groups.OfAsync(Erin.ToString(), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await groups.OfAsync(Erin.ToString(), CancellationToken.None);
        var cachedReads = _graph.Requests.Count;
        _time.Advance(TimeSpan.FromSeconds(1));
        await groups.OfAsync(Erin.ToString(), CancellationToken.None);

        first.Should().Contain(["change-board", LabDirectoryGraph.GroupId("change-board").ToString(), "team-001"]).And.HaveCount(500, "each of her 250 groups by id and by name");
        cachedReads.Should().Be(1);
        _graph.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_token_Graph_no_longer_accepts_is_replaced_once_and_the_groups_are_read_with_the_new_one()
    {
        var groups = Groups();
        await groups.OfAsync(Erin.ToString(), CancellationToken.None);
        _graph.RevokeTokensSeen();
        _time.Advance(TimeSpan.FromMinutes(6));

        var again = await groups.OfAsync(Erin.ToString(), CancellationToken.None);

        again.Should().Contain("change-board");
        _graph.Requests.Select(r => r.Status).Should().Equal(200, 401, 200);
    }

    [Fact]
    public async Task A_Graph_that_cannot_be_reached_is_a_refusal_naming_its_address()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var groups = Groups(o => o.Graph.BaseUrl = new Uri($"http://127.0.0.1:{port}/v1.0/"));

        var act = () => groups.OfAsync(Erin.ToString(), CancellationToken.None);

        (await act.Should().ThrowAsync<GroupsUnresolvedException>()).Which.Message.Should()
            .Contain($"Microsoft Graph could not be reached at http://127.0.0.1:{port}/v1.0/").And.Contain("try again");
    }

    [Fact]
    public async Task A_page_without_a_client_secret_or_with_a_wrong_one_is_refused_with_the_fix_and_never_shows_the_secret()
    {
        var none = Groups(o => o.ClientSecret = null);
        var wrong = Groups(o => o.ClientSecret = "not-the-" + Secret);

        var withoutSecret = await Assert.ThrowsAsync<GroupsUnresolvedException>(() => none.OfAsync(Erin.ToString(), CancellationToken.None));
        var withWrongSecret = await Assert.ThrowsAsync<GroupsUnresolvedException>(() => wrong.OfAsync(Erin.ToString(), CancellationToken.None));

        withoutSecret.Message.Should().Contain("the page has no client secret").And.Contain("GroupMember.Read.All");
        withWrongSecret.Message.Should().Contain("the issuer refused the page's app-only token request for https://graph.microsoft.com/.default (401 invalid_client: AADSTS7000215")
            .And.Contain("Check the page's client id (page) and client secret").And.NotContain(Secret);
        _graph.Requests.Should().BeEmpty("without a token Graph is not asked");
    }

    [Fact]
    public async Task An_object_id_Graph_does_not_know_is_a_refusal_not_an_empty_list()
    {
        var act = () => Groups().OfAsync(Guid.NewGuid().ToString(), CancellationToken.None);

        (await act.Should().ThrowAsync<GroupsUnresolvedException>()).Which.Message.Should().Contain("Microsoft Graph has no user with the sign-in's object id");
    }

    private DirectoryGroups Groups(Action<Web.MdiFlowWebOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddMdiFlowWeb(o =>
        {
            o.Authority = _issuer.Authority;
            o.ClientId = "page";
            o.ClientSecret = Secret;
            o.Audience = _issuer.ApiAudience;
            o.RequireHttpsMetadata = false;
            o.Graph.BaseUrl = _graph.BaseUrl;
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<DirectoryGroups>();
    }
}
