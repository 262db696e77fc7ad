using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MdiFlow.Lab.Tests.Support;

namespace MdiFlow.Lab.Tests.Packages;

public sealed class LabSensorPackageTests
{
    [Fact]
    public async Task The_package_holds_the_setup_and_the_workspaces_installation_configuration_and_hashes_the_same_every_time()
    {
        await using var test = await TestLab.StartAsync("healthy-dc");

        var path = test.Lab.CreateSensorPackage();
        var hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        var again = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(test.Lab.CreateSensorPackage(test.Temp.Combine("copy.zip")))));

        Path.GetFileName(path).Should().Be("Azure ATP Sensor Setup.zip");
        using var zip = ZipFile.OpenRead(path);
        zip.Entries.Select(e => e.FullName).Should().Equal("Azure ATP sensor Setup.exe", "SensorInstallationConfiguration.json");
        using var reader = new StreamReader(zip.GetEntry("SensorInstallationConfiguration.json")!.Open());
        var configuration = JsonNode.Parse(await reader.ReadToEndAsync())!;
        configuration["SensorInstallationConfiguration"]!["WorkspaceApplicationSensorApiWebClientConfigurationServiceEndpoint"]!["Address"]!
            .GetValue<string>().Should().Be("contoso-corpsensorapi.atp.azure.com");
        again.Should().Be(hash);
    }
}
