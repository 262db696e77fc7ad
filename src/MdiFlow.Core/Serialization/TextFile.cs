using System.Buffers;
using System.Text.Unicode;
using MdiFlow.Security;

namespace MdiFlow.Serialization;

/// <summary>
/// Reads a text file a person names (a workflow, inputs, a policy) defensively: only a regular file (never a FIFO,
/// a device or a folder, which could hang or never end), at most a size cap, and strictly UTF-8 (an invalid byte is
/// reported with its offset rather than replaced).
/// </summary>
public static class TextFile
{
    /// <summary>The cap for workflow, input and policy files: 4 MiB.</summary>
    public const long DefaultLimit = 4 * 1024 * 1024;

    /// <summary>Reads <paramref name="path"/>, or says why not in one sentence.</summary>
    /// <returns>True with the text; false with <paramref name="problem"/> (what is wrong and where).</returns>
    public static bool TryRead(string path, out string text, out string problem, long limit = DefaultLimit)
    {
        ArgumentNullException.ThrowIfNull(path);
        text = "";
        var status = FileStatus.Of(path);
        if (!status.Exists)
        {
            problem = $"'{path}' does not exist";
            return false;
        }

        var target = status.Kind == FileKind.Link ? FileStatus.Of(new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path) : status;
        if (target.Kind != FileKind.Regular)
        {
            problem = target.Kind == FileKind.Directory
                ? $"'{path}' is a folder, not a file"
                : $"'{path}' is not a regular file (a FIFO, a device or a socket), so it is not read";
            return false;
        }

        if (target.Length > limit)
        {
            problem = $"'{path}' is {target.Length:N0} bytes, more than the {limit:N0} bytes a file of this kind may have";
            return false;
        }

        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            bytes = new byte[Math.Min(limit + 1, Math.Max(target.Length, 0) + 1)];
            var read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read > limit)
            {
                problem = $"'{path}' is larger than the {limit:N0} bytes a file of this kind may have";
                return false;
            }

            Array.Resize(ref bytes, read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"'{path}' cannot be read: {ex.Message}";
            return false;
        }

        return TryDecode(bytes, path, out text, out problem);
    }

    /// <summary>Decodes strict UTF-8 (a leading byte order mark is skipped), or names the offset of the first invalid byte.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, string source, out string text, out string problem)
    {
        var offset = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        var body = bytes[offset..];
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, body.Length));
        try
        {
            var status = Utf8.ToUtf16(body, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                text = "";
                problem = $"'{source}' is not valid UTF-8: the byte at offset {offset + read} (0x{(offset + read < bytes.Length ? bytes[offset + read] : 0):X2}) does not start a character. Save it as UTF-8";
                return false;
            }

            text = new string(chars, 0, written);
            problem = "";
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
