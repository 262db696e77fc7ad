using System.Security.Cryptography;
using System.Text;
using MdiFlow.Instances;
using MdiFlow.Plugins.DefenderForIdentity.Packages;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using MdiFlow.Rehearsals;
using MdiFlow.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Packages;

public sealed class DownloadPackageActivityTests : GraphFixture, IDisposable
{
    private const string UriPath = "/v1.0/security/identities/sensors/getDeploymentPackageUri";
    private const string PackagePath = "/sensor-package/0a1b2c/Azure%20ATP%20Sensor%20Setup.zip";
    private const string Content = "PK\u0003\u0004 the sensor package";
    private readonly TempDirectory _temp = new();
    private readonly Sandbox _sandbox;

    public DownloadPackageActivityTests() => _sandbox = new Sandbox(_temp.Combine("sandbox"));

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task Downloads_the_package_graph_names_and_records_its_version_and_sha256()
    {
        Graph.On(UriPath, Answer.Json(GraphJson.PackageUri(Graph.BaseAddress + PackagePath.TrimStart('/'), "2.239.18124.58593")));
        Graph.On(Uri.UnescapeDataString(PackagePath), new Answer(200, Content));

        var output = (await Activity<DownloadPackageActivity>().RunAsync(new { destination = _temp.Combine("packages") })).ShouldComplete<DownloadPackageOutput>();

        output.Version.Should().Be("2.239.18124.58593");
        output.Sha256.Should().Be(Sha256(Content));
        output.Source.Should().Be("graph");
        output.DownloadHost.Should().Be("127.0.0.1");
        output.Path.Should().Be(_temp.Combine("packages", "2.239.18124.58593", "Azure ATP Sensor Setup.zip"));
        File.ReadAllText(output.Path).Should().Be(Content);
        Directory.EnumerateFiles(_temp.Combine("packages"), "*.download", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task The_graph_token_never_travels_to_the_package_host()
    {
        Graph.On(UriPath, Answer.Json(GraphJson.PackageUri(Graph.BaseAddress + PackagePath.TrimStart('/'), "2.239.18124.58593")));
        Graph.On(Uri.UnescapeDataString(PackagePath), new Answer(200, Content));

        (await Activity<DownloadPackageActivity>().RunAsync(new { destination = _temp.Combine("packages") })).ShouldComplete<DownloadPackageOutput>();

        Graph.Requests.Single(r => r.PathAndQuery == UriPath).Authorization.Should().StartWith("Bearer ");
        Graph.Requests.Single(r => r.PathAndQuery != UriPath).Authorization.Should().BeNull();
    }

    [Fact]
    public async Task A_package_that_is_not_the_approved_one_is_refused_and_leaves_no_file()
    {
        Graph.On(UriPath, Answer.Json(GraphJson.PackageUri(Graph.BaseAddress + PackagePath.TrimStart('/'), "2.239.18124.58593")));
        Graph.On(Uri.UnescapeDataString(PackagePath), new Answer(200, Content));

        var error = (await Activity<DownloadPackageActivity>().RunAsync(new { destination = _temp.Combine("packages"), expectedSha256 = new string('a', 64) })).ShouldFail("package.hashMismatch");

        error.Message.Should().Contain(Sha256(Content)).And.Contain(new string('a', 64));
        Directory.EnumerateFiles(_temp.Combine("packages"), "*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task An_expired_link_is_a_retryable_failure_that_names_the_package_host()
    {
        Graph.On(UriPath, Answer.Json(GraphJson.PackageUri(Graph.BaseAddress + PackagePath.TrimStart('/'), "2.239.18124.58593")));
        Graph.On(Uri.UnescapeDataString(PackagePath), new Answer(403, "<Error><Code>AuthenticationFailed</Code></Error>"));

        var error = (await Activity<DownloadPackageActivity>().RunAsync(new { destination = _temp.Combine("packages") })).ShouldFail("package.downloadFailed");

        error.Permanent.Should().BeFalse();
        error.Message.Should().Contain("403").And.Contain("expired");
        error.Fix.Should().Contain("sensorpackage-prd.mdi.securitycenter.microsoft.com");
    }

    [Fact]
    public async Task A_missing_permission_names_the_least_privileged_one()
    {
        Graph.On(UriPath, Answer.GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."));

        var error = (await Activity<DownloadPackageActivity>().RunAsync(new { destination = _temp.Combine("packages") })).ShouldFail("graph.accessDenied");

        error.Message.Should().Contain("SecurityIdentitiesSensors.Read.All");
    }

    [Fact]
    public async Task An_operator_supplied_zip_is_fingerprinted_without_asking_graph()
    {
        var zip = _temp.Combine("Azure ATP Sensor Setup.zip");
        File.WriteAllText(zip, Content);

        var output = (await Activity<DownloadPackageActivity>().RunAsync(new { destination = _temp.Combine("packages"), packagePath = zip })).ShouldComplete<DownloadPackageOutput>();

        output.Should().BeEquivalentTo(new DownloadPackageOutput { Path = zip, Sha256 = Sha256(Content), SizeBytes = Encoding.UTF8.GetByteCount(Content), Source = "operator" });
        Graph.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task In_a_rehearsal_the_package_lands_in_the_sandbox_whatever_the_destination()
    {
        Graph.On(UriPath, Answer.Json(GraphJson.PackageUri(Graph.BaseAddress + PackagePath.TrimStart('/'), "2.239.18124.58593")));
        Graph.On(Uri.UnescapeDataString(PackagePath), new Answer(200, Content));
        var output = (await Activity<DownloadPackageActivity>().RunAsync(new { destination = _temp.Combine("real", "packages") }, rehearsal: _sandbox)).ShouldComplete<DownloadPackageOutput>();

        output.Path.Should().StartWith(_sandbox.SandboxDirectory);
        Directory.Exists(_temp.Combine("real")).Should().BeFalse();
    }

    public void Dispose() => _temp.Dispose();

    private sealed class Sandbox(string folder) : IRehearsalEnvironment
    {
        public string Description => "test sandbox";

        public string SandboxDirectory => folder;

        public bool Serves(InstanceId instance) => true;
    }
}
