namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>
/// The limits that protect <c>zip.extract</c> from zip bombs. An archive past any limit is
/// refused before anything is written. Change them with
/// <c>services.Configure&lt;ZipExtractOptions&gt;(o =&gt; o.MaxEntries = 50_000)</c>.
/// </summary>
public sealed record ZipExtractOptions
{
    /// <summary>The most bytes an archive may expand to, counted while extracting too. Default 2 GiB.</summary>
    public long MaxTotalBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>The most entries (files and folders) an archive may hold. Default 10,000.</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>The largest expansion factor (uncompressed size divided by compressed size) of any one entry. Default 200.</summary>
    public double MaxCompressionRatio { get; set; } = 200;

    /// <summary>
    /// Entries smaller than this are not checked against <see cref="MaxCompressionRatio"/>: a small,
    /// very repetitive text file may legitimately compress far beyond it. Default 1 MiB.
    /// </summary>
    public long MinimumSizeForRatioCheck { get; set; } = 1024 * 1024;
}
