using System.Text.Json.Nodes;
using MdiFlow.Core.Tests.Support;
using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Testing;

namespace MdiFlow.Core.Tests.Secrets;

/// <summary>What the engine does with the secrets a step sees: masks them everywhere, and removes the files that hold them.</summary>
public sealed class SecretHandlingTests : IAsyncDisposable, IDisposable
{
    private const string Token = "s3cr3t-token-value-4711";
    private readonly EngineFixture _f = new();
    private readonly TempDirectory _dir = new();

    private MdiFlow.Definitions.WorkflowDefinition Leaky(string with) => _f.Parse($$$"""
        { "id": "leaky", "inputs": { "token": { "secret": true } }, "steps": [
          { "id": "leak", "uses": "test.leaky", "with": { "token": "{{ secrets.token }}", {{{with}}} } } ] }
        """);

    private StartRequest WithToken() => new()
    {
        Actor = EngineFixture.Alice,
        Secrets = new Dictionary<string, string> { ["token"] = "env:MDIFLOW_TEST_TOKEN" },
    };

    public SecretHandlingTests() => Environment.SetEnvironmentVariable("MDIFLOW_TEST_TOKEN", Token);

    [Fact]
    public async Task A_secret_an_activity_outputs_or_logs_is_masked_before_it_is_stored()
    {
        var run = await _f.StartAndRunAsync(Leaky("\"fail\": false"), WithToken());

        run.Status.Should().Be(InstanceStatus.Completed);
        var stored = await _f.Store.FindAsync(run.Instance.Id);
        stored!.Steps[0].Output!["message"]!.GetValue<string>().Should().Be("the token *** and ***");
        string.Join("\n", _f.Logs.Messages).Should().NotContain(Token).And.NotContain(LeakyActivity.FromVault).And.Contain("token is ***, vault gave ***");
        (await _f.Store.ReadJournalAsync(run.Instance.Id)).Should().NotContain(e => (e.Data ?? "").Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secret_in_an_error_its_fix_or_its_details_is_masked()
    {
        var run = await _f.StartAndRunAsync(Leaky("\"fail\": true"), WithToken());

        run.Status.Should().Be(InstanceStatus.Failed);
        var error = run.Instance.Steps[0].Error!;
        error.Message.Should().Be("failed with *** and ***");
        error.Fix.Should().Be("use ***");
        error.Details!["tail"].Should().Be("...***...");
        string.Concat((await _f.Store.ReadJournalAsync(run.Instance.Id)).Select(e => e.Data)).Should().NotContain(Token).And.NotContain(LeakyActivity.FromVault);
        string.Join("\n", _f.Logs.Messages).Should().NotContain(Token).And.NotContain(LeakyActivity.FromVault)
            .And.Contain($"Instance {run.Instance.Id} failed at step leak after 1 attempt(s): test.leak.", "the engine's own events name the error, never its text or any field holding a secret");
    }

    [Fact]
    public async Task A_file_tracked_as_holding_a_secret_is_removed_when_the_attempt_ends()
    {
        var file = _dir.Combine("key.txt");

        var run = await _f.StartAndRunAsync(Leaky($"\"keyFile\": \"{file}\""), WithToken());

        run.Status.Should().Be(InstanceStatus.Completed);
        File.Exists(file).Should().BeFalse("the activity left it; the engine removes it whatever the activity did");
        run.Instance.Steps[0].SecretFiles.Should().BeNull();
    }

    [Fact]
    public async Task A_crashed_attempt_s_secret_file_is_removed_on_recovery_before_anything_else()
    {
        var file = _dir.Combine("key.txt");
        var instance = await _f.Engine.StartAsync(Leaky($"\"keyFile\": \"{file}\", \"hold\": true"), WithToken());
        var first = _f.Engine.RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice }, CancellationToken.None);
        await _f.Signals.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        File.Exists(file).Should().BeTrue("the attempt wrote the file and is held");
        (await _f.Store.FindAsync(instance.Id))!.Steps[0].SecretFiles.Should().Equal(Path.GetFullPath(file));

        // The holder "died": its clock stands still, so it renews nothing; on a clock past its lease another process recovers it.
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(_f.Time.GetUtcNow() + TimeSpan.FromMinutes(6));
        var recovering = _f.SecondEngine(later).RunAsync(instance.Id, new RunRequest { Actor = EngineFixture.Alice });
        await _f.Signals.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var journal = await _f.Store.ReadJournalAsync(instance.Id);
        journal.Should().Contain(e => e.Kind == MdiFlow.Journal.JournalKinds.SecretFilesRemoved && e.Step == "leak");
        var removedAt = journal.ToList().FindIndex(e => e.Kind == MdiFlow.Journal.JournalKinds.SecretFilesRemoved);
        journal.ToList().FindIndex(e => e.Kind == MdiFlow.Journal.JournalKinds.InstanceRecovered).Should().BeGreaterThan(removedAt, "the file goes first, then the run recovers");
        _f.Signals.Release.SetResult();
        (await recovering).Status.Should().Be(InstanceStatus.Completed);
        File.Exists(file).Should().BeFalse();
        await FluentActions.Awaiting(() => first).Should().ThrowAsync<MdiFlow.Storage.ConcurrencyException>();
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("MDIFLOW_TEST_TOKEN", null);
        _dir.Dispose();
    }
}
