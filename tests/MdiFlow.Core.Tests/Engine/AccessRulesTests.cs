using MdiFlow.Core.Tests.Support;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Policy;
using MdiFlow.Rehearsals;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Core.Tests.Engine;

/// <summary>The identity and policy rules the engine enforces whoever calls it (no CLI involved).</summary>
public sealed class AccessRulesTests : IAsyncDisposable
{
    private static readonly Actor Bob = new("bob", ActorSources.OperatingSystem);
    private static readonly Actor AssertedBob = new("bob", ActorSources.Asserted);
    private static readonly Actor Olga = new("olga", ActorSources.OperatingSystem);

    private readonly List<EngineFixture> _fixtures = [];

    private EngineFixture Fixture(string policy = """{ "groups": { "change-board": ["bob", "carol"] } }""", IRehearsalEnvironment? rehearsal = null)
    {
        var fixture = new EngineFixture(b =>
        {
            b.UsePolicy(OrganisationPolicy.Parse(policy, "test"));
            if (rehearsal is not null)
            {
                b.Services.AddSingleton(rehearsal);
            }
        });
        _fixtures.Add(fixture);
        return fixture;
    }

    private static WorkflowDefinition Gated(EngineFixture f) => f.Parse("""
        { "id": "gated", "steps": [
          { "id": "board", "uses": "approval", "with": { "approvers": ["group:change-board"] } },
          { "id": "after", "uses": "test.echo", "with": { "message": "ran" } } ] }
        """);

    [Fact]
    public async Task ActAsync_refuses_an_asserted_actor_on_a_real_instance_and_records_nothing()
    {
        var f = Fixture();
        var waiting = await f.StartAndRunAsync(Gated(f));

        var act = () => f.Engine.ActAsync(waiting.Instance.Id, new GateActionRequest { Action = GateAction.Approve, Actor = AssertedBob });

        (await act.Should().ThrowAsync<ActionNotAllowedException>()).WithMessage("The name 'bob' is asserted*accepted only on rehearsal instances*");
        (await f.Store.ReadJournalAsync(waiting.Instance.Id)).Should().NotContain(e => e.Kind == GateKeeper.Decided);
        f.Engine.Permission(waiting.Instance, AssertedBob, GateAction.Approve).Allowed.Should().BeFalse();
        f.Engine.Permission(waiting.Instance, Bob, GateAction.Approve).Allowed.Should().BeTrue();
    }

    [Fact]
    public async Task A_sign_in_counts_only_from_an_issuer_the_policy_trusts()
    {
        var f = Fixture("""{ "groups": { "change-board": ["bob", "carol"] }, "decisions": { "trustedIssuers": ["https://login.microsoftonline.com/tenant-a/v2.0"] } }""");
        var waiting = await f.StartAndRunAsync(Gated(f));
        Actor SignedIn(string? issuer) => new("bob", ActorSources.OpenIdConnect) { Claims = issuer is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["iss"] = issuer } };

        var elsewhere = () => f.Engine.ActAsync(waiting.Instance.Id, new GateActionRequest { Action = GateAction.Approve, Actor = SignedIn("https://evil.example/v2.0") });
        var unnamed = () => f.Engine.ActAsync(waiting.Instance.Id, new GateActionRequest { Action = GateAction.Approve, Actor = SignedIn(null) });

        (await elsewhere.Should().ThrowAsync<ActionNotAllowedException>()).WithMessage("bob signed in through 'https://evil.example/v2.0', which the organisation policy*does not trust*decisions.trustedIssuers*");
        (await unnamed.Should().ThrowAsync<ActionNotAllowedException>()).WithMessage("*an unnamed issuer*");
        (await f.Store.ReadJournalAsync(waiting.Instance.Id)).Should().NotContain(e => e.Kind == GateKeeper.Decided);
        f.Engine.Permission(waiting.Instance, SignedIn("https://evil.example/v2.0"), GateAction.Approve).Allowed.Should().BeFalse();
        var approved = await f.Engine.ActAsync(waiting.Instance.Id, new GateActionRequest { Action = GateAction.Approve, Actor = SignedIn("https://login.microsoftonline.com/tenant-a/v2.0") });
        approved.Instance.Status.Should().Be(InstanceStatus.Ready);
    }

    [Fact]
    public async Task Starting_with_an_asserted_actor_is_refused_unless_it_is_a_rehearsal()
    {
        var f = Fixture();

        var act = () => f.Engine.StartAsync(Gated(f), new StartRequest { Actor = AssertedBob });

        await act.Should().ThrowAsync<ActionNotAllowedException>();
        (await f.Store.ListAsync(new MdiFlow.Storage.InstanceQuery())).Should().BeEmpty();
    }

    [Fact]
    public async Task A_rehearsal_needs_its_rehearsal_environment_and_an_engine_wired_to_one_runs_no_real_instance()
    {
        var real = Fixture();
        var definition = real.Parse("""{ "id": "w", "steps": [ { "id": "s", "uses": "test.leaky", "with": { "token": "t" } } ] }""");
        var rehearsal = await real.Engine.StartAsync(definition, new StartRequest { Actor = EngineFixture.Alice, Rehearsal = true });

        var unwired = () => real.Engine.RunAsync(rehearsal.Id, new RunRequest { Actor = EngineFixture.Alice });

        (await unwired.Should().ThrowAsync<ActionNotAllowedException>()).WithMessage("*is a rehearsal, and this engine is not wired to its rehearsal environment*");

        var lab = new TestRehearsal(rehearsal.Id);
        var wired = Fixture(rehearsal: lab);
        var realInstance = await wired.Engine.StartAsync(definition, new StartRequest { Actor = EngineFixture.Alice });
        var wrong = () => wired.Engine.RunAsync(realInstance.Id, new RunRequest { Actor = EngineFixture.Alice });
        (await wrong.Should().ThrowAsync<ActionNotAllowedException>()).WithMessage("*wired to a rehearsal environment (test lab)*cannot run instance*which is not a rehearsal*");
    }

    [Fact]
    public async Task A_rehearsal_of_a_step_without_a_double_is_refused_at_start_naming_it()
    {
        var f = Fixture();
        var definition = f.Parse("""{ "id": "w", "steps": [ { "id": "effect", "uses": "test.echo", "with": { "message": "hi" } } ] }""");

        var act = () => f.Engine.StartAsync(definition, new StartRequest { Actor = EngineFixture.Alice, Rehearsal = true });

        (await act.Should().ThrowAsync<WorkflowValidationException>()).Which.Errors.Single().Message.Should().StartWith("step 'effect' uses 'test.echo', which has no rehearsal double");
    }

    [Fact]
    public async Task A_process_runs_only_the_instances_of_its_own_account_unless_the_policy_lets_others_run_them()
    {
        var f = Fixture();
        var definition = f.Parse("""{ "id": "w", "steps": [ { "id": "s", "uses": "test.echo", "with": { "message": "hi" } } ] }""");
        var alices = await f.Engine.StartAsync(definition, new StartRequest { Actor = EngineFixture.Alice });

        var byOlga = () => f.Engine.RunAsync(alices.Id, new RunRequest { Actor = Olga });

        (await byOlga.Should().ThrowAsync<ActionNotAllowedException>()).WithMessage("olga may not run instance*alice started it*run.forOthers*");
        (await f.Store.ReadJournalAsync(alices.Id)).Should().ContainSingle(e => e.Kind == JournalKinds.RunRefused);
        f.Effects.CountOf("s").Should().Be(0);

        var allowing = Fixture("""{ "groups": { "ops": ["alice"] }, "run": { "forOthers": ["group:ops"] } }""");
        var instance = await allowing.Engine.StartAsync(allowing.Parse("""{ "id": "w", "steps": [ { "id": "s", "uses": "test.echo", "with": { "message": "hi" } } ] }"""), new StartRequest { Actor = EngineFixture.Alice });
        (await allowing.Engine.RunAsync(instance.Id, new RunRequest { Actor = Olga })).Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public async Task Who_may_start_which_workflow_is_the_policys_and_is_checked_again_before_every_run()
    {
        var probe = Fixture();
        var definition = probe.Parse("""{ "id": "w", "steps": [ { "id": "s", "uses": "test.echo", "with": { "message": "hi" } } ] }""");
        var hash = WorkflowWriter.Hash(definition);
        var f = Fixture($$"""{ "groups": { "ops": ["alice"] }, "start": [ { "who": ["group:ops"], "workflows": ["sha256:{{hash}}"] } ] }""");

        var byOlga = () => f.Engine.StartAsync(definition, new StartRequest { Actor = Olga });
        var other = () => f.Engine.StartAsync(f.Parse("""{ "id": "w", "steps": [ { "id": "s", "uses": "test.echo", "with": { "message": "changed" } } ] }"""), new StartRequest { Actor = EngineFixture.Alice });

        (await byOlga.Should().ThrowAsync<ActionNotAllowedException>()).WithMessage($"olga may not start workflow 'w' (definition sha256:{hash}) on this host*");
        await other.Should().ThrowAsync<ActionNotAllowedException>();
        (await f.StartAndRunAsync(definition)).Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public async Task A_gate_step_is_never_skipped_and_a_step_before_a_gate_only_where_the_policy_allows()
    {
        var f = Fixture();
        var definition = f.Parse("""
            { "id": "w", "steps": [
              { "id": "probe", "uses": "test.flaky", "with": { "failures": 9, "permanent": true } },
              { "id": "board", "uses": "approval", "with": { "approvers": ["group:change-board"] } } ] }
            """);
        var failed = await f.StartAndRunAsync(definition);

        var skip = () => f.Engine.SkipAsync(failed.Instance.Id, "probe", "trust me", EngineFixture.Alice);

        (await skip.Should().ThrowAsync<ActionNotAllowedException>()).WithMessage("Step 'probe' comes before the gate 'board'*skip.beforeGate is false*");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var f in _fixtures)
        {
            await f.DisposeAsync();
        }
    }

    private sealed class TestRehearsal(InstanceId serves) : IRehearsalEnvironment
    {
        public string Description => "test lab";

        public string SandboxDirectory => Path.GetTempPath();

        public bool Serves(InstanceId instance) => instance == serves;
    }
}
