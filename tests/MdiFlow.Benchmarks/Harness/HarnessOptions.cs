using System.Reflection;

namespace MdiFlow.Benchmarks.Harness;

/// <summary>The command line of the harness.</summary>
internal sealed record HarnessOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/MdiFlow.Benchmarks -- [options]
          --quick            tiny counts, finishes in seconds (the smoke test uses it)
          --json PATH        also write the machine-readable summary to PATH
          --only LIST        run only these workloads (comma-separated): throughput,durable,latency,scale,memory,postgres,hosts
                             (postgres and hosts run only when named here; --postgres adds postgres)
          --postgres CS      run the PostgreSQL workload on this server (a superuser's connection string; default
                             MDIFLOW_BENCH_POSTGRES or MDIFLOW_TEST_POSTGRES, else a private server it starts)
          --cli PATH         the CLI to time in the scale workload: a mdiflow.dll (run with dotnet; default: the one built
                             beside this harness) or a published mdiflow (dotnet publish src/MdiFlow.Cli -c Release -r linux-x64)
          --work DIR         where the SQLite files go (default: a new folder in the temp directory, deleted after)
        """;

    public static IReadOnlyList<string> AllWorkloads { get; } = ["throughput", "durable", "latency", "scale", "memory"];

    /// <summary>Workloads that run only when asked for: they need a server (PostgreSQL).</summary>
    public static IReadOnlyList<string> OptionalWorkloads { get; } = ["postgres", "hosts"];

    /// <summary>Every workload, in the order they run.</summary>
    public static IReadOnlyList<string> KnownWorkloads { get; } = [.. AllWorkloads, .. OptionalWorkloads];

    /// <summary>The superuser's connection string of the server for the PostgreSQL workload, when given.</summary>
    public string? PostgresConnectionString { get; init; }

    public bool Quick { get; init; }

    public string? JsonPath { get; init; }

    public IReadOnlySet<string> Workloads { get; init; } = AllWorkloads.ToHashSet();

    public string? CliPath { get; init; }

    public string? WorkDirectory { get; init; }

    /// <summary>Set in a child process the harness started for one isolated measurement.</summary>
    public string? Child { get; init; }

    public int Count { get; init; }

    public Sizes Sizes => Quick ? Sizes.QuickRun : Sizes.FullRun;

    /// <summary>This harness's own entry assembly, for starting children: the build output, which has its runtime configuration.</summary>
    public static string HarnessDll => Metadata("MdiFlowBenchmarks") ?? typeof(HarnessOptions).Assembly.Location;

    public string ResolveCli() => CliPath ?? Metadata("MdiFlowCli") ?? throw new InvalidOperationException("Pass --cli PATH to mdiflow.dll.");

    /// <exception cref="ArgumentException">An unknown option or a missing value.</exception>
    public static HarnessOptions Parse(IReadOnlyList<string> args)
    {
        var options = new HarnessOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--quick" => options with { Quick = true },
                "--json" => options with { JsonPath = Path.GetFullPath(Value()) },
                "--cli" => options with { CliPath = Path.GetFullPath(Value()) },
                "--work" => options with { WorkDirectory = Path.GetFullPath(Value()) },
                "--only" => options with { Workloads = Only(Value()) },
                "--child" => options with { Child = Value() },
                "--postgres" => options with { PostgresConnectionString = Value(), Workloads = options.Workloads.Append("postgres").ToHashSet() },
                "--count" => options with { Count = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }

    private static HashSet<string> Only(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = names.Except(KnownWorkloads).ToList();
        return unknown.Count == 0 ? names : throw new ArgumentException($"Unknown workload(s): {string.Join(", ", unknown)}; choose from {string.Join(", ", KnownWorkloads)}.");
    }

    private static string? Metadata(string key) =>
        typeof(HarnessOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}

/// <summary>How big each workload is: the issue's figures for the full run, tiny ones for <c>--quick</c>.</summary>
internal sealed record Sizes
{
    public static Sizes FullRun { get; } = new();

    public static Sizes QuickRun { get; } = new()
    {
        Instances = 40,
        Repetitions = 1,
        WorkflowCoreRepetitions = 1,
        WarmUpSeconds = 0,
        DurableInstances = 20,
        DurableRepetitions = 1,
        RawCommitSeconds = 0.2,
        SingleInstanceRuns = 1,
        LatencySamples = 10,
        WorkflowCoreLatencySamples = 3,
        ScaleInstances = 400,
        CliRuns = 1,
        ConcurrentInstances = 40,
        ParkedInstances = 200,
        PostgresInstances = 20,
        PostgresRepetitions = 1,
        HostLatencySamples = 5,
        HostInstances = 10,
    };

    /// <summary>(a) instances per repetition, each of <see cref="Steps"/> no-op steps.</summary>
    public int Instances { get; init; } = 1_000;

    public int Steps { get; init; } = 10;

    /// <summary>Measured repetitions (after one warm-up); the median is reported.</summary>
    public int Repetitions { get; init; } = 21;

    public int WorkflowCoreRepetitions { get; init; } = 21;

    /// <summary>Warm-up repetitions run for at least this long before the measured ones.</summary>
    public double WarmUpSeconds { get; init; } = 3;

    /// <summary>(b) instances per repetition on SQLite.</summary>
    public int DurableInstances { get; init; } = 1_000;

    public int DurableRepetitions { get; init; } = 3;

    /// <summary>How long the raw commit loop runs, before and after MdiFlow's durable runs.</summary>
    public double RawCommitSeconds { get; init; } = 3;

    /// <summary>Runs of one instance alone on SQLite (one commit per transition).</summary>
    public int SingleInstanceRuns { get; init; } = 5;

    /// <summary>(c) approval-to-resume samples per engine (after warm-up).</summary>
    public int LatencySamples { get; init; } = 300;

    public int WorkflowCoreLatencySamples { get; init; } = 200;

    /// <summary>(d) instances in the scale store.</summary>
    public int ScaleInstances { get; init; } = 100_000;

    /// <summary>Measured runs of each CLI command (after one warm-up); the median is reported.</summary>
    public int CliRuns { get; init; } = 7;

    /// <summary>(e) instances running at once for the peak working set.</summary>
    public int ConcurrentInstances { get; init; } = 1_000;

    /// <summary>(e) instances parked at a gate for the held managed memory.</summary>
    public int ParkedInstances { get; init; } = 10_000;

    /// <summary>(f) instances per repetition on PostgreSQL.</summary>
    public int PostgresInstances { get; init; } = 1_000;

    public int PostgresRepetitions { get; init; } = 3;

    /// <summary>(g) approval-to-next-step samples across processes, with NOTIFY and with polling alone (after three warm-ups).</summary>
    public int HostLatencySamples { get; init; } = 100;

    /// <summary>(g) instances run by one worker process, then by two.</summary>
    public int HostInstances { get; init; } = 300;
}
