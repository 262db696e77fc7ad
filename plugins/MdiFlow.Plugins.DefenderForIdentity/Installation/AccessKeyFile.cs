using MdiFlow.Security;

namespace MdiFlow.Plugins.DefenderForIdentity.Installation;

/// <summary>
/// The file that hands the access key to the setup (<c>AccessKeyFile=</c>): created readable only by this
/// account in its temp folder, named after the instance and step so a retry after a crash finds and removes a
/// leftover, and deleted on dispose.
/// </summary>
internal sealed class AccessKeyFile : IDisposable
{
    private AccessKeyFile(string path) => Path = path;

    public string Path { get; }

    /// <summary>The path the file of this instance's step has.</summary>
    public static string PathFor(string folder, string instanceId, string stepId)
    {
        var safeStep = new string([.. stepId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return System.IO.Path.Combine(folder, $"mdiflow-accesskey-{instanceId}-{safeStep}.txt");
    }

    /// <summary>Writes the key to a new private file, first removing one an interrupted attempt left behind.</summary>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static AccessKeyFile Create(string path, string accessKey)
    {
        File.Delete(path);
        PrivateFile.WriteNew(path, accessKey);
        return new AccessKeyFile(path);
    }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Still held by a setup that outlived its step; the next attempt of this step removes it.
        }
    }
}
