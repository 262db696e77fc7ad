using MdiFlow.Engine;
using MdiFlow.Policy;
using MdiFlow.Testing;

namespace MdiFlow.Core.Tests.Policy;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PolicyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static OrganisationPolicy Parse(string json) => OrganisationPolicy.Parse(json, "test");

    private static readonly OrganisationPolicy Installed = Parse("""
        { "groups": { "change-board": ["bob", "carol"] },
          "gates": { "minApprovals": 2, "maxExpiry": "P2D", "requiredApproverGroup": "change-board" },
          "decisions": { "maxSignInAge": "PT30M" } }
        """);

    [Fact]
    public void An_overlay_that_only_tightens_is_combined_so_that_both_must_allow_it()
    {
        var combined = Installed.TightenedBy(Parse("""{ "groups": { "change-board": ["bob"] }, "gates": { "minApprovals": 3, "maxExpiry": "PT4H" }, "decisions": { "requireMfa": true }, "rehearsals": { "enabled": false } }"""));

        combined.Groups["change-board"].Should().Equal("bob");
        combined.Gates.Should().Be(new GateFloors { MinApprovals = 3, MaxExpiry = TimeSpan.FromHours(4), RequiredApproverGroup = "change-board" });
        combined.Decisions.Should().Be(new DecisionRules { RequireMfa = true, MaxSignInAge = TimeSpan.FromMinutes(30) });
        combined.Rehearsals.Enabled.Should().BeFalse();
        combined.Hash.Should().NotBe(Installed.Hash);
    }

    [Fact]
    public void Trusted_issuers_may_be_narrowed_by_an_overlay_but_never_added_to()
    {
        var installed = Parse("""{ "decisions": { "trustedIssuers": ["https://login.microsoftonline.com/tenant-a/v2.0", "https://login.microsoftonline.com/tenant-b/v2.0/"] } }""");

        var narrowed = installed.TightenedBy(Parse("""{ "decisions": { "trustedIssuers": ["https://login.microsoftonline.com/tenant-b/v2.0"] } }"""));
        var kept = installed.TightenedBy(Parse("""{ "decisions": { "requireMfa": true } }"""));
        var widen = () => installed.TightenedBy(Parse("""{ "decisions": { "trustedIssuers": ["https://login.microsoftonline.com/tenant-a/v2.0", "https://evil.example/v2.0"] } }"""));

        narrowed.Decisions.Trusts("https://login.microsoftonline.com/tenant-b/v2.0/").Should().BeTrue("a trailing slash does not matter");
        narrowed.Decisions.Trusts("https://login.microsoftonline.com/tenant-a/v2.0").Should().BeFalse();
        kept.Decisions.TrustedIssuers.Should().HaveCount(2);
        widen.Should().Throw<ActionNotAllowedException>().Which.Message.Should().Contain("decisions.trustedIssuers adds 'https://evil.example/v2.0'");
        OrganisationPolicy.Default.Decisions.Trusts("https://login.microsoftonline.com/tenant-a/v2.0").Should().BeFalse("by default no issuer's sign-ins count on real instances");
        Parse("""{ "decisions": { "trustedIssuers": ["https://login.microsoftonline.com/tenant-a/V2.0"] } }""").Decisions.Trusts("https://login.microsoftonline.com/tenant-a/v2.0").Should().BeFalse("issuers compare exactly");
    }

    [Fact]
    public void A_trusted_issuer_must_be_an_https_url_or_a_loopback_lab()
    {
        var act = () => Parse("""{ "decisions": { "trustedIssuers": ["login.microsoftonline.com", "http://idp.contoso.com/v2.0"] } }""");

        act.Should().Throw<PolicyException>().Which.Message.Should().Contain("'login.microsoftonline.com' is not an issuer URL").And.Contain("'http://idp.contoso.com/v2.0' is not an issuer URL");
        Parse("""{ "decisions": { "trustedIssuers": ["http://127.0.0.1:5123/lab/v2.0"] } }""").Decisions.TrustedIssuers.Should().ContainSingle();
    }

    [Fact]
    public void An_overlay_with_only_some_floors_keeps_the_installed_ones()
    {
        var combined = Installed.TightenedBy(Parse("""{ "gates": { "maxExpiry": "P1D" } }"""));

        combined.Gates.MinApprovals.Should().Be(2, "an overlay that does not mention a floor does not lower it");
        combined.Gates.MaxExpiry.Should().Be(TimeSpan.FromDays(1));
    }

    [Fact]
    public void An_overlay_that_loosens_anything_is_refused_naming_every_loosening()
    {
        var act = () => Installed.TightenedBy(Parse("""
            { "groups": { "change-board": ["bob", "carol", "mallory"], "mine": ["mallory"] },
              "gates": { "minApprovals": 1, "requesterMayApprove": true, "maxExpiry": "P30D", "requiredApproverGroup": "mine" },
              "decisions": { "maxSignInAge": "P1D" },
              "start": [ { "who": ["*"], "workflows": ["*"] } ],
              "skip": { "beforeGate": true },
              "rehearsals": { "allowRealSteps": true } }
            """) with { Source = "mine.json" });

        act.Should().Throw<ActionNotAllowedException>().Which.Message.Should()
            .StartWith("The policy mine.json may only tighten the installed policy, test, but ")
            .And.Contain("it adds mallory to group 'change-board'")
            .And.Contain("it defines group 'mine', which the installed policy does not have")
            .And.Contain("gates.minApprovals 1 is below the installed 2")
            .And.Contain("gates.requesterMayApprove would let requesters approve their own changes")
            .And.Contain("gates.maxExpiry 30.00:00:00 is longer than the installed 2.00:00:00")
            .And.Contain("gates.requiredApproverGroup 'mine' replaces the installed 'change-board'")
            .And.Contain("decisions.maxSignInAge is longer than the installed 00:30:00")
            .And.Contain("who may start and whose work may be run are set by the installed policy only")
            .And.Contain("skip.beforeGate would allow skipping")
            .And.Contain("rehearsals.allowRealSteps would let rehearsals do real work");
    }

    [Fact]
    public void A_policy_is_refused_for_repeated_or_unknown_properties_and_impossible_rules()
    {
        FluentActions.Invoking(() => Parse("""{ "gates": { "minApprovals": 2, "minApprovals": 1 } }""")).Should().Throw<PolicyException>().WithMessage("*not valid*minApprovals*");
        FluentActions.Invoking(() => Parse("""{ "gatez": {} }""")).Should().Throw<PolicyException>().WithMessage("*not valid*gatez*");
        FluentActions.Invoking(() => Parse("""{ "gates": { "minApprovals": 0, "requiredApproverGroup": "cab" }, "start": [ { "who": ["bob"], "workflows": [] } ] }""")).Should().Throw<PolicyException>()
            .Which.Message.Should().Contain("gates.minApprovals must be 1 or more")
            .And.Contain("requiredApproverGroup 'cab' is not one of its groups")
            .And.Contain("start[0].who entry 'bob' must be 'user:NAME' or 'group:NAME'")
            .And.Contain("start[0].workflows must list");
    }

    [Fact]
    public void Start_rules_name_workflow_files_by_the_hash_of_their_definition()
    {
        var file = _dir.Combine("deploy.json");
        File.WriteAllText(file, """{ "id": "deploy", "steps": [ { "id": "a", "uses": "test.echo", "with": { "message": "hi" } } ] }""");

        var policy = Parse($$"""{ "start": [ { "who": ["group:ops"], "workflows": ["file:{{file}}"] } ], "groups": { "ops": ["olga"] } }""");

        policy.Start.Single().Workflows.Single().Should().Be("sha256:" + MdiFlow.Definitions.WorkflowWriter.Hash(MdiFlow.Definitions.WorkflowLoader.LoadFile(file).Definition!));
    }

    [Fact]
    public void The_installed_policy_is_read_from_its_system_path_and_refused_when_others_may_change_it()
    {
        var path = _dir.Combine("policy.json");
        InstalledPolicy.Load([], path).Source.Should().Contain("built-in defaults", "no file means the defaults");
        File.WriteAllText(path, """{ "groups": { "cab": ["bob"] } }""");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        InstalledPolicy.Load([], path).Groups["cab"].Should().Equal("bob");

        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_100);

        FluentActions.Invoking(() => InstalledPolicy.Load([], path)).Should().Throw<ActionNotAllowedException>()
            .WithMessage($"The policy {path} (installed) is refused: '{path}' can be written by its group or by everyone (mode 0664). Fix: chmod go-w '{path}'.*");
    }

    [Fact]
    public void A_named_policy_that_does_not_exist_or_is_not_a_file_is_a_clear_error()
    {
        FluentActions.Invoking(() => InstalledPolicy.Load([new PolicyOverlay(_dir.Combine("missing.json"), "--policy")], _dir.Combine("none.json")))
            .Should().Throw<PolicyException>().WithMessage("*missing.json (--policy) cannot be used: '*missing.json' does not exist.");
        FluentActions.Invoking(() => InstalledPolicy.Load([new PolicyOverlay("/dev/zero", "--policy")], _dir.Combine("none.json")))
            .Should().Throw<PolicyException>().WithMessage("*is not a regular file*");
    }

    public void Dispose() => _dir.Dispose();
}
