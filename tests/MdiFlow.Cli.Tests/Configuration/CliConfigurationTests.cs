using System.CommandLine;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Configuration;

/// <summary>
/// The configuration's one precedence, read back through <c>mdiflow config show --json</c> of the published CLI:
/// built-in defaults &lt; /etc/mdiflow/mdiflow.json &lt; the user's mdiflow.json &lt; --config FILE &lt; MDIFLOW_* &lt; flags.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CliConfigurationTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [RootFact]
    public void Each_layer_overrides_the_ones_below_it_and_config_show_names_where_each_value_came_from()
    {
        using var system = new SystemPolicy("{}");
        File.WriteAllText(Path.Combine(system.Folder, "mdiflow.json"), """{ "store": "sqlite:/var/lib/mdiflow/system.db", "graph": { "tenantId": "system.onmicrosoft.com", "clientId": "system-client", "signIn": "managedIdentity" }, "worker": { "interval": "30" } }""");
        var userHome = Directory.CreateDirectory(_ws.PathOf("xdg")).FullName;
        Directory.CreateDirectory(Path.Combine(userHome, "mdiflow"));
        File.WriteAllText(Path.Combine(userHome, "mdiflow", "mdiflow.json"), """{ "store": "sqlite:user.db", "graph": { "tenantId": "user.onmicrosoft.com", "clientId": "user-client" } }""");
        var config = _ws.Write("ops.json", """{ "store": "sqlite:ops.db", "graph": { "tenantId": "ops.onmicrosoft.com" } }""");
        var environment = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = userHome, ["MDIFLOW_STORE"] = "sqlite:env.db", ["MDIFLOW_WORKER__HOST"] = "DC01" };

        var shown = Show(cli.MdiflowAs(_ws.Root, new CliAs(Policy: system), environment, "config", "show", "--json", "--config", config, "--store", "sqlite:flag.db"));

        shown["store"].Should().Be(("sqlite:flag.db", "--store"));
        shown["graph.tenantId"].Should().Be(("ops.onmicrosoft.com", $"--config {config}"));
        shown["graph.clientId"].Should().Be(("user-client", $"{Path.Combine(userHome, "mdiflow", "mdiflow.json")} (user)"));
        shown["graph.signIn"].Should().Be(("managedIdentity", "/etc/mdiflow/mdiflow.json (system)"));
        shown["worker.interval"].Should().Be(("30", "/etc/mdiflow/mdiflow.json (system)"));
        shown["worker.host"].Should().Be(("DC01", "MDIFLOW_WORKER__HOST"));
        shown["graph.authorityHost"].Should().Be(("https://login.microsoftonline.com/", "built-in default"));

        var withoutFlag = Show(cli.MdiflowAs(_ws.Root, new CliAs(Policy: system), environment, "config", "show", "--json", "--config", config));
        withoutFlag["store"].Should().Be(("sqlite:env.db", "MDIFLOW_STORE"));
        environment.Remove("MDIFLOW_STORE");
        Show(cli.MdiflowAs(_ws.Root, new CliAs(Policy: system), environment, "config", "show", "--json", "--config", config))["store"].Should().Be(("sqlite:ops.db", $"--config {config}"));
        Show(cli.MdiflowAs(_ws.Root, new CliAs(Policy: system), environment, "config", "show", "--json"))["store"].Should().Be(("sqlite:user.db", $"{Path.Combine(userHome, "mdiflow", "mdiflow.json")} (user)"));
        environment.Remove("XDG_CONFIG_HOME");
        environment["HOME"] = _ws.Root;
        Show(cli.MdiflowAs(_ws.Root, new CliAs(Policy: system), environment, "config", "show", "--json"))["store"].Should().Be(("sqlite:/var/lib/mdiflow/system.db", "/etc/mdiflow/mdiflow.json (system)"));
    }

    [RootFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_system_configuration_others_could_change_is_refused()
    {
        using var system = new SystemPolicy("{}");
        var file = Path.Combine(system.Folder, "mdiflow.json");
        File.WriteAllText(file, """{ "graph": { "baseAddress": "https://graph.attacker.example/" } }""");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);

        var refused = cli.MdiflowAs(_ws.Root, new CliAs(Policy: system), "config", "show");

        refused.ExitCode.Should().Be(5, refused.ToString());
        refused.Stderr.Should().Contain("The configuration file /etc/mdiflow/mdiflow.json (system) is not used, because others could change it");
        refused.Stdout.Should().NotContain("attacker");
    }

    [Fact]
    public void The_configured_store_is_the_one_commands_use()
    {
        var config = _ws.Write("ops.json", $$"""{ "store": "sqlite:{{_ws.PathOf("configured.db")}}" }""");
        var workflow = _ws.Write("hello.json", """{ "id": "hello", "version": "1", "steps": [ { "id": "wait", "uses": "manualTask", "with": { "instructions": "wave" } } ] }""");

        var run = cli.Mdiflow(_ws.Root, "run", workflow, "--config", config);

        run.ExitCode.Should().Be(10, run.ToString());
        File.Exists(_ws.PathOf("configured.db")).Should().BeTrue("the store named in the configuration file was used");
        File.Exists(_ws.PathOf("mdiflow.db")).Should().BeFalse();
        run.Stdout.Should().Contain($" --config {config}", "a printed next command repeats --config so it reaches the same store");
    }

    [Fact]
    public void Config_show_prints_secret_references_and_never_a_secret_value()
    {
        var config = _ws.Write("ops.json", """{ "graph": { "signIn": "certificate", "certificate": { "path": "/etc/mdiflow/graph.pfx", "password": "file:/etc/mdiflow/graph.pfx.password" } }, "sensorApi": { "proxy": "http://proxy.contoso.com:8080" } }""");
        var environment = new Dictionary<string, string> { ["MDIFLOW_SENSORAPI__PROXYCREDENTIAL"] = "env:PROXY_CREDENTIAL" };

        var text = cli.Mdiflow(_ws.Root, environment, "config", "show", "--config", config);

        text.ExitCode.Should().Be(0, text.ToString());
        text.Stdout.Should().MatchRegex(@"graph\.certificate\.password +file:/etc/mdiflow/graph\.pfx\.password \(a reference; the secret is not shown\) +\[--config ");
        text.Stdout.Should().MatchRegex(@"sensorApi\.proxyCredential +env:PROXY_CREDENTIAL \(a reference; the secret is not shown\) +\[MDIFLOW_SENSORAPI__PROXYCREDENTIAL\]");

        environment["MDIFLOW_GRAPH__CLIENTSECRET"] = "Zx8~q-the-secret-itself";
        var refused = cli.Mdiflow(_ws.Root, environment, "config", "show", "--config", config);
        refused.ExitCode.Should().Be(2, refused.ToString());
        refused.Stderr.Should().Contain("graph.clientSecret from MDIFLOW_GRAPH__CLIENTSECRET: a secret is given only by reference, env:VARIABLE or file:PATH, never as its value");
        (refused.Stdout + refused.Stderr).Should().NotContain("Zx8~q-the-secret-itself");
    }

    [Fact]
    public void A_configuration_file_with_a_mistyped_setting_is_refused_with_a_suggestion()
    {
        var config = _ws.Write("ops.json", """{ "graph": { "tenant": "contoso.onmicrosoft.com", "signIn": "password" } }""");

        var refused = cli.Mdiflow(_ws.Root, "list", "--config", config);

        refused.ExitCode.Should().Be(2, refused.ToString());
        refused.Stderr.Should().Contain($"{config} sets 'graph.tenant', which is not a setting (did you mean 'graph.tenantId'?).");
        refused.Stderr.Should().Contain("graph.signIn from --config");
        refused.Stderr.Should().Contain("'password' is not one of certificate, managedIdentity, workloadIdentity, azureCli, deviceCode, clientSecret.");
    }

    [Fact]
    public void A_policy_a_configuration_file_names_can_only_tighten_the_installed_one()
    {
        var loosening = _ws.Write("loose.json", """{ "gates": { "requesterMayApprove": true } }""");
        var config = _ws.Write("ops.json", $$"""{ "policy": "{{loosening}}" }""");
        var workflow = _ws.Write("hello.json", """{ "id": "hello", "version": "1", "steps": [ { "id": "wait", "uses": "manualTask", "with": { "instructions": "wave" } } ] }""");

        var shown = cli.Mdiflow(_ws.Root, "config", "show", "--config", config);
        var run = cli.Mdiflow(_ws.Root, "run", workflow, "--config", config, "--store", _ws.Store);

        shown.Stdout.Should().Contain($"tightened by {loosening} (--config {config}); an overlay may only tighten it.");
        run.ExitCode.Should().Be(5, run.ToString());
        run.Stderr.Should().Contain(loosening);
    }

    [Fact]
    public void No_command_takes_a_secret_or_a_password_on_its_command_line()
    {
        var root = CliApplication.BuildRoot();
        var options = Commands(root).SelectMany(c => c.Options).Select(o => o.Name).Distinct().ToList();

        options.Should().NotBeEmpty();
        options.Where(o => o.Contains("secret", StringComparison.OrdinalIgnoreCase) && o != "--secret" || o.Contains("password", StringComparison.OrdinalIgnoreCase) || o.Contains("credential", StringComparison.OrdinalIgnoreCase))
            .Should().BeEmpty("a secret on a command line can be read by every account on the host (--secret takes references only)");
    }

    public void Dispose() => _ws.Dispose();

    private static IEnumerable<Command> Commands(Command command) => new[] { command }.Concat(command.Subcommands.SelectMany(Commands));

    private static Dictionary<string, (string? Value, string? Source)> Show(CliResult result)
    {
        result.ExitCode.Should().Be(0, result.ToString());
        return Workspace.Json(result)["settings"]!.AsArray().ToDictionary(
            s => s!["key"]!.GetValue<string>(),
            s => (s!["value"]?.GetValue<string>(), s["source"]?.GetValue<string>()));
    }
}
