using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Plugins.DefenderForIdentity.Readiness;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Readiness;

public sealed class DetectServerRoleActivityTests
{
    private readonly FakeHostFacts _host = new();

    private DetectServerRoleActivity Activity => new(_host, Options.Create(new DefenderForIdentityOptions()));

    [Fact]
    public async Task A_ready_domain_controller_not_onboarded_to_defender_for_endpoint_takes_v2_and_every_fact_passes()
    {
        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.Path.Should().Be(SensorPath.SensorV2);
        output.Role.Should().Be("domainController");
        output.SensorKind.Should().Be("sensor");
        output.NeedsServiceAccount.Should().BeTrue();
        output.PathReason.Should().Be("sensor v2.x: DC01 is a domain controller, but sensor v3.x needs onboarding to Defender for Endpoint (it is not onboarded).");
        output.OperatingSystem.Should().Be("Windows Server 2022 (10.0.20348)");
        output.Ready.Should().BeTrue();
        output.Facts.Select(f => f.Name).Should().Equal("operatingSystem", "cores", "memory", "freeDisk", "memoryAllocation", "rootCertificates", "tlsSettings", "powerPlan", "dotNetFramework", "clockSkew", "pendingRestart");
        output.Facts.Should().OnlyContain(f => f.Status == FactStatus.Pass);
    }

    [Fact]
    public async Task An_eligible_domain_controller_takes_sensor_v3_without_a_service_account_and_says_why()
    {
        _host.Server = Servers.DomainControllerV3;

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.Path.Should().Be(SensorPath.SensorV3);
        output.SensorV3Eligible.Should().BeTrue();
        output.NeedsServiceAccount.Should().BeFalse();
        output.PathReason.Should().StartWith("sensor v3.x: DC01 is a domain controller on Windows Server 2022 (10.0.20348) with the March 2026 cumulative update or later, onboarded to Defender for Endpoint, with no v2.x sensor");
        output.Facts.Select(f => f.Name).Should().NotContain("dotNetFramework", "v3.x runs no setup");
    }

    [Fact]
    public async Task The_workflow_can_keep_v2_on_an_eligible_domain_controller()
    {
        _host.Server = Servers.DomainControllerV3;

        var output = (await Activity.RunAsync(new { sensorV3 = false })).ShouldComplete<DetectServerRoleOutput>();

        output.Path.Should().Be(SensorPath.SensorV2);
        output.SensorV3Eligible.Should().BeTrue();
        output.PathReason.Should().Contain("sensorV3 false").And.Contain("VPN integration");
    }

    [Theory]
    [InlineData("10.0.20348", 4892, true, false, "the March 2026 cumulative update or later (build 20348.4893 or later; it has 20348.4892)")]
    [InlineData("10.0.14393", 7000, true, false, "Windows Server 2019 or later (it runs Windows Server 2016 (10.0.14393))")]
    [InlineData("10.0.17763", 8400, true, false, "which MdiFlow cannot confirm on build 17763")]
    [InlineData("10.0.20348", 4893, true, true, "no v2.x sensor (v2.x 2.239.18412.34145 is installed")]
    public async Task A_domain_controller_that_misses_a_v3_requirement_takes_v2_naming_what_is_missing(string version, int revision, bool onboarded, bool v2Installed, string missing)
    {
        _host.Server = Servers.DomainControllerV3 with { OsVersion = version, OsBuildRevision = revision, DefenderForEndpointOnboarded = onboarded };
        if (v2Installed)
        {
            _host.Sensor = new SensorInstallation { Installed = true, Version = "2.239.18412.34145" };
        }

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.Path.Should().Be(SensorPath.SensorV2);
        output.SensorV3Eligible.Should().BeFalse();
        output.PathReason.Should().Contain(missing);
    }

    [Fact]
    public async Task A_configured_update_revision_makes_another_build_eligible()
    {
        _host.Server = Servers.DomainControllerV3 with { OsCaption = "Microsoft Windows Server 2019 Datacenter", OsVersion = "10.0.17763", OsBuildRevision = 8511, NtdsaiVersion = "10.0.17763.8511" };
        var options = new DefenderForIdentityOptions();
        options.SensorV3MinimumUpdateRevisions[17763] = 8500;

        var output = (await new DetectServerRoleActivity(_host, Options.Create(options)).RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.Path.Should().Be(SensorPath.SensorV3);
    }

    [Theory]
    [InlineData("adfs", "an AD FS server")]
    [InlineData("adcs", "an AD CS server (Certification Authority)")]
    [InlineData("entraConnect", "a Microsoft Entra Connect server")]
    public async Task An_identity_role_server_takes_the_v2_sensor_not_the_standalone(string role, string described)
    {
        _host.Server = Servers.AdfsServer2022 with { Roles = [role] };

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.Path.Should().Be(SensorPath.SensorV2);
        output.Role.Should().Be(role);
        output.SensorKind.Should().Be("sensor");
        output.PathReason.Should().Be($"sensor v2.x: ADFS01 is {described} and not a domain controller; sensor v3.x supports domain controllers only, so it takes the v2.x sensor with that role's prerequisites.");
    }

    [Fact]
    public async Task A_member_server_without_identity_roles_gets_the_standalone_sensor()
    {
        _host.Server = Servers.MemberServer2019;

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.Path.Should().Be(SensorPath.Standalone);
        output.Role.Should().Be("dedicated");
        output.SensorKind.Should().Be("standaloneSensor");
        output.PathReason.Should().Contain("port mirroring");
    }

    [Fact]
    public async Task Windows_server_2012_r2_past_support_is_a_warning_not_a_failure()
    {
        _host.Server = Servers.DomainController2022 with { OsCaption = "Microsoft Windows Server 2012 R2 Standard", OsVersion = "6.3.9600" };

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.Facts.Single(f => f.Name == "operatingSystem").Status.Should().Be(FactStatus.Warn);
    }

    [Fact]
    public async Task Windows_server_2012_fails_as_test_mdireadiness_needs_6_3()
    {
        _host.Server = Servers.DomainController2022 with { OsCaption = "Microsoft Windows Server 2012 Standard", OsVersion = "6.2.9200" };

        var error = (await Activity.RunAsync(new { })).ShouldFail("mdi.notReady");

        error.Message.Should().Contain("operatingSystem is Microsoft Windows Server 2012 Standard (6.2.9200), needs Windows Server 2016, 2019, 2022 or 2025");
        error.Fix.Should().Contain("Windows Server 2012 is not supported by current sensors (Test-MdiReadiness needs 6.3 or later)");
    }

    [Theory]
    [InlineData("10.0.17763.253", FactStatus.Fail)]
    [InlineData("10.0.17763.316", FactStatus.Pass)]
    [InlineData(null, FactStatus.Warn)]
    public async Task A_server_2019_domain_controller_needs_kb4487044_by_the_version_of_ntdsai(string? ntdsai, FactStatus status)
    {
        _host.Server = Servers.DomainController2022 with { OsCaption = "Microsoft Windows Server 2019 Standard", OsVersion = "10.0.17763", NtdsaiVersion = ntdsai };

        var result = await Activity.RunAsync(new { });

        var fact = status == FactStatus.Fail
            ? result.ShouldFail("mdi.notReady").Details!["server2019Update"]
            : result.ShouldComplete<DetectServerRoleOutput>().Facts.Single(f => f.Name == "server2019Update").Status.ToString().ToLowerInvariant();
        fact.Should().StartWith(status.ToString().ToLowerInvariant());
        if (status == FactStatus.Fail)
        {
            result.ShouldFail("mdi.notReady").Fix.Should().Contain("Install KB4487044");
        }
    }

    [Theory]
    [InlineData(6_441_402_368L, FactStatus.Pass)]
    [InlineData(6_441_402_367L, FactStatus.Fail)]
    public async Task Memory_is_counted_as_test_mdireadiness_counts_it_6_gib_minus_1_mib(long bytes, FactStatus status)
    {
        _host.Server = Servers.DomainController2022 with { TotalMemoryBytes = bytes };

        var result = await Activity.RunAsync(new { });

        if (status == FactStatus.Pass)
        {
            result.ShouldComplete<DetectServerRoleOutput>().Facts.Single(f => f.Name == "memory").Status.Should().Be(FactStatus.Pass);
        }
        else
        {
            result.ShouldFail("mdi.notReady").Fix.Should().Contain("at least 6 GB of memory");
        }
    }

    [Theory]
    [InlineData(6_442_450_944L, FactStatus.Pass)]
    [InlineData(6_442_450_943L, FactStatus.Fail)]
    public async Task The_os_disk_needs_6_gib_free(long bytes, FactStatus status)
    {
        _host.Server = Servers.DomainController2022 with { SystemDriveFreeBytes = bytes };

        var result = await Activity.RunAsync(new { });

        if (status == FactStatus.Pass)
        {
            result.ShouldComplete<DetectServerRoleOutput>().Facts.Single(f => f.Name == "freeDisk").Note.Should().Contain("10 GB free is recommended");
        }
        else
        {
            result.ShouldFail("mdi.notReady").Message.Should().Contain("freeDisk is 6 GiB, needs at least 6 GiB free on the OS disk");
        }
    }

    [Fact]
    public async Task Missing_roots_dynamic_memory_and_tls_values_are_named_with_their_documented_fixes()
    {
        _host.Server = Servers.DomainController2022 with
        {
            RootCertificates = ["0563B8630D62D75ABBC8AB1E4BDFB5A899B24D43"],
            Virtualization = new VirtualizationFacts { Platform = "Hyper-V", DynamicMemoryEnabled = true },
            TlsSettings = [new RegistryValueFact(@"SOFTWARE\Microsoft\.NETFramework\v4.0.30319", "SystemDefaultTlsVersions", null)],
        };

        var error = (await Activity.RunAsync(new { })).ShouldFail("mdi.notReady");

        error.Message.Should().Contain("rootCertificates is neither is installed").And.Contain("memoryAllocation is Hyper-V with Dynamic Memory");
        error.Fix.Should().Contain("DigiCertGlobalRootG2.crt").And.Contain("Import-Certificate").And.Contain("Enable Dynamic Memory");
        error.Details!["tlsSettings"].Should().StartWith("warn: SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319\\SystemDefaultTlsVersions = not set");
    }

    [Theory]
    [InlineData(8_589_463_552L, FactStatus.Pass)]
    [InlineData(4_294_967_296L, FactStatus.Fail)]
    public async Task On_vmware_all_guest_memory_must_be_reserved(long reserved, FactStatus status)
    {
        _host.Server = Servers.DomainController2022 with { Virtualization = new VirtualizationFacts { Platform = "VMware Virtual Platform", MemoryReservationBytes = reserved } };

        var result = await Activity.RunAsync(new { });

        if (status == FactStatus.Pass)
        {
            result.ShouldComplete<DetectServerRoleOutput>();
        }
        else
        {
            result.ShouldFail("mdi.notReady").Fix.Should().Contain("Reserve all guest memory (All locked)");
        }
    }

    [Fact]
    public async Task A_pending_restart_is_a_warning_in_readiness()
    {
        _host.Server = Servers.DomainController2022 with { PendingRestart = ["Windows Update (RebootRequired)"] };

        var output = (await Activity.RunAsync(new { })).ShouldComplete<DetectServerRoleOutput>();

        output.PendingRestart.Should().BeTrue();
        output.Facts.Single(f => f.Name == "pendingRestart").Should().BeEquivalentTo(new { Status = FactStatus.Warn, Value = "Windows Update (RebootRequired)" });
    }

    [Fact]
    public async Task Too_little_memory_and_a_skewed_clock_fail_as_not_ready_with_every_fact_in_the_details()
    {
        _host.Server = Servers.DomainController2022 with { TotalMemoryBytes = 4_294_967_296, ClockSkew = TimeSpan.FromMinutes(7) };

        var error = (await Activity.RunAsync(new { })).ShouldFail("mdi.notReady");

        error.Message.Should().Contain("memory is 4 GiB, needs at least 6 GiB (6 GiB − 1 MiB as Test-MdiReadiness counts); clockSkew is 420 s, needs within 5 minutes of the domain's time.");
        error.Fix.Should().Contain("6 GB of memory").And.Contain("w32tm /resync");
        error.Details!["memory"].Should().Be("fail: 4 GiB");
    }

    [Fact]
    public async Task Off_windows_the_step_fails_with_host_unsupported()
    {
        var error = (await new DetectServerRoleActivity(new UnsupportedHostFacts(), Options.Create(new DefenderForIdentityOptions())).RunAsync(new { })).ShouldFail("host.unsupported");

        error.Message.Should().StartWith("Step 'step' (mdi.detectServerRole) must run on the Windows server being deployed.");
    }

    [Fact]
    public async Task The_output_is_camel_case_json_an_approver_can_read()
    {
        var json = (await Activity.RunAsync(new { })).ShouldCompleteWithJson();

        json["path"]!.GetValue<string>().Should().Be("sensorV2");
        json["facts"]![0]!["status"]!.GetValue<string>().Should().Be("pass");
    }
}
