using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Engine;

/// <summary>
/// Files a running attempt said hold a secret (<see cref="Activities.ActivityContext.TrackSecretFileAsync"/>): removed
/// when the attempt ends, whatever it returned, and first thing when a crashed attempt is recovered or cancelled.
/// </summary>
internal static class SecretFiles
{
    /// <summary>Removes the files of <paramref name="step"/>; returns how many were there.</summary>
    public static int Remove(StepState step)
    {
        if (step.SecretFiles is not { Count: > 0 } files)
        {
            return 0;
        }

        var removed = 0;
        foreach (var path in files)
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                    removed++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Held open by a program the crashed attempt started; the next recovery or attempt tries again.
                continue;
            }
        }

        step.SecretFiles = files.Where(File.Exists).ToList() is { Count: > 0 } left ? left : null;
        return removed;
    }

    /// <summary>Removes the files of every step an interrupted attempt left running, journaling what was removed.</summary>
    public static void RemoveInterrupted(WorkflowInstance instance, Action<string, string?, JsonObject?> journal)
    {
        foreach (var step in instance.Steps.Where(s => s.SecretFiles is { Count: > 0 }))
        {
            var tracked = step.SecretFiles!.Count;
            var removed = Remove(step);
            journal(JournalKinds.SecretFilesRemoved, step.Id, new JsonObject { ["tracked"] = tracked, ["removed"] = removed, ["left"] = step.SecretFiles?.Count ?? 0 });
        }
    }
}
