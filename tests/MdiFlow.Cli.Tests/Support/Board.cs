using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Cli.Tests.Support;

/// <summary>
/// A change board on one host, for real: OS accounts (bob, carol, mallory, ...), a policy and a journal key the
/// administrator (this test, as root) installed in /etc/mdiflow, and a store in a folder the accounts' group shares.
/// Every command runs under that policy; <c>As(person, ...)</c> runs it as that person's account, <c>As(null, ...)</c> as root.
/// </summary>
public sealed class Board : IDisposable
{
    private readonly PublishedCli _cli;

    public Board(PublishedCli cli, string policy, params string[] people)
    {
        _cli = cli;
        People = new OsAccounts(people);
        Policy = new SystemPolicy(Expand(policy), People.Group);
        People.Share(Ws.Root);
    }

    public Workspace Ws { get; } = new();

    public OsAccounts People { get; }

    public SystemPolicy Policy { get; }

    /// <summary>Runs mdiflow as <paramref name="person"/>'s account (null: root) on the board's store.</summary>
    public CliResult As(string? person, params string[] args) => As(person, null, args);

    public CliResult As(string? person, IDictionary<string, string>? environment, params string[] args) =>
        _cli.MdiflowAs(Ws.Root, Who(person), environment, [.. args, "--store", Ws.Store]);

    /// <summary>Starts mdiflow as <paramref name="person"/>'s account and leaves it running.</summary>
    public System.Diagnostics.Process Launch(string? person, params string[] args) => Launch(person, null, args);

    /// <summary>Starts mdiflow as <paramref name="person"/>'s account, collecting its standard error into <paramref name="errors"/>.</summary>
    public System.Diagnostics.Process Launch(string? person, System.Text.StringBuilder? errors, params string[] args) =>
        _cli.StartAs(Ws.Root, Who(person), null, errors is null ? null : line => { lock (errors) { errors.AppendLine(line); } }, [.. args, "--store", Ws.Store]);

    public CliAs Who(string? person) => new(person is null ? null : People[person], Policy);

    /// <summary>Replaces <c>{bob}</c> and the like with the accounts' names.</summary>
    public string Expand(string text)
    {
        foreach (var person in new[] { "alice", "bob", "carol", "dave", "mallory", "olga" })
        {
            if (text.Contains("{" + person + "}", StringComparison.Ordinal))
            {
                text = text.Replace("{" + person + "}", People[person], StringComparison.Ordinal);
            }
        }

        return text.Replace("{group}", People.Group, StringComparison.Ordinal);
    }

    /// <summary>Starts <paramref name="workflow"/> as <paramref name="person"/>, shares the store with the group as its administrator would, and returns the instance id.</summary>
    public (string Id, CliResult Run) Start(string? person, string workflow, params string[] more)
    {
        var run = As(person, ["run", workflow, "--json", .. more]);
        if (File.Exists(Ws.StorePath))
        {
            People.ShareFile(Ws.StorePath);
        }

        var id = (run.Stdout.TrimStart().StartsWith('{') ? JsonNode.Parse(run.Stdout)?["instanceId"]?.GetValue<string>() : null)
            ?? throw new InvalidOperationException(run.ToString());
        return (id, run);
    }

    /// <summary>Journal entries of a kind, read straight from the file as an auditor would.</summary>
    public long Count(string kind, string id) => Ws.Count($"SELECT count(*) FROM journal WHERE instance_id = '{id}' AND kind = '{kind}'");

    /// <summary>Changes the store behind MdiFlow's back, as anyone who can write the file can: the append-only triggers dropped first.</summary>
    public void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Ws.StorePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger'";
        var drops = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                drops.Add(reader.GetString(0));
            }
        }

        command.CommandText = string.Concat(drops) + sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Ws.Dispose();
        Policy.Dispose();
        People.Dispose();
    }
}
