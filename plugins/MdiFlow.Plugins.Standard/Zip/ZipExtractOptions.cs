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

/// <summary>Checks <see cref="ZipExtractOptions"/> when the host starts, every mistake at once.</summary>
internal sealed class ZipExtractOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<ZipExtractOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, ZipExtractOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mistakes = new List<string>();
        if (options.MaxTotalBytes <= 0)
        {
            mistakes.Add($"ZipExtractOptions.MaxTotalBytes is {options.MaxTotalBytes}; it must be more than zero (the default is 2 GiB).");
        }

        if (options.MaxEntries <= 0)
        {
            mistakes.Add($"ZipExtractOptions.MaxEntries is {options.MaxEntries}; it must be more than zero (the default is 10000).");
        }

        if (!(options.MaxCompressionRatio >= 1))
        {
            mistakes.Add($"ZipExtractOptions.MaxCompressionRatio is {options.MaxCompressionRatio}; it must be at least 1 (the default is 200).");
        }

        if (options.MinimumSizeForRatioCheck < 0)
        {
            mistakes.Add($"ZipExtractOptions.MinimumSizeForRatioCheck is {options.MinimumSizeForRatioCheck}; it must be zero or more.");
        }

        return mistakes.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(mistakes);
    }
}
