using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;
using MdiFlow.Plugins.DefenderForIdentity.Host.Windows;
using MdiFlow.Plugins.DefenderForIdentity.Tests.Support;
using MdiFlow.Testing;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Host.Windows;

/// <summary>Every PowerShell the plugin runs, checked by real PowerShell 7; the parts that need no Windows run against fixtures.</summary>
public sealed class PowerShellScriptsTests
{
    private static readonly string[] Names = [.. PowerShellScripts.EmbeddedNames, .. PowerShellScripts.Inline.Keys];

    public static TheoryData<string> ScriptNames => new(Names);

    private static string Script(string name) =>
        PowerShellScripts.Inline.TryGetValue(name, out var inline) ? inline : PowerShellScripts.Embedded(name);

    [Fact]
    public async Task The_checks_run_on_powershell_7()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("version.ps1");
        await File.WriteAllTextAsync(file, "$PSVersionTable.PSVersion.Major");

        (await PowerShell7.RunFileAsync(file)).Trim().Should().Be("7");
    }

    [Theory]
    [MemberData(nameof(ScriptNames))]
    public async Task Every_embedded_script_parses_without_errors(string name)
    {
        var errors = (await ParseErrors.Value)[name];

        errors.Should().BeEmpty($"{name} must parse under PowerShell 7");
    }

    [Fact]
    public async Task A_script_with_a_syntax_error_is_caught_by_the_parse_check()
    {
        using var temp = new TempDirectory();
        var broken = temp.Combine("broken.ps1");
        await File.WriteAllTextAsync(broken, "function Get-Broken { if ($true) { 'unclosed' }");

        var errors = await ParseAsync(temp, [broken]);

        errors[broken].Should().ContainSingle().Which.Should().Contain("Missing closing '}'");
    }

    /// <summary>Every script parsed once, in one pwsh process: name to the parser's errors.</summary>
    private static readonly Lazy<Task<Dictionary<string, string[]>>> ParseErrors = new(async () =>
    {
        using var temp = new TempDirectory();
        var files = new Dictionary<string, string>();
        foreach (var name in Names)
        {
            // As it runs: behind the prologue ConsoleCommand puts before every script.
            var file = temp.Combine(new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '_')]) + (name.EndsWith(".ps1", StringComparison.Ordinal) ? "" : ".ps1"));
            await File.WriteAllTextAsync(file, PowerShellScripts.Prologue + "\n" + Script(name));
            files[name] = file;
        }

        var errors = await ParseAsync(temp, [.. files.Values]);
        return files.ToDictionary(f => f.Key, f => errors[f.Value]);
    });

    private static async Task<Dictionary<string, string[]>> ParseAsync(TempDirectory temp, string[] files)
    {
        var driver = temp.Combine("parse.ps1");
        await File.WriteAllTextAsync(driver, """
            $report = [ordered] @{}
            foreach ($path in $args) {
                $tokens = $null; $errors = $null
                [void] [System.Management.Automation.Language.Parser]::ParseInput((Get-Content -LiteralPath $path -Raw), [ref] $tokens, [ref] $errors)
                $report[$path] = [string[]] @($errors | ForEach-Object { '{0} (line {1})' -f $_.Message, $_.Extent.StartLineNumber })
            }
            ConvertTo-Json -InputObject $report -Depth 3 -Compress
            """);
        var output = await PowerShell7.RunFileAsync(driver, files);
        return JsonSerializer.Deserialize<Dictionary<string, string[]?>>(output)!.ToDictionary(p => p.Key, p => p.Value ?? []);
    }

    [Theory]
    [InlineData("Virtual Machine", "Microsoft Corporation", false, "", "Hyper-V")]
    [InlineData("VMware7,1", "VMware, Inc.", false, "", "VMware7,1")]
    [InlineData("Standard PC (Q35 + ICH9, 2009)", "QEMU", false, "", "KVM")]
    [InlineData("ProLiant DL360 Gen10", "Microsoft Corporation", true, "", "Azure")]
    [InlineData("c5.xlarge", "Amazon EC2", false, "EC2A1B2C-0000-0000-0000-000000000000", "AWS")]
    [InlineData("PowerEdge R650", "Dell Inc.", false, "4C4C4544-0000-0000-0000-000000000000", "Physical")]
    public async Task The_machine_type_is_named_as_test_mdireadiness_names_it(string model, string manufacturer, bool azureAgent, string uuid, string expected)
    {
        var output = await PowerShell7.RunFunctionsAsync(
            PowerShellScripts.Embedded("VirtualizationScript.ps1"),
            $"Get-MdiMachineType -Model '{model}' -Manufacturer '{manufacturer}' -HasAzureGuestAgent ${azureAgent.ToString().ToLowerInvariant()} -Uuid '{uuid}'");

        output.Trim().Should().Be(expected);
    }

    [Fact]
    public async Task The_virtualization_report_the_script_builds_is_what_the_parser_reads()
    {
        var output = await PowerShell7.RunFunctionsAsync(
            PowerShellScripts.Embedded("VirtualizationScript.ps1"),
            "@{ platform = (Get-MdiMachineType -Model 'VMware7,1' -Manufacturer 'VMware, Inc.' -HasAzureGuestAgent $false -Uuid ''); dynamicMemoryEnabled = $null; memoryReservationBytes = (ConvertFrom-MdiMemoryReservation -Text '8192 MB') } | ConvertTo-Json");

        VirtualizationParser.Parse(output).Should().Be(new Plugins.DefenderForIdentity.Host.VirtualizationFacts { Platform = "VMware7,1", MemoryReservationBytes = 8_589_934_592 });
    }

    [Fact]
    public async Task The_log_on_as_a_service_holders_are_read_from_a_secedit_export()
    {
        var output = await PowerShell7.RunFunctionsAsync(
            PowerShellScripts.Embedded("ServiceAccountScript.ps1"),
            $"Get-MdiUserRight -InfText (Get-Content -LiteralPath '{Fixture.Path("secedit.user-rights.inf")}' -Raw) -Right 'SeServiceLogonRight' | ConvertTo-Json -AsArray -Compress");

        JsonSerializer.Deserialize<string[]>(output).Should().Equal("*S-1-5-80-0", "*S-1-5-21-1004336348-1177238915-682003330-1609", @"CONTOSO\svc-backup");
    }

    [Fact]
    public async Task The_kds_root_key_times_and_ldap_escaping_need_no_directory()
    {
        var output = await PowerShell7.RunFunctionsAsync(
            PowerShellScripts.Embedded("ServiceAccountScript.ps1"),
            """
            @{
                keys = @(Get-MdiKdsRootKeyTime -Keys @([pscustomobject] @{ EffectiveTime = [datetime]::SpecifyKind([datetime] '2024-06-01T08:00:00', 'Utc') }))
                escaped = ConvertTo-LdapValue 'svc*(x)\y'
            } | ConvertTo-Json -Compress
            """);

        var json = JsonNode.Parse(output)!;
        DateTimeOffset.Parse(json["keys"]![0]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(new DateTimeOffset(2024, 6, 1, 8, 0, 0, TimeSpan.Zero));
        json["escaped"]!.GetValue<string>().Should().Be(@"svc\2a\28x\29\5cy");
    }

    [Fact]
    public async Task Capture_components_are_found_by_display_name_as_test_mdireadiness_finds_them()
    {
        var output = await PowerShell7.RunFunctionsAsync(
            PowerShellScripts.Embedded("CaptureScript.ps1"),
            $$"""
            $entries = Get-Content -LiteralPath '{{Fixture.Path("uninstall-entries.json")}}' -Raw | ConvertFrom-Json
            @{ captureComponents = @(Get-MdiCaptureComponent -Entries $entries); npcap = $null; adapters = @() } | ConvertTo-Json -Depth 4
            """);

        var facts = CaptureFactsParser.Parse(output);
        facts.Components.Select(c => c.DisplayName).Should().Equal("Npcap OEM", "WinPcap 4.1.3");
        facts.VersionOf("Npcap").Should().Be("1.79");
        facts.VersionOf("WinPcap").Should().Be("4.1.0.2980");
    }

    [Fact]
    public async Task A_missing_container_is_reported_absent_and_the_parser_reads_it_so()
    {
        var output = await PowerShell7.RunFunctionsAsync(
            PowerShellScripts.Embedded("AuditingScript.ps1"),
            "@{ configurationContainer = (ConvertTo-MdiContainerReport -Descriptor $null); adfsContainer = (ConvertTo-MdiContainerReport -Descriptor 'AQAQgAAAAAAAAAAAFAAAAAAAAAAEAAgAAAAAAA==') } | ConvertTo-Json -Depth 4");

        var facts = AuditingReportParser.Parse(output);
        facts.ConfigurationContainer!.Present.Should().BeFalse();
        facts.AdfsContainer!.Present.Should().BeTrue();
        facts.AdfsContainer.Sacl.Should().BeEmpty();
    }

    [Fact]
    public async Task The_apply_script_names_the_documented_commands_it_runs()
    {
        var output = await PowerShell7.RunFunctionsAsync(
            PowerShellScripts.Embedded("ApplyAuditingScript.ps1"),
            "Get-MdiAuditCommand -Configurations @('NTLMAuditing', 'AdvancedAuditPolicyDCs', 'AdfsVerboseAuditing') -Mode 'Domain' -Identity 'CONTOSO\\mdiSvc01$' | ConvertTo-Json -AsArray -Compress");

        JsonSerializer.Deserialize<string[]>(output).Should().Equal(
            @"Set-MDIConfiguration -Mode Domain -Configuration NTLMAuditing,AdvancedAuditPolicyDCs -Identity CONTOSO\mdiSvc01$",
            "Set-AdfsProperties -AuditLevel Verbose",
            "gpupdate.exe /target:computer /force");
    }
}
