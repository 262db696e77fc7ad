using MdiFlow.Lab.StandIn;

return await SetupStandIn.RunAsync(args, Console.Out);
