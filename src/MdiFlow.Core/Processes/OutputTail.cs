using System.Text;

namespace MdiFlow.Processes;

/// <summary>Keeps the last <c>capacity</c> characters of a stream of text, without holding the rest (<see cref="int.MaxValue"/>: all of it).</summary>
internal sealed class OutputTail(int capacity)
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    public void Append(ReadOnlySpan<char> chars)
    {
        lock (_gate)
        {
            _text.Append(chars);

            // Trim in batches so a chatty program costs amortised O(1) per character.
            if (_text.Length - capacity > capacity)
            {
                _text.Remove(0, _text.Length - capacity);
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            var start = Math.Max(0, _text.Length - capacity);
            if (start > 0 && char.IsLowSurrogate(_text[start]))
            {
                start++;
            }

            // The final line break is the end of the output, not part of it: "{{ steps.x.output.stdoutTail }}" reads as the value.
            return _text.ToString(start, _text.Length - start).TrimEnd('\r', '\n');
        }
    }

    /// <summary>Reads <paramref name="reader"/> to its end into the tail.</summary>
    public async Task FillAsync(StreamReader reader)
    {
        var buffer = new char[4096];
        int read;

        // No cancellation token: the pipe ends when the process tree is gone, which is what callers wait for.
        while ((read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
        {
            Append(buffer.AsSpan(0, read));
        }
    }
}
