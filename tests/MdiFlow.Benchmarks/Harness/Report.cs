using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MdiFlow.Benchmarks.Harness;

/// <summary>Which way a figure is better.</summary>
internal enum Better
{
    Higher,
    Lower,
}

/// <summary>
/// One measured figure: MdiFlow's value beside Workflow Core's and the physical limit where they apply,
/// the ratio that counts, and the target it is held to.
/// </summary>
internal sealed record Figure
{
    public required string Workload { get; init; }

    public required string Metric { get; init; }

    public required string Unit { get; init; }

    public required double MdiFlow { get; init; }

    public double? WorkflowCore { get; init; }

    /// <summary>The physical limit (raw fsync'd commits per second on the same disk).</summary>
    public double? Limit { get; init; }

    public Better Better { get; init; } = Better.Higher;

    /// <summary>How many times better MdiFlow is than Workflow Core (above 1: MdiFlow leads).</summary>
    public double? VersusWorkflowCore => WorkflowCore is { } wc && wc > 0 && MdiFlow > 0 ? (Better == Better.Higher ? MdiFlow / wc : wc / MdiFlow) : null;

    /// <summary>MdiFlow's value as a multiple of the physical limit.</summary>
    public double? VersusLimit => Limit is { } limit && limit > 0 ? MdiFlow / limit : null;

    /// <summary>What the issue asks for, for example "≥ 10× WC" or "≤ 5 ms"; null for a figure that only informs.</summary>
    public string? Target { get; init; }

    public bool? Met { get; init; }

    public string? Note { get; init; }
}

/// <summary>Collects figures, prints them as a table and writes the JSON summary.</summary>
internal sealed class Report(TextWriter log)
{
    private readonly List<Figure> _figures = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public JsonObject Machine { get; } = [];

    public JsonObject Settings { get; } = [];

    public void Add(Figure figure)
    {
        _figures.Add(figure);
        log.WriteLine($"  {figure.Workload} / {figure.Metric}: MdiFlow {Format(figure.MdiFlow)} {figure.Unit}"
            + (figure.WorkflowCore is { } wc ? $", Workflow Core {Format(wc)}" : "")
            + (figure.Limit is { } limit ? $", limit {Format(limit)}" : ""));
    }

    public void PrintTable(TextWriter o)
    {
        var rows = _figures.Select(f => new[]
        {
            f.Workload,
            f.Metric,
            f.Unit,
            Format(f.MdiFlow),
            f.WorkflowCore is { } wc ? Format(wc) : "-",
            f.Limit is { } l ? Format(l) : "-",
            f.VersusWorkflowCore is { } r ? $"{Format(r)}x" : f.VersusLimit is { } rl ? $"{Format(rl)}x limit" : "-",
            f.Target ?? "",
            f.Met switch { true => "met", false => "MISSED", null => "" },
        }).ToList();
        string[] header = ["workload", "metric", "unit", "MdiFlow", "WorkflowCore", "limit", "ratio", "target", ""];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        void Line(string[] cells) => o.WriteLine(string.Join("  ", cells.Select((c, i) => i is >= 3 and <= 6 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
        o.WriteLine();
        Line(header);
        Line([.. widths.Select(w => new string('-', w))]);
        foreach (var row in rows)
        {
            Line(row);
        }

        o.WriteLine();
        o.WriteLine("ratio: how many times better MdiFlow is than Workflow Core (higher throughput, or lower latency/memory); 'x limit' is MdiFlow over the physical limit.");
    }

    public JsonObject ToJson() => new()
    {
        ["machine"] = Machine.DeepClone(),
        ["settings"] = Settings.DeepClone(),
        ["figures"] = new JsonArray([.. _figures.Select(f => (JsonNode)new JsonObject
        {
            ["workload"] = f.Workload,
            ["metric"] = f.Metric,
            ["unit"] = f.Unit,
            ["mdiflow"] = Round(f.MdiFlow),
            ["workflowCore"] = f.WorkflowCore is { } wc ? Round(wc) : null,
            ["limit"] = f.Limit is { } l ? Round(l) : null,
            ["better"] = f.Better == Better.Higher ? "higher" : "lower",
            ["ratioVsWorkflowCore"] = f.VersusWorkflowCore is { } r ? Round(r) : null,
            ["ratioVsLimit"] = f.VersusLimit is { } rl ? Round(rl) : null,
            ["target"] = f.Target,
            ["met"] = f.Met,
            ["note"] = f.Note,
        })]),
    };

    public async Task WriteJsonAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
    }

    public static string Format(double value) => Math.Abs(value) switch
    {
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static double Round(double value) => Math.Round(value, 3);
}
