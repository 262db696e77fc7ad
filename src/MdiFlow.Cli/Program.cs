using MdiFlow.Cli;

return await CliApplication.RunAsync(args).ConfigureAwait(false);
