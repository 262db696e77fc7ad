using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>
/// A PostgreSQL server of this process's own: <c>initdb</c> and <c>pg_ctl</c> from the PostgreSQL 15 binaries, run as
/// the <c>postgres</c> account when this process is root, a data folder under the temp directory, a private port on
/// 127.0.0.1 (password sign-in) and a private socket folder (trusted). Stopped and deleted when the process exits,
/// and by a watchdog if the process is killed.
/// </summary>
/// <remarks>Shared by the store tests and the benchmark harness (linked into it), so both start it the same way as <c>.ci/postgres.sh</c>.</remarks>
internal sealed class PrivateServer
{
    /// <summary>Where the binaries are, unless <c>MDIFLOW_POSTGRES_BIN</c> says otherwise.</summary>
    public const string DefaultBin = "/usr/lib/postgresql/15/bin";

    private readonly string _bin;
    private readonly string[] _runAs;
    private int _stopped;

    private PrivateServer(string bin, string[] runAs, string root, int port, string password)
    {
        _bin = bin;
        _runAs = runAs;
        Root = root;
        Port = port;
        Password = password;
    }

    public string Root { get; }

    public int Port { get; }

    public string Password { get; }

    private string Data => Path.Combine(Root, "data");

    /// <summary>The superuser on the maintenance database, over TCP with its password.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database=postgres;Pooling=false;Timeout=30";

    /// <summary>Creates, starts and waits for a new server.</summary>
    /// <exception cref="InvalidOperationException">The binaries are missing or the server did not start; the message says what to do.</exception>
    public static PrivateServer Start()
    {
        var bin = Environment.GetEnvironmentVariable("MDIFLOW_POSTGRES_BIN") is { Length: > 0 } configured ? configured : DefaultBin;
        if (!File.Exists(Path.Combine(bin, "initdb")) || !File.Exists(Path.Combine(bin, "pg_ctl")))
        {
            throw new InvalidOperationException(
                $"The PostgreSQL tests need a server, and there is no initdb/pg_ctl in {bin}. Install PostgreSQL 15 (apt-get install postgresql-15), set MDIFLOW_POSTGRES_BIN to its bin folder, or set MDIFLOW_TEST_POSTGRES to the connection string of a throwaway server's superuser.");
        }

        // initdb refuses to run as root: the server runs as the postgres account then.
        string[] runAs = Environment.IsPrivilegedProcess ? ["runuser", "-u", "postgres", "--"] : [];
        var root = Directory.CreateTempSubdirectory("mdiflow-pg-").FullName;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        File.WriteAllText(Path.Combine(root, "password"), password);
        Directory.CreateDirectory(Path.Combine(root, "socket"));
        if (runAs.Length > 0)
        {
            Execute(["chown", "-R", "postgres:", root]);
        }

        Execute([.. runAs, Path.Combine(bin, "initdb"), "-D", Path.Combine(root, "data"), "-U", "postgres", $"--pwfile={Path.Combine(root, "password")}",
            "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"]);

        for (var attempt = 1; ; attempt++)
        {
            var server = new PrivateServer(bin, runAs, root, FreePort(), password);
            try
            {
                server.PgCtl("start", "-w", "-t", "60", "-l", Path.Combine(root, "server.log"), "-o",
                    $"-p {server.Port} -k {Path.Combine(root, "socket")} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=64MB -c fsync=on -c synchronous_commit=on");
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                continue; // the port was taken between choosing it and binding it
            }

            server.Guard();
            return server;
        }
    }

    /// <summary>Stops the server at once and deletes its folder.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            PgCtl("stop", "-m", "immediate", "-w");
        }
        catch (InvalidOperationException)
        {
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Stops the server when this process exits, and, should it be killed, when a watchdog sees it gone.</summary>
    private void Guard()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        var stop = string.Join(' ', [.. _runAs, Quote(Path.Combine(_bin, "pg_ctl")), "-D", Quote(Data), "-m", "immediate", "stop"]);
        var watchdog = new ProcessStartInfo("setsid")
        {
            ArgumentList = { "sh", "-c", $"exec >/dev/null 2>&1 </dev/null; tail --pid={Environment.ProcessId} -f /dev/null; {stop}; rm -rf {Quote(Root)}" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(watchdog);
    }

    private void PgCtl(params string[] arguments) =>
        Execute([.. _runAs, Path.Combine(_bin, "pg_ctl"), "-D", Data, .. arguments]);

    private static void Execute(string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{command[0]} did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', command)}' exited with {process.ExitCode}:\n{output.Result}\n{error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
