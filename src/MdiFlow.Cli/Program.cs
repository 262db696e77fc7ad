using MdiFlow.Cli;
using MdiFlow.Lab.StandIn;

// The lab's stand-in for "Azure ATP sensor Setup.exe" runs as this same program, before any parsing,
// so that its switches (/quiet, AccessKeyFile=...) reach it exactly as a real setup would see them.
if (args is ["lab-setup", .. var setupArguments])
{
    return await SetupStandIn.RunAsync(setupArguments, Console.Out).ConfigureAwait(false);
}

return await CliApplication.RunAsync(args).ConfigureAwait(false);
