using System.Text.Json.Nodes;
using MdiFlow.Core.Tests.Support;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Core.Tests.Engine;

/// <summary>Leases with fencing: every claim a higher token, renewals every fifth of the lease, a lost lease stops the step.</summary>
public sealed class LeaseKeeperTests : IAsyncDisposable
{
    private readonly EngineFixture _f = new();

    private async Task<InstanceId> StartHeldAsync()
    {
        var definition = _f.Parse("""{ "id": "w", "steps": [ { "id": "held", "uses": "test.block" }, { "id": "after", "uses": "test.echo", "with": { "message": "a" } } ] }""");
        return (await _f.Engine.StartAsync(definition, new StartRequest { Actor = EngineFixture.Alice })).Id;
    }

    [Fact]
    public async Task A_paused_holders_save_is_refused_as_lease_lost_once_another_process_claimed_and_nothing_it_did_counts()
    {
        var id = await StartHeldAsync();
        var paused = _f.Engine.RunAsync(id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Signals.Entered.WaitAsync();

        // The holder is paused (its clock stands still, it renews nothing); past its lease another process claims it.
        var later = new FakeTimeProvider(_f.Time.GetUtcNow() + TimeSpan.FromMinutes(6));
        var recovering = _f.SecondEngine(later).RunAsync(id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Signals.Entered.WaitAsync();
        (await _f.Store.FindAsync(id))!.LeaseToken.Should().Be(2);
        var journalBefore = await _f.Store.ReadJournalAsync(id);

        // Both attempts finish; the paused one's save carries token 1 and is refused as a lost lease.
        _f.Signals.Release.SetResult();
        var lost = (await FluentActions.Awaiting(() => paused).Should().ThrowAsync<ConcurrencyException>()).Which;
        var recovered = await recovering;

        lost.LeaseLost.Should().BeTrue(lost.Message);
        recovered.Status.Should().Be(InstanceStatus.Completed);
        var journal = await _f.Store.ReadJournalAsync(id);
        journal.Take(journalBefore.Count).Should().Equal(journalBefore);
        journal.Count(e => e.Kind == JournalKinds.StepCompleted && e.Step == "held").Should().Be(1, "only the new holder's completion counts");
        journal.Where(e => e.Kind == JournalKinds.InstanceResumed).Select(e => JsonNode.Parse(e.Data!)!["leaseToken"]!.GetValue<long>()).Should().Equal(1, 2);
        _f.Verify(id, journal).Should().BeNull();
    }

    [Fact]
    public async Task A_stale_token_is_refused_as_lease_lost_by_the_store_itself()
    {
        var id = await StartHeldAsync();
        var run = _f.Engine.RunAsync(id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Signals.Entered.WaitAsync();
        var holder = (await _f.Store.FindAsync(id))!;
        var person = (await _f.Store.FindAsync(id))!;
        person.Lease = null;
        var claimer = (await _f.Store.FindAsync(id))!;
        claimer.LeaseToken++;
        claimer.Lease = claimer.Lease! with { Owner = "another-process", Token = claimer.LeaseToken };
        await _f.Store.SaveAsync(claimer, []);

        var holderSave = () => _f.Store.SaveAsync(holder, []).AsTask();
        var personSave = () => _f.Store.SaveAsync(person, []).AsTask();

        var refused = (await holderSave.Should().ThrowAsync<ConcurrencyException>()).Which;
        refused.LeaseLost.Should().BeTrue();
        refused.Message.Should().Be($"Instance {id} was claimed by another process after this one's lease (fencing token 2; this save carries 1): this process lost its lease, so the save was refused and nothing it did since counts.");
        (await personSave.Should().ThrowAsync<ConcurrencyException>()).Which.LeaseLost.Should().BeFalse("a stale save without a lease is an ordinary conflict");
        _f.Signals.Release.SetResult();
        (await FluentActions.Awaiting(() => run).Should().ThrowAsync<ConcurrencyException>()).Which.LeaseLost.Should().BeTrue("the engine's own holder was fenced off too");
    }

    [Fact]
    public async Task A_running_steps_lease_is_renewed_every_fifth_of_its_length_with_the_same_token()
    {
        var id = await StartHeldAsync();
        var run = _f.Engine.RunAsync(id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Signals.Entered.WaitAsync();
        var first = (await _f.Store.FindAsync(id))!.Lease!;

        _f.Time.Advance(TimeSpan.FromMinutes(1)); // a fifth of the default five minutes
        var renewed = await LeaseChangedAsync(id, first);

        renewed.ExpiresAt.Should().Be(first.ExpiresAt + TimeSpan.FromMinutes(1));
        renewed.Token.Should().Be(first.Token);
        _f.Signals.Release.SetResult();
        (await run).Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public async Task A_renewal_refused_because_another_process_claimed_cancels_the_step()
    {
        var id = await StartHeldAsync();
        var run = _f.Engine.RunAsync(id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Signals.Entered.WaitAsync();

        // Another process claims it (as a worker that found the lease expired would): a new token, a new version.
        var other = (await _f.Store.FindAsync(id))!;
        other.LeaseToken++;
        other.Lease = other.Lease! with { Owner = "another-process", Token = other.LeaseToken };
        await _f.Store.SaveAsync(other, []);

        _f.Time.Advance(TimeSpan.FromMinutes(1));

        // The step is never released: only the cancellation of the lost lease ends it.
        var lost = (await FluentActions.Awaiting(() => run).Should().ThrowAsync<ConcurrencyException>()).Which;
        lost.LeaseLost.Should().BeTrue();
        lost.Message.Should().Contain("lost its lease").And.Contain("'held'");
        (await _f.Store.FindAsync(id))!.Lease!.Owner.Should().Be("another-process");
    }

    /// <summary>Waits (bounded) until the stored lease differs from <paramref name="before"/>: the renewal runs on the lease keeper's timer.</summary>
    private async Task<Lease> LeaseChangedAsync(InstanceId id, Lease before)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            if ((await _f.Store.FindAsync(id, limit.Token))!.Lease is { } lease && lease != before)
            {
                return lease;
            }

            await Task.Yield();
            limit.Token.ThrowIfCancellationRequested();
        }
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();
}
