using System.Data;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Writing;

/// <summary>
/// Commits the store's writes on one connection of its own. Writes that arrive while a commit is under way wait for
/// the next one and are then committed together, in one transaction and one round trip (group commit): the server
/// flushes its log once for all of them, so durable saves per second can exceed the commits per second the server
/// manages one at a time. Each write keeps its own version check and journal rows, and a conflict fails only its
/// own caller; a commit that fails fails every write in it. A write alone is committed alone.
/// </summary>
/// <remarks>
/// Commits are durable: the connection uses <c>synchronous_commit = on</c> when the server's or database's default
/// is <c>off</c> (stronger settings are kept), and a server with <c>fsync = off</c> is refused when the store opens.
/// </remarks>
internal sealed class WriteBatcher : IAsyncDisposable
{
    /// <summary>Writes per transaction at most: a bigger batch holds its row locks (other writers wait) longer.</summary>
    public const int MaxBatch = 512;

    /// <summary>How often a batch undone by a deadlock with another store's batch is tried again.</summary>
    private const int Attempts = 3;

    private static readonly Counter<long> Commits = MdiFlowTelemetry.Meter.CreateCounter<long>(
        "mdiflow.store.commits", description: "Store transactions committed with instance writes; each carries one or more writes (group commit).");

    private static readonly Histogram<long> WritesPerCommit = MdiFlowTelemetry.Meter.CreateHistogram<long>(
        "mdiflow.store.commit.writes", description: "Instance writes (creates and saves) carried by one store commit.");

    private readonly StoreSettings _settings;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly KeyValuePair<string, object?> _tag;
    private readonly Task _loop;
    private readonly SemaphoreSlim _connectionInUse = new(1, 1);
    private NpgsqlConnection? _connection;
    private int _disposed;

    public WriteBatcher(StoreSettings settings, NpgsqlDataSource dataSource)
    {
        _settings = settings;
        _dataSource = dataSource;
        _tag = new("mdiflow.store.database", $"{settings.Address.Host}:{settings.Address.Port}/{settings.Address.Database}");
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>Queues a write for the next commit; completes once it is durable, or fails with why it was not written.</summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public Task WriteAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, typeof(PostgreSqlWorkflowStore));
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.ThrowIfCancellationRequested();
            write.Cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((PendingWrite)state!).TryCancel(token), write);
        }

        if (!_queue.Writer.TryWrite(write))
        {
            write.Cancellation.Dispose();
            throw new ObjectDisposedException(nameof(PostgreSqlWorkflowStore));
        }

        return write.Completion.Task;
    }

    /// <summary>Finishes the commit under way, fails the writes still queued, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await DropConnectionAsync().ConfigureAwait(false);
        _connectionInUse.Dispose();
    }

    /// <summary>A setting of the writing connection, between commits (tests check durability with it).</summary>
    internal async Task<string?> ReadSettingAsync(string name)
    {
        await _connectionInUse.WaitAsync().ConfigureAwait(false);
        try
        {
            var connection = await ConnectionAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT current_setting($1)", connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            return await command.ExecuteScalarAsync().ConfigureAwait(false) as string;
        }
        finally
        {
            _connectionInUse.Release();
        }
    }

    private async Task ServeAsync()
    {
        var batch = new List<PendingWrite>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false) && Volatile.Read(ref _disposed) == 0)
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                if (write.Begin())
                {
                    batch.Add(write);
                }
            }

            await _connectionInUse.WaitAsync().ConfigureAwait(false);
            try
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A bug here must not stop the loop or leave callers waiting.
                batch.ForEach(w => w.Fail(ex));
            }
            finally
            {
                _connectionInUse.Release();
                batch.Clear();
            }
        }

        while (_queue.Reader.TryRead(out var queued))
        {
            if (queued.Begin())
            {
                queued.Fail(new ObjectDisposedException(nameof(PostgreSqlWorkflowStore)));
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        // Two creates of one id, or two saves of one loaded version, cannot both win: only the first is sent, and the
        // others share its fate (a conflict whether it won or lost, or its error).
        var creates = new List<PendingWrite>();
        var saves = new List<PendingWrite>();
        var firsts = new Dictionary<(InstanceId, long), PendingWrite>();
        var duplicates = new List<(PendingWrite Write, PendingWrite First)>();
        foreach (var write in batch)
        {
            if (firsts.TryGetValue((write.Id, write.Expected), out var first))
            {
                duplicates.Add((write, first));
                continue;
            }

            firsts.Add((write.Id, write.Expected), write);
            (write.IsCreate ? creates : saves).Add(write);
        }

        await CommitAsync(creates, saves).ConfigureAwait(false);
        foreach (var (write, first) in duplicates)
        {
            var outcome = first.Completion.Task;
            write.Fail(outcome.Exception?.InnerException is { } error and not ConcurrencyException
                ? error
                : Conflict(write, stored: outcome.IsCompletedSuccessfully ? write.Expected + 1 : write.Expected));
        }
    }

    private async Task CommitAsync(List<PendingWrite> creates, List<PendingWrite> saves)
    {
        for (var attempt = 1; ; attempt++)
        {
            NpgsqlConnection connection;
            try
            {
                connection = await ConnectionAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                FailAll(creates, saves, StoreErrors.Translate(ex, _settings));
                return;
            }

            try
            {
                await ExecuteAsync(connection, creates, saves).ConfigureAwait(false);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < Attempts)
            {
                await RollbackAsync(connection).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (RefusesARow(ex) && creates.Count + saves.Count > 1)
            {
                // One write holds a row the database refuses: commit each alone, so that only it fails.
                await RollbackAsync(connection).ConfigureAwait(false);
                foreach (var write in creates.Concat(saves).ToList())
                {
                    await CommitAsync(write.IsCreate ? [write] : [], write.IsCreate ? [] : [write]).ConfigureAwait(false);
                }

                return;
            }
            catch (PostgresException ex) when (!ex.SqlState.StartsWith("57P", StringComparison.Ordinal))
            {
                await RollbackAsync(connection).ConfigureAwait(false);
                FailAll(creates, saves, StoreErrors.Translate(ex, _settings));
                return;
            }
            catch (Exception ex)
            {
                // The connection broke (or the server ended the session: 57P01..57P05) with the COMMIT sent or about to be:
                // nobody knows whether it took effect.
                await DropConnectionAsync().ConfigureAwait(false);
                FailAll(creates, saves, StoreErrors.CommitUnknown(_settings, ex));
                return;
            }
        }
    }

    /// <summary>One round trip: BEGIN, the creates, the saves, COMMIT; then each write learns its outcome.</summary>
    private async Task ExecuteAsync(NpgsqlConnection connection, List<PendingWrite> creates, List<PendingWrite> saves)
    {
        WriteOutcome[] created = [], saved = [];
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            if (creates.Count > 0)
            {
                batch.BatchCommands.Add(WriteStatements.Insert(creates));
            }

            if (saves.Count > 0)
            {
                batch.BatchCommands.Add(WriteStatements.Update(saves));
            }

            var notify = WriteStatements.Notify(creates.Concat(saves));
            if (notify is not null)
            {
                batch.BatchCommands.Add(notify);
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
            if (creates.Count > 0)
            {
                created = await WriteStatements.ReadOutcomesAsync(reader, creates.Count).ConfigureAwait(false);
                await reader.NextResultAsync().ConfigureAwait(false);
            }

            if (saves.Count > 0)
            {
                saved = await WriteStatements.ReadOutcomesAsync(reader, saves.Count).ConfigureAwait(false);
                await reader.NextResultAsync().ConfigureAwait(false);
            }

            // The COMMIT's own result is read here: nothing is reported before it is known to be durable.
            while (await reader.NextResultAsync().ConfigureAwait(false))
            {
            }
        }

        Commits.Add(1, _tag);
        WritesPerCommit.Record(creates.Count + saves.Count, _tag);
        Complete(creates, created);
        Complete(saves, saved);
    }

    private void Complete(List<PendingWrite> writes, WriteOutcome[] outcomes)
    {
        for (var i = 0; i < writes.Count; i++)
        {
            if (outcomes[i].Applied)
            {
                writes[i].Succeed();
            }
            else
            {
                writes[i].Fail(Conflict(writes[i], outcomes[i].Stored, outcomes[i].StoredToken));
            }
        }
    }

    private static ConcurrencyException Conflict(PendingWrite write, long? stored, long storedToken = 0) => (write.IsCreate, stored) switch
    {
        (false, not null) when LeaseFence.IsStale(write.Token, storedToken) => LeaseFence.Lost(write.Id, write.Token, storedToken),
        (true, _) => new ConcurrencyException($"Instance {write.Id} already exists."),
        (false, null) => new ConcurrencyException($"Instance {write.Id} does not exist."),
        (false, { } version) when version == write.Expected => new ConcurrencyException($"Instance {write.Id} was changed by another writer at the same moment (expected version {write.Expected})."),
        (false, { } version) => new ConcurrencyException($"Instance {write.Id} was changed by another writer (version {version}, expected {write.Expected})."),
    };

    /// <summary>The store's writing connection, opened (again) when needed, with durable commits.</summary>
    private async Task<NpgsqlConnection> ConnectionAsync()
    {
        if (_connection is { State: ConnectionState.Open } open)
        {
            return open;
        }

        await DropConnectionAsync().ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        try
        {
            // Durable commits; and batch statements that find their rows through the primary key whatever the batch's
            // size: with hundreds of writes the planner would otherwise hash-join them with a scan of every instance,
            // a cost that grows with the store instead of the batch. This connection runs nothing else.
            await using var command = new NpgsqlCommand("""
                SELECT CASE WHEN current_setting('synchronous_commit') = 'off' THEN set_config('synchronous_commit', 'on', false) END,
                       set_config('enable_seqscan', 'off', false)
                """, connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return _connection = connection;
    }

    private async Task RollbackAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            await DropConnectionAsync().ConfigureAwait(false);
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The database refused a value or a row (a constraint, bad JSON, a NUL character), not the commit as a whole.</summary>
    private static bool RefusesARow(PostgresException ex) => ex.SqlState.StartsWith("23", StringComparison.Ordinal) || ex.SqlState.StartsWith("22", StringComparison.Ordinal);

    private static void FailAll(List<PendingWrite> creates, List<PendingWrite> saves, Exception error)
    {
        creates.ForEach(w => w.Fail(error));
        saves.ForEach(w => w.Fail(error));
    }
}
