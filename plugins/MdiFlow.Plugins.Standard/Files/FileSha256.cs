using System.Security.Cryptography;

namespace MdiFlow.Plugins.Standard.Files;

/// <summary>Streams a file through SHA-256; shared by <c>file.hash</c> and <c>zip.extract</c>.</summary>
internal static class FileSha256
{
    public static async Task<(string Sha256, long Size)> ComputeAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return (Convert.ToHexStringLower(hash), stream.Position);
        }
    }
}
