using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MdiFlow.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Cli.Tests.Trust;

/// <summary>
/// Someone who can write the store file but not read the journal key: whatever they shorten, move, rewrite or edit is
/// found by <c>audit --verify</c>, and every command that would act on the instance refuses (exit 3), running nothing.
/// </summary>
[Collection(CliCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RecordTamperingTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    private CliResult Mdiflow(params string[] args) => cli.Mdiflow(_ws.Root, [.. args, "--store", _ws.Store]);

    private string Portal() => _ws.Write("portal.json", """
        { "id": "portal", "steps": [
          { "id": "check", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo checked"] } },
          { "id": "portal", "uses": "manualTask", "with": { "instructions": "Create the workspace." } },
          { "id": "install", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo ran >> install.count"] } } ] }
        """);

    private string Start()
    {
        var run = Mdiflow("run", Portal(), "--json");
        run.ExitCode.Should().Be(10, run.ToString());
        return Workspace.Json(run)["instanceId"]!.GetValue<string>();
    }

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_ws.StorePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER IF EXISTS journal_no_update; DROP TRIGGER IF EXISTS journal_no_delete; " + sql;
        command.ExecuteNonQuery();
    }

    [Theory]
    [InlineData("last", "its journal ends at entry 5, but it records 6 entries: the last 1 were removed")]
    [InlineData("last five", "its journal ends at entry 1, but it records 6 entries: the last 5 were removed")]
    [InlineData("all", "its journal is missing, but it records 6 entries")]
    [InlineData("moved", "belongs to another instance")]
    public void A_shortened_emptied_or_borrowed_journal_fails_verification_naming_the_problem(string how, string problem)
    {
        var id = Start();
        var other = Start();
        Mdiflow("audit", id, "--verify").ExitCode.Should().Be(0, "an untouched journal verifies");
        Tamper(how switch
        {
            "last" => $"DELETE FROM journal WHERE instance_id = '{id}' AND seq = 6",
            "last five" => $"DELETE FROM journal WHERE instance_id = '{id}' AND seq > 1",
            "all" => $"DELETE FROM journal WHERE instance_id = '{id}'",
            _ => $"DELETE FROM journal WHERE instance_id = '{id}'; UPDATE journal SET instance_id = '{id}' WHERE instance_id = '{other}'",
        });

        var audit = Mdiflow("audit", id, "--verify");

        audit.ExitCode.Should().Be(3, audit.ToString());
        audit.Stdout.Should().Contain(problem);
        Mdiflow("complete", id, "--step", "portal", "--evidence", "x").ExitCode.Should().Be(3, "no command acts on a record that does not verify");
    }

    [Fact]
    public void An_entry_edited_and_rechained_with_the_documented_unkeyed_hashes_does_not_verify()
    {
        var id = Start();
        var entries = new List<(long Seq, string At, string Kind, string Actor, string Source, string? Step, string? Data)>();
        using (var connection = new SqliteConnection($"Data Source={_ws.StorePath};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT seq, at, kind, actor, actor_source, step, data FROM journal WHERE instance_id = '{id}' ORDER BY seq";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                entries.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
        }

        // The attacker rewrites the creator and recomputes every hash as the old, unkeyed chain was documented, fixing the head.
        var sql = new StringBuilder();
        var previous = "";
        foreach (var e in entries)
        {
            var actor = e.Seq == 1 ? "SECURITY-LEAD" : e.Actor;
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001F', previous, e.Seq.ToString(CultureInfo.InvariantCulture), e.At, e.Kind, actor, e.Source, e.Step ?? "", e.Data ?? ""))));
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE journal SET actor = '{actor}', previous_hash = '{previous}', hash = '{hash}' WHERE instance_id = '{id}' AND seq = {e.Seq};");
            previous = hash;
        }

        sql.Append(CultureInfo.InvariantCulture, $"UPDATE instances SET document = json_set(document, '$.journalHead', '{previous}') WHERE id = '{id}';");
        Tamper(sql.ToString());

        var audit = Mdiflow("audit", id, "--verify");

        audit.ExitCode.Should().Be(3, audit.ToString());
        audit.Stdout.Should().Contain("the journal is broken at entry 1").And.Contain("does not match its seal");
    }

    [Fact]
    public void Expect_head_proves_nothing_up_to_a_quoted_head_changed_and_fails_after_a_change_before_it()
    {
        var id = Start();
        var head = Mdiflow("audit", id, "--head").Stdout.Trim();
        head.Should().MatchRegex("^journal head: [0-9a-f]{64} at entry 6$");
        var mac = head.Split(' ')[2];
        Mdiflow("complete", id, "--step", "portal", "--evidence", "done").ExitCode.Should().Be(0);
        Mdiflow("resume", id).ExitCode.Should().Be(0);

        Mdiflow("audit", id, "--verify", "--expect-head", mac).ExitCode.Should().Be(0, "the chain grew past the head, and nothing up to it changed");
        Tamper($"UPDATE journal SET data = replace(data, 'portal', 'p0rtal') WHERE instance_id = '{id}' AND seq = 1");

        var after = Mdiflow("audit", id, "--verify", "--expect-head", mac);
        after.ExitCode.Should().Be(3, after.ToString());
        after.Stdout.Should().Contain("the expected head is entry 6, but the chain up to it is broken at entry 1");
        Mdiflow("audit", id, "--verify", "--expect-head", new string('0', 64)).Stdout.Should().Contain("no entry of the journal has the MAC");
    }

    [Theory]
    // Each edit also makes the instance due in the worker's index (wake_at), as someone who wants it run would.
    [InlineData("status", "UPDATE instances SET status = 'ready', wake_at = updated_at, document = json_set(document, '$.status', 'ready') WHERE id = '{id}'")]
    [InlineData("step", "UPDATE instances SET wake_at = updated_at, document = json_set(document, '$.steps[1].status', 'completed') WHERE id = '{id}'")]
    [InlineData("rehearsal", "UPDATE instances SET wake_at = updated_at, document = json_set(document, '$.isRehearsal', json('true')) WHERE id = '{id}'")]
    [InlineData("status column", "UPDATE instances SET status = 'ready', wake_at = updated_at WHERE id = '{id}'")]
    public void A_state_edited_behind_the_record_is_refused_by_resume_complete_approve_and_the_worker(string what, string sql)
    {
        var id = Start();
        Tamper(sql.Replace("{id}", id, StringComparison.Ordinal));

        var resume = Mdiflow("resume", id);
        var complete = Mdiflow("complete", id, "--step", "portal", "--evidence", "x", "--as", "bob");
        var approve = Mdiflow("approve", id);
        var worker = Mdiflow("worker", "--once");

        foreach (var refused in new[] { resume, complete, approve })
        {
            refused.ExitCode.Should().Be(3, $"{what}: {refused}");
            refused.Stderr.Should().Contain("outside MdiFlow");
        }

        worker.Stdout.Should().Contain($"{id}: not run").And.Contain("outside MdiFlow");
        _ws.Lines("install.count").Should().BeEmpty("nothing ran");
        Mdiflow("audit", id, "--verify").ExitCode.Should().Be(3);
    }

    [Fact]
    public void A_definition_swapped_in_the_store_after_the_gate_is_refused_and_its_command_never_runs()
    {
        var id = Start();
        Mdiflow("complete", id, "--step", "portal", "--evidence", "done").ExitCode.Should().Be(0);
        Tamper("UPDATE definitions SET definition = replace(definition, 'echo ran', 'echo PWNED')");
        _ws.Count("SELECT count(*) FROM definitions WHERE definition LIKE '%PWNED%'").Should().Be(1, "the swap took place");

        var resume = Mdiflow("resume", id);

        resume.ExitCode.Should().Be(3, resume.ToString());
        resume.Stderr.Should().Contain("was changed in the store: it now hashes to");
        _ws.Lines("install.count").Should().BeEmpty();
        Mdiflow("audit", id, "--verify").Stdout.Should().Contain("was changed in the store");
    }

    [RootFact]
    public void An_auditor_who_may_only_read_a_store_in_a_read_only_folder_can_list_show_and_audit_it()
    {
        var id = Start();
        using var people = new OsAccounts("auditor");
        File.SetUnixFileMode(_ws.StorePath, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(_ws.Root, (UnixFileMode)0b111_101_101);
        var auditor = new CliAs(people["auditor"]);

        var list = cli.MdiflowAs(_ws.Root, auditor, "list", "--store", _ws.Store);
        var show = cli.MdiflowAs(_ws.Root, auditor, "show", id, "--store", _ws.Store);
        var unverified = cli.MdiflowAs(_ws.Root, auditor, "audit", id, "--verify", "--store", _ws.Store);

        list.ExitCode.Should().Be(0, list.ToString());
        list.Stdout.Should().Contain(id);
        show.ExitCode.Should().Be(0, show.ToString());
        show.Stderr.Should().Contain("not verified against its record");
        unverified.ExitCode.Should().Be(3, unverified.ToString());
        unverified.Stdout.Should().Contain("cannot be verified without the journal key");

        people.ShareFile(_ws.StorePath + ".key");
        File.SetUnixFileMode(_ws.StorePath + ".key", (UnixFileMode)0b110_100_000);
        var verified = cli.MdiflowAs(_ws.Root, auditor, "audit", id, "--verify", "--store", _ws.Store);
        verified.ExitCode.Should().Be(0, verified.ToString());
        Directory.GetFiles(_ws.Root).Should().NotContain(f => f.EndsWith("-wal", StringComparison.Ordinal) || f.EndsWith("-shm", StringComparison.Ordinal), "reading created nothing");
    }

    public void Dispose() => _ws.Dispose();
}
