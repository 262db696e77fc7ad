using MdiFlow.Storage;

namespace MdiFlow.Engine;

/// <summary>The lease of a run while an attempt executes: renewed by the engine's <see cref="LeaseKeeper"/>.</summary>
internal sealed partial class RunSession
{
    /// <summary>From now until <see cref="StopRenewingAsync"/>, the lease keeper renews this run's lease for the attempt.</summary>
    private void StartRenewing(CancellationTokenSource attempt)
    {
        _renewing = attempt;
        leases.Track(this);
    }

    /// <summary>
    /// Stops renewing and waits for a renewal under way, so that nothing else reads or writes the instance
    /// while this run changes it after the attempt.
    /// </summary>
    private async Task StopRenewingAsync()
    {
        leases.Untrack(this);
        _renewing = null;
        await _saveLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        _saveLock.Release();
    }

    /// <summary>
    /// Renews the lease while a long step runs, so no other process takes the instance over. When another
    /// process already did (this one was presumed dead), the attempt is cancelled. Called by the lease keeper.
    /// </summary>
    public async Task RenewLeaseAsync()
    {
        if (!await _saveLock.WaitAsync(0).ConfigureAwait(false))
        {
            return; // A save is under way; it carries a fresh lease.
        }

        try
        {
            if (_renewing is not { } attempt)
            {
                return; // The attempt ended meanwhile.
            }

            await RenewAsync(attempt).ConfigureAwait(false);
        }
        finally
        {
            _saveLock.Release();
        }
    }

    private async Task RenewAsync(CancellationTokenSource attempt)
    {
        // The lease as last saved: until its expiry it is known to hold; past it another process may have claimed it.
        var saved = instance.Lease;
        try
        {
            leases.Extend(instance);
            instance.UpdatedAt = time.GetUtcNow();
            await store.SaveAsync(instance, [], CancellationToken.None).ConfigureAwait(false);
        }
        catch (ConcurrencyException ex)
        {
            _leaseLost = ex;
            await attempt.CancelAsync().ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            instance.Lease = saved;
            if (time.GetUtcNow() >= (saved?.ExpiresAt ?? DateTimeOffset.MinValue))
            {
                // The store could not be reached for the whole lease: another process may hold it now, so stop the step.
                _leaseLost = ex;
                await attempt.CancelAsync().ConfigureAwait(false);
            }

            // Otherwise the store is briefly unavailable: the next renewal tries again, well before the lease ends.
        }
    }
}
