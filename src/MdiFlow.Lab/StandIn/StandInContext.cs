namespace MdiFlow.Lab.StandIn;

/// <summary>Where the lab is, as the launcher told the stand-in through <see cref="StandInVariables"/>.</summary>
internal sealed record StandInContext(string StateDirectory, string Profile, string SetupPath, Uri SensorApi, string? ResultFile)
{
    /// <summary>Reads the context; null, with the missing variables, when the stand-in was not started by the lab.</summary>
    public static StandInContext? FromEnvironment(out IReadOnlyList<string> missing)
    {
        string? Read(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var state = Read(StandInVariables.State);
        var profile = Read(StandInVariables.Profile);
        var setup = Read(StandInVariables.SetupPath);
        var sensorApi = Read(StandInVariables.SensorApi);
        missing = [.. new[] { (StandInVariables.State, state), (StandInVariables.Profile, profile), (StandInVariables.SetupPath, setup), (StandInVariables.SensorApi, sensorApi) }
            .Where(v => v.Item2 is null).Select(v => v.Item1)];
        return missing.Count == 0 && Uri.TryCreate(sensorApi, UriKind.Absolute, out var api)
            ? new StandInContext(state!, profile!, setup!, api, Read(StandInVariables.ResultFile))
            : null;
    }
}
