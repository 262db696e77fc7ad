using MdiFlow.Benchmarks.Harness;

return await BenchmarkHarness.RunAsync(args, Console.Out, CancellationToken.None).ConfigureAwait(false);
