using MdiFlow.Testing.Platforms;
using System.Text;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Trust;

/// <summary>A secret a program prints, or a step is given, appears nowhere: not in the store, its log, the JSON, the terminal, or a command line.</summary>
[Collection(CliCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecretLeakTests(PublishedCli cli) : IDisposable
{
    private const string Token = "tok-7c1e-SECRET-55aa-91f0";
    private readonly Workspace _ws = new();

    private CliResult Mdiflow(params string[] args) =>
        cli.Mdiflow(_ws.Root, new Dictionary<string, string> { ["LEAK_TOKEN"] = Token }, [.. args, "--store", _ws.Store]);

    [Fact]
    public void A_secret_a_program_prints_to_stdout_or_stderr_appears_nowhere()
    {
        var workflow = _ws.Write("leak.json", """
            { "id": "leak", "inputs": { "token": { "secret": true } }, "steps": [
              { "id": "print", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo token=$TOKEN; echo err=$TOKEN >&2; read line; echo stdin=$line"],
                "environment": { "TOKEN": "{{ secrets.token }}" }, "stdin": "{{ secrets.token }}" } },
              { "id": "fail", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo failing with $TOKEN >&2; exit 3"], "environment": { "TOKEN": "{{ secrets.token }}" } } } ] }
            """);

        var run = Mdiflow("run", workflow, "--secret", "token=env:LEAK_TOKEN");
        var id = run.Stdout.Split(' ', '\n').First(w => w.Length == 26 && w.StartsWith("01", StringComparison.Ordinal));
        var outputs = new[] { run, Mdiflow("show", id), Mdiflow("show", id, "--json"), Mdiflow("audit", id), Mdiflow("audit", id, "--jsonl"), Mdiflow("list") };

        run.ExitCode.Should().Be(20, run.ToString());
        foreach (var output in outputs)
        {
            output.Stdout.Should().NotContain(Token);
            output.Stderr.Should().NotContain(Token);
        }

        var show = Workspace.Json(Mdiflow("show", id, "--json"));
        show["steps"]![0]!["output"]!["stdoutTail"]!.GetValue<string>().Should().Be("token=***\nstdin=***");
        show["steps"]![0]!["output"]!["stderrTail"]!.GetValue<string>().Should().Be("err=***");
        show["steps"]![1]!["error"]!["details"]!["stderrTail"]!.GetValue<string>().Should().Be("failing with ***");
        foreach (var file in Directory.EnumerateFiles(_ws.Root, "mdiflow.db*"))
        {
            Encoding.UTF8.GetString(File.ReadAllBytes(file)).Should().NotContain(Token, $"{Path.GetFileName(file)} must not hold the secret");
        }
    }

    [Fact]
    public void A_secret_bound_into_a_command_line_fails_validation_with_the_alternative()
    {
        var workflow = _ws.Write("argv.json", """
            { "id": "argv", "inputs": { "token": { "secret": true } }, "steps": [
              { "id": "print", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "echo {{ secrets.token }}"] } } ] }
            """);

        var validate = Mdiflow("validate", workflow);
        var run = Mdiflow("run", workflow, "--secret", "token=env:LEAK_TOKEN");

        validate.ExitCode.Should().Be(2, validate.ToString());
        validate.Stderr.Should().Contain("$.steps[0].with.arguments[1]").And.Contain("passes 'arguments' where other people can read it").And.Contain("pass the secret through 'environment' or 'stdin'");
        run.ExitCode.Should().Be(2);
        File.Exists(_ws.StorePath).Should().BeFalse();
    }

    [UnixFactAttribute]
    public async Task The_store_its_log_files_and_its_key_are_readable_by_their_owner_only()
    {
        var workflow = _ws.Write("hold.json", """
            { "id": "hold", "steps": [ { "id": "wait", "uses": "process.run", "with": { "file": "sh", "arguments": ["-c", "touch started; while [ ! -f release ]; do sleep 0.05; done"] } } ] }
            """);
        using var run = cli.Start(_ws.Root, "run", workflow, "--store", _ws.Store);
        await FileSignal.WaitForAsync(_ws.PathOf("started"), TimeSpan.FromSeconds(60));

        var files = new[] { _ws.StorePath, _ws.StorePath + "-wal", _ws.StorePath + "-shm", _ws.StorePath + ".key" };
        var modes = files.ToDictionary(f => Path.GetFileName(f), f => File.Exists(f) ? File.GetUnixFileMode(f) : (UnixFileMode?)null);
        File.WriteAllText(_ws.PathOf("release"), "");
        await run.WaitForExitAsync();

        modes.Should().AllSatisfy(m => m.Value.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, $"{m.Key} must exist while the store is open and be owner-only"));
        run.ExitCode.Should().Be(0);
    }

    public void Dispose() => _ws.Dispose();
}
