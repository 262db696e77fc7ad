namespace MdiFlow.Web.Tests.Security.Groups;

public sealed class GraphGroupsOptionsTests
{
    [Fact]
    public void An_HTTP_Graph_a_scope_without_default_and_a_cache_of_more_than_an_hour_are_refused_at_once_with_every_reason()
    {
        var options = Valid();
        options.Graph.BaseUrl = new Uri("http://graph.contoso.test/v1.0/");
        options.Graph.Scope = "https://graph.microsoft.com/GroupMember.Read.All";
        options.Graph.CacheFor = TimeSpan.FromHours(2);

        var act = options.Validate;

        act.Should().Throw<InvalidOperationException>().WithMessage(
            "The change-board page cannot start: it needs an HTTPS Graph.BaseUrl ('http://graph.contoso.test/v1.0/' is not HTTPS; only a loopback lab Graph may use HTTP, with RequireHttpsMetadata false); "
            + "a Graph.Scope ending in /.default ('https://graph.microsoft.com/GroupMember.Read.All'; app-only tokens carry the permissions granted to the page, for example https://graph.microsoft.com/.default); "
            + "a Graph.CacheFor between 00:00:00 and 01:00:00 ('02:00:00'; group changes must take effect within minutes).");
    }

    [Fact]
    public void The_defaults_are_Microsoft_Graph_v1_with_a_five_minute_cache_and_a_lab_may_use_HTTP()
    {
        var options = Valid();
        options.Validate();
        options.Graph.BaseUrl.Should().Be(new Uri("https://graph.microsoft.com/v1.0/"));
        options.Graph.Scope.Should().Be("https://graph.microsoft.com/.default");
        options.Graph.CacheFor.Should().Be(TimeSpan.FromMinutes(5));

        var lab = Valid();
        lab.RequireHttpsMetadata = false;
        lab.Authority = "http://127.0.0.1:5000/tenant/v2.0";
        lab.Graph.BaseUrl = new Uri("http://127.0.0.1:5001/v1.0/");
        lab.Validate();
    }

    private static MdiFlowWebOptions Valid() => new()
    {
        Authority = "https://login.microsoftonline.com/6b1f0b57-3c4c-4f39-9d0c-6d1ab0c4d5e1/v2.0",
        ClientId = "page",
        Audience = "api://mdiflow",
    };
}
