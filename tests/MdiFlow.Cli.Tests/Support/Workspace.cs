using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Cli.Tests.Support;

/// <summary>A temporary folder holding a store, workflow files and the files steps write.</summary>
public sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "mdiflow-ws-" + Guid.NewGuid().ToString("n")[..10]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string StorePath => Path(this, "mdiflow.db");

    public string Store => "sqlite:" + StorePath;

    public string Write(string name, string content)
    {
        var path = Path(this, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Read(string name) => System.IO.File.ReadAllText(Path(this, name));

    public string[] Lines(string name) => System.IO.File.Exists(Path(this, name)) ? System.IO.File.ReadAllLines(Path(this, name)) : [];

    public string PathOf(string name) => Path(this, name);

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(path)));

    /// <summary>Reads rows straight from the SQLite file, as an auditor would.</summary>
    public long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={StorePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static JsonNode Json(CliResult result) => JsonNode.Parse(result.Stdout) ?? throw new InvalidOperationException(result.ToString());

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Path(Workspace w, string name) => System.IO.Path.Combine(w.Root, name);
}
