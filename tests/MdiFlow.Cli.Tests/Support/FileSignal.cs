namespace MdiFlow.Cli.Tests.Support;

/// <summary>Waits until a file appears: the signal a child process gives that it reached a point.</summary>
public static class FileSignal
{
    public static async Task WaitForAsync(string path, TimeSpan timeout)
    {
        var appeared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path)) { EnableRaisingEvents = true };
        watcher.Created += (_, _) => appeared.TrySetResult();
        watcher.Renamed += (_, _) => appeared.TrySetResult();
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            await appeared.Task.WaitAsync(timeout);
        }
        catch (TimeoutException) when (File.Exists(path))
        {
            // The watcher can miss an event; the file is there all the same.
        }
    }
}
