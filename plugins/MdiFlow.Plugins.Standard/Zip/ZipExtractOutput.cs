namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>The output of <c>zip.extract</c>.</summary>
public sealed record ZipExtractOutput
{
    /// <summary>The full path of the folder that holds the extracted content.</summary>
    public required string Directory { get; init; }

    /// <summary>The number of files extracted (folders not counted).</summary>
    public required int Files { get; init; }
}
