using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Instances;

namespace MdiFlow.Cli.Commands;

/// <summary>What <c>run</c> and <c>resume</c> print when the instance stops: where, and what to do next.</summary>
internal static class RunReport
{
    public static int Write(WorkflowInstance i, StoreLocation location, TextWriter o, bool json)
    {
        if (json)
        {
            JsonOutput.Write(o, InstanceView.ToJson(i));
            return ExitCodes.For(i.Status);
        }

        var store = location.Argument;
        o.WriteLine();
        switch (i.Status)
        {
            case InstanceStatus.Completed:
                o.WriteLine($"Instance {i.Id} completed.");
                break;
            case InstanceStatus.Waiting:
                var gate = i.Steps.First(s => s.Status == StepStatus.Waiting);
                var asOther = i.IsLab ? " --as NAME" : "";
                o.WriteLine($"Instance {i.Id} waits at step '{gate.Id}' ({gate.Gate?.Kind}).");
                o.WriteLine($"  {GateText.Remaining(i)}");
                if (GateText.Instructions(i) is { } instructions)
                {
                    o.WriteLine($"  Instructions for approvers: {instructions}");
                }

                o.WriteLine($"  See the details:   mdiflow show {i.Id}{store}");
                o.WriteLine(gate.Gate?.Kind == Gates.GateKinds.ManualTask
                    ? $"  When it is done:   mdiflow complete {i.Id} --step {gate.Id} --evidence \"what you did\"{asOther}{store}"
                    : $"  To approve:        mdiflow approve {i.Id} --step {gate.Id} --comment \"why\"{asOther}{store}");
                o.WriteLine($"  Then continue it:  mdiflow resume {i.Id}{store}");
                break;
            case InstanceStatus.Scheduled:
                var retry = i.Steps.FirstOrDefault(s => s.Status == StepStatus.Pending && s.Error is not null);
                o.WriteLine($"Instance {i.Id}: step '{retry?.Id}' will be retried at {i.DueAt:u} (last error [{retry?.Error?.Code}]).");
                o.WriteLine($"  Continue it then:  mdiflow resume {i.Id}{store}   (or keep 'mdiflow worker{store}' running)");
                break;
            case InstanceStatus.Failed:
                var failed = i.Steps.First(s => s.Status == StepStatus.Failed);
                o.WriteLine($"Instance {i.Id} failed at step '{failed.Id}' after {failed.Attempts} attempt(s): [{failed.Error?.Code}] {failed.Error?.Message}");
                if (failed.Error?.Fix is { } fix)
                {
                    o.WriteLine($"  What to do: {fix}");
                }

                o.WriteLine($"  Once the cause is fixed, run the step again:  mdiflow resume {i.Id}{store}");
                break;
            case InstanceStatus.Rejected:
                o.WriteLine($"Instance {i.Id} was rejected; it cannot continue. 'mdiflow audit {i.Id}{store}' shows who decided and why.");
                break;
            case InstanceStatus.Cancelled:
                o.WriteLine($"Instance {i.Id} was cancelled.");
                break;
            default:
                o.WriteLine($"Instance {i.Id} was interrupted ({InstanceView.Name(i.Status)}). Continue it:  mdiflow resume {i.Id}{store}");
                break;
        }

        return ExitCodes.For(i.Status);
    }
}
