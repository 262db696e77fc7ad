using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MdiFlow.Testing;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Cli.Tests.Support;

/// <summary>A temporary folder holding a store, workflow files and the files steps write.</summary>
public sealed class Workspace : IDisposable
{
    private readonly TempDirectory _folder = new();

    public string Root => _folder.Path;

    public string StorePath => _folder.Combine("mdiflow.db");

    public string Store => "sqlite:" + StorePath;

    public string PathOf(string name) => _folder.Combine(name);

    public string Write(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    public string Read(string name) => File.ReadAllText(PathOf(name));

    public string[] Lines(string name) => File.Exists(PathOf(name)) ? File.ReadAllLines(PathOf(name)) : [];

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Reads a number straight from the SQLite file, as an auditor would.</summary>
    public long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={StorePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static JsonNode Json(CliResult result) => JsonNode.Parse(result.Stdout) ?? throw new InvalidOperationException(result.ToString());

    public void Dispose() => _folder.Dispose();
}
