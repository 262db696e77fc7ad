using System.Text;
using System.Text.Json;

namespace MdiFlow.Definitions;

/// <summary>Maps JSON paths of a document to the lines they start on, so errors can name lines.</summary>
internal sealed class JsonLineMap
{
    private readonly Dictionary<string, int> _lines;

    private JsonLineMap(Dictionary<string, int> lines) => _lines = lines;

    public static JsonLineMap Empty { get; } = new([]);

    public int? LineOf(string path)
    {
        // An error about a missing member points at the nearest enclosing value that exists.
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (_lines.TryGetValue(p, out var line))
            {
                return line;
            }
        }

        return null;
    }

    public static JsonLineMap Build(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var newlines = new List<long>();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                newlines.Add(i);
            }
        }

        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var frames = new Stack<Frame>();
        try
        {
            while (reader.Read())
            {
                var line = LineAt(newlines, reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var top = frames.Pop();
                        frames.Push(top with { Property = reader.GetString() });
                        lines.TryAdd(PathOf(frames), line);
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.Pop();
                        continue;
                }

                // A value: inside an array it takes the next index.
                if (frames.TryPeek(out var parent) && parent.IsArray)
                {
                    frames.Pop();
                    frames.Push(parent with { Index = parent.Index + 1 });
                }

                lines.TryAdd(PathOf(frames), line);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    frames.Push(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, null));
                }
            }
        }
        catch (JsonException)
        {
            // The loader reports the syntax error itself; a partial map is still useful.
        }

        return new JsonLineMap(lines);
    }

    private static int LineAt(List<long> newlines, long offset)
    {
        var index = newlines.BinarySearch(offset);
        return (index < 0 ? ~index : index) + 1;
    }

    private static string PathOf(Stack<Frame> frames)
    {
        var sb = new StringBuilder("$");
        foreach (var f in frames.Reverse())
        {
            sb.Append(f.IsArray ? $"[{f.Index}]" : "." + f.Property);
        }

        return sb.ToString();
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? (path == "$" ? "" : "$") : path[..cut];
    }

    private readonly record struct Frame(bool IsArray, int Index, string? Property);
}
