using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MdiFlow.Plugins.Standard.Tests.Zip;

/// <summary>Builds archives in memory, hostile ones included, and damages them on request.</summary>
internal sealed class ZipBuilder
{
    private static readonly byte[] LocalHeader = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] CentralHeader = [0x50, 0x4B, 0x01, 0x02];
    private readonly List<(string Name, byte[]? Content, CompressionLevel Level, int? Attributes)> _entries = [];

    public ZipBuilder File(string name, string content, CompressionLevel level = CompressionLevel.Optimal) =>
        File(name, Encoding.UTF8.GetBytes(content), level);

    public ZipBuilder File(string name, byte[] content, CompressionLevel level = CompressionLevel.Optimal, int? unixMode = null)
    {
        _entries.Add((name, content, level, unixMode << 16));
        return this;
    }

    public ZipBuilder Folder(string name)
    {
        _entries.Add((name.EndsWith('/') ? name : name + "/", null, CompressionLevel.NoCompression, null));
        return this;
    }

    /// <summary>A symbolic link as Info-ZIP stores it: the target as content, mode 0120777 in the high bits.</summary>
    public ZipBuilder Link(string name, string target)
    {
        _entries.Add((name, Encoding.UTF8.GetBytes(target), CompressionLevel.NoCompression, unchecked((int)(0xA1FFu << 16))));
        return this;
    }

    public byte[] ToBytes()
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, level, attributes) in _entries)
            {
                var entry = archive.CreateEntry(name, level);
                if (attributes is { } value)
                {
                    entry.ExternalAttributes = value;
                }

                if (content is not null)
                {
                    using var stream = entry.Open();
                    stream.Write(content);
                }
            }
        }

        return memory.ToArray();
    }

    public string WriteTo(string path) => Write(path, ToBytes());

    public static string Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Breaks the signature of an entry's local header, as a truncated or overwritten file would.</summary>
    public static byte[] BreakLocalHeader(byte[] zip, string name)
    {
        var copy = (byte[])zip.Clone();
        copy[FindHeader(copy, LocalHeader, 30, name)] = 0;
        return copy;
    }

    /// <summary>Flips one byte of a stored entry's data, leaving every header intact.</summary>
    public static byte[] FlipDataByte(byte[] zip, string name)
    {
        var copy = (byte[])zip.Clone();
        var header = FindHeader(copy, LocalHeader, 30, name);
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(header + 26));
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(header + 28));
        copy[header + 30 + nameLength + extraLength] ^= 0xFF;
        return copy;
    }

    /// <summary>Rewrites the uncompressed size an entry declares, in both of its headers.</summary>
    public static byte[] DeclareSize(byte[] zip, string name, uint size)
    {
        var copy = (byte[])zip.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(FindHeader(copy, LocalHeader, 30, name) + 22), size);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(FindHeader(copy, CentralHeader, 46, name) + 24), size);
        return copy;
    }

    private static int FindHeader(byte[] zip, byte[] signature, int nameOffset, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        for (var i = 0; i + nameOffset + nameBytes.Length <= zip.Length; i++)
        {
            if (zip.AsSpan(i, 4).SequenceEqual(signature) && zip.AsSpan(i + nameOffset, nameBytes.Length).SequenceEqual(nameBytes))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"No header for '{name}'.");
    }
}
