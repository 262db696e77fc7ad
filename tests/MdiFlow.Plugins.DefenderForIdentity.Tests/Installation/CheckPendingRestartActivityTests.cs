using MdiFlow.Plugins.DefenderForIdentity.Installation;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Installation;

public sealed class CheckPendingRestartActivityTests
{
    private readonly FakeHostFacts _host = new();

    [Fact]
    public async Task No_pending_restart_passes()
    {
        var output = (await new CheckPendingRestartActivity(_host).RunAsync(new { })).ShouldComplete<CheckPendingRestartOutput>();

        output.ComputerName.Should().Be("DC01");
    }

    [Fact]
    public async Task A_pending_restart_fails_with_its_reasons_and_says_to_restart_then_resume()
    {
        _host.Server = Servers.DomainController2022 with { PendingRestart = ["Component Based Servicing (RebootPending)", "computer rename (DC01 to DC02)"] };

        var error = (await new CheckPendingRestartActivity(_host).RunAsync(new { })).ShouldFail("mdi.restartPending");

        error.Permanent.Should().BeTrue();
        error.Message.Should().Contain("Component Based Servicing (RebootPending); computer rename (DC01 to DC02)").And.Contain("restart the server by itself");
        error.Fix.Should().Be("Restart DC01 now, in the maintenance window, then resume this instance: the install runs after the restart.");
        error.Details!["reason2"].Should().Be("computer rename (DC01 to DC02)");
    }
}
