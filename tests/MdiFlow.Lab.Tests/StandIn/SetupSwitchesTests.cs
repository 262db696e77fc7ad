using MdiFlow.Lab.StandIn;

namespace MdiFlow.Lab.Tests.StandIn;

public sealed class SetupSwitchesTests
{
    [Fact]
    public void The_documented_parameters_are_read_with_or_without_the_quotes_windows_strips()
    {
        var switches = SetupSwitches.Parse(
        [
            "/quiet", "NetFrameworkCommandLineArguments=\"/q\"", "AccessKeyFile=C:\\keys\\mdi.key", "InstallationPath=\"D:\\MDI\"",
            "LogsPath=D:\\Logs", "DelayedUpdate=true", "ProxyUrl=http://proxy.contoso.com:8080", "ProxyUserName=svc", "ProxyUserPassword=secret",
        ]);

        switches.Problems.Should().BeEmpty();
        switches.Quiet.Should().BeTrue();
        switches.NetFrameworkCommandLineArguments.Should().Be("/q");
        switches.AccessKeyFile.Should().Be("C:\\keys\\mdi.key");
        switches.InstallationPath.Should().Be("D:\\MDI");
        switches.LogsPath.Should().Be("D:\\Logs");
        switches.DelayedUpdate.Should().BeTrue();
        switches.ProxyUrl.Should().Be("http://proxy.contoso.com:8080");
        switches.MaskedCommandLine.Should().Contain("ProxyUserPassword=*****").And.NotContain("secret");
    }

    [Theory]
    [InlineData("/AccessKey=abc", "Option /AccessKey is unknown")]
    [InlineData("-InstallationPath=C:\\x", "Option -InstallationPath is unknown")]
    [InlineData("accesskeyfile=C:\\k", "Option accesskeyfile is unknown")]
    [InlineData("/silent", "Option /silent is unknown")]
    [InlineData("DelayedUpdate=maybe", "Option DelayedUpdate must be true or false, not 'maybe'.")]
    [InlineData("ProxyUrl=proxy:8080", "Option ProxyUrl must be an absolute http:// or https:// URL, not 'proxy:8080'.")]
    [InlineData("AccessKey=", "Option AccessKey has no value.")]
    public void A_parameter_the_setup_does_not_take_is_refused_in_its_words(string argument, string problem)
    {
        SetupSwitches.Parse(["/quiet", argument]).Problems.Should().Equal(problem);
    }

    [Fact]
    public void Proxy_credentials_come_together_and_with_a_proxy()
    {
        SetupSwitches.Parse(["ProxyUserName=svc"]).Problems.Should().Equal("Options ProxyUserName and ProxyUserPassword go together.", "Option ProxyUserName needs ProxyUrl.");
    }
}
