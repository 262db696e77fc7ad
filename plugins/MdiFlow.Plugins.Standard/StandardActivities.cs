using MdiFlow.Hosting;
using MdiFlow.Plugins.Standard.Files;
using MdiFlow.Plugins.Standard.Zip;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.Standard;

/// <summary>Installs the standard activities: <c>process.run</c>, <c>zip.extract</c>, <c>http.probe</c>, <c>file.hash</c> and <c>delay</c>.</summary>
public static class StandardActivities
{
    /// <summary>Installs every standard activity.</summary>
    /// <remarks>
    /// <c>zip.extract</c> reads its limits from <see cref="ZipExtractOptions"/>; change them with
    /// <c>services.Configure&lt;ZipExtractOptions&gt;(...)</c>, otherwise the defaults apply.
    /// </remarks>
    /// <param name="builder">The MdiFlow builder from <c>AddMdiFlow</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <example><code>services.AddMdiFlow(flow => flow.AddStandardActivities());</code></example>
    public static MdiFlowBuilder AddStandardActivities(this MdiFlowBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ZipExtractOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZipExtractOptions>, ZipExtractOptionsValidator>());
        return builder.AddActivitiesFrom<FileHashActivity>();
    }
}
