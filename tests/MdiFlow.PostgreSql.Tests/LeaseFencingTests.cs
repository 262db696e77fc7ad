using System.Text.Json.Nodes;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.PostgreSql.Tests;

/// <summary>
/// Fencing tokens on a real server, between two hosts that share nothing but the database (two stores, two engines,
/// two clocks): a worker paused past its lease whose instance another took over can never commit over the new owner.
/// </summary>
public sealed class LeaseFencingTests : DatabaseTest
{
    private const string Workflow = """
        { "id": "fenced", "steps": [ { "id": "held", "uses": "test.held" }, { "id": "after", "uses": "test.anywhere" } ] }
        """;

    private readonly HeldSignals _held = new();

    [Fact]
    public async Task A_paused_workers_save_is_refused_as_lease_lost_after_another_host_claimed_and_nothing_it_did_counts()
    {
        var pausedClock = new FakeTimeProvider(TestInstances.Start);
        await using var paused = new SharedStoreHost(Database, "DC01", pausedClock, _held);
        var id = (await paused.StartAsync(Workflow, "DC01")).Id;
        var pausedRun = paused.Engine.RunAsync(id, new RunRequest { Actor = SharedStoreHost.Owner });
        (await _held.Entered.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();

        // DC01 stands still (its clock does not move: it renews nothing); past its lease DC02 finds it dead and claims it.
        await using var other = new SharedStoreHost(Database, "DC02", new FakeTimeProvider(TestInstances.Start + TimeSpan.FromMinutes(6)), _held);
        var recovering = other.Engine.RunAsync(id, new RunRequest { Actor = SharedStoreHost.Owner });
        (await _held.Entered.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        (await Database.ScalarAsync<long>($"SELECT lease_token FROM mdiflow.instances WHERE id = '{id}'")).Should().Be(2);
        var journalBefore = await other.Store.ReadJournalAsync(id);

        // Both attempts finish; DC01's save carries token 1 and the statement refuses it.
        _held.Release.SetResult();
        var lost = (await FluentActions.Awaiting(() => pausedRun).Should().ThrowAsync<ConcurrencyException>()).Which;
        var recovered = await recovering;

        lost.LeaseLost.Should().BeTrue(lost.Message);
        recovered.Status.Should().Be(InstanceStatus.Completed);
        var stored = (await paused.Store.FindAsync(id))!;
        stored.Status.Should().Be(InstanceStatus.Completed);
        stored.Steps.Select(s => s.Output?["host"]?.GetValue<string>()).Should().Equal(null, "DC02");
        var journal = await paused.Store.ReadJournalAsync(id);
        journal.Take(journalBefore.Count).Should().Equal(journalBefore);
        journal.Count(e => e.Kind == JournalKinds.StepCompleted && e.Step == "held").Should().Be(1, "only the new holder's completion counts");
        journal.Where(e => e.Kind == JournalKinds.InstanceResumed).Select(e => JsonNode.Parse(e.Data!)!["leaseToken"]!.GetValue<long>()).Should().Equal(1, 2);
        TestInstances.VerifyChain(JournalKey.Load(Database.KeyFile), id, journal).Should().BeNull();
    }

    [Fact]
    public async Task A_worker_whose_renewal_is_refused_because_another_host_claimed_stops_its_step()
    {
        var firstClock = new FakeTimeProvider(TestInstances.Start);
        await using var first = new SharedStoreHost(Database, "DC01", firstClock, _held);
        var id = (await first.StartAsync(Workflow, "DC01")).Id;
        var firstRun = first.Engine.RunAsync(id, new RunRequest { Actor = SharedStoreHost.Owner });
        (await _held.Entered.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        await using var second = new SharedStoreHost(Database, "DC02", new FakeTimeProvider(TestInstances.Start + TimeSpan.FromMinutes(6)), _held);
        var secondRun = second.Engine.RunAsync(id, new RunRequest { Actor = SharedStoreHost.Owner });
        (await _held.Entered.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();

        firstClock.Advance(TimeSpan.FromMinutes(1)); // DC01 wakes up: its next renewal (a fifth of the lease) is refused

        // DC01's step is never released: only the cancellation of its lost lease ends it.
        var lost = (await FluentActions.Awaiting(() => firstRun).Should().ThrowAsync<ConcurrencyException>()).Which;
        lost.LeaseLost.Should().BeTrue();
        lost.Message.Should().Contain("lost its lease").And.Contain("'held'");
        var held = (await second.Store.FindAsync(id))!;
        held.Lease!.Host.Should().Be("DC02");
        held.Lease.Token.Should().Be(2);
        _held.Release.SetResult();
        (await secondRun).Status.Should().Be(InstanceStatus.Completed);
        (await second.Store.ReadJournalAsync(id)).Count(e => e.Kind == JournalKinds.StepCompleted && e.Step == "held").Should().Be(1);
    }
}
