using MdiFlow.Plugins.DefenderForIdentity.AccessKeys;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using MdiFlow.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.AccessKeys;

public sealed class GetAccessKeyActivityTests : GraphFixture, IDisposable
{
    private const string Key = "S3ns0rAcc3ssK3y/Base64+Value==";
    private const string Path = "/v1.0/security/identities/sensors/getDeploymentAccessKey";
    private readonly TempDirectory _vault = new();

    [Fact]
    public async Task Keeps_the_key_in_the_vault_and_outputs_only_a_reference()
    {
        Graph.On(Path, Answer.Json(GraphJson.AccessKey(Key)));

        var json = (await Activity<GetAccessKeyActivity>().RunAsync(new { name = "contoso-key" })).ShouldCompleteWithJson();

        json.ToJsonString().Should().Be("""{"accessKeyRef":"vault:contoso-key"}""");
        Services.GetRequiredService<AccessKeyVault>().Read("vault:contoso-key").Should().Be(Key);
        var entry = System.IO.Path.Combine(_vault.Path, "contoso-key.secret");
        File.ReadAllText(entry).Should().NotContain(Key);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(entry).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task The_key_is_read_from_the_value_shape_of_the_v1_example_too()
    {
        Graph.On(Path, Answer.Json(GraphJson.AccessKeyInValue(Key)));

        var json = (await Activity<GetAccessKeyActivity>().RunAsync(new { name = "value-shape" })).ShouldCompleteWithJson();

        json["accessKeyRef"]!.GetValue<string>().Should().Be("vault:value-shape");
        Services.GetRequiredService<AccessKeyVault>().Read("vault:value-shape").Should().Be(Key);
    }

    [Fact]
    public async Task An_answer_with_neither_shape_is_an_unexpected_response_that_quotes_nothing()
    {
        Graph.On(Path, Answer.Json("""{ "value": { "somethingElse": "S3ns0rAcc3ssK3y/Base64+Value==" } }"""));

        var error = (await Activity<GetAccessKeyActivity>().RunAsync(new { })).ShouldFail("graph.unexpectedResponse");

        error.Message.Should().Contain("neither deploymentAccessKey nor value.sensorDeploymentAccessKey").And.NotContain(Key);
    }

    [Fact]
    public async Task Fetching_again_replaces_the_entry()
    {
        Graph.On(Path, Answer.Json(GraphJson.AccessKey(Key)), Answer.Json(GraphJson.AccessKey("R3g3n3rat3dK3y==")));

        await Activity<GetAccessKeyActivity>().RunAsync(new { name = "contoso-key" });
        var json = (await Activity<GetAccessKeyActivity>().RunAsync(new { name = "contoso-key" })).ShouldCompleteWithJson();

        json["accessKeyRef"]!.GetValue<string>().Should().Be("vault:contoso-key");
        Services.GetRequiredService<AccessKeyVault>().Read("vault:contoso-key").Should().Be("R3g3n3rat3dK3y==");
    }

    [Fact]
    public async Task Without_a_name_the_entry_is_named_after_the_instance()
    {
        Graph.On(Path, Answer.Json(GraphJson.AccessKey(Key)));

        var json = (await Activity<GetAccessKeyActivity>().RunAsync(new { })).ShouldCompleteWithJson();

        json["accessKeyRef"]!.GetValue<string>().Should().MatchRegex("^vault:mdi-access-key-[0-9a-z]{26}$");
    }

    [Fact]
    public async Task A_refused_call_names_the_permission_and_never_the_key()
    {
        Graph.On(Path, Answer.GraphError(403, "Forbidden", "Missing role permissions on the request."));

        var error = (await Activity<GetAccessKeyActivity>().RunAsync(new { })).ShouldFail("graph.accessDenied");

        error.Message.Should().Contain("SecurityIdentitiesSensors.ReadWrite.All");
    }

    [Fact]
    public async Task A_name_that_is_not_a_file_name_is_an_invalid_input()
    {
        var error = (await Activity<GetAccessKeyActivity>().RunAsync(new { name = "../keys" })).ShouldFail("activity.invalidInput");

        error.Message.Should().Contain("'name' is \"../keys\"");
        Graph.Requests.Should().BeEmpty();
    }

    private protected override void Configure(DefenderForIdentityOptions options) => options.KeyVaultDirectory = _vault.Path;

    public void Dispose() => _vault.Dispose();
}
