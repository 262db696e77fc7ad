using MdiFlow.Testing.Platforms;
using System.Diagnostics;
using MdiFlow.Plugins.Standard.Processes;
using MdiFlow.Plugins.Standard.Tests.Support;
using MdiFlow.Testing;

namespace MdiFlow.Plugins.Standard.Tests.Processes;

public sealed class ProcessRunActivityTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunActivity _activity = new();

    public void Dispose() => _temp.Dispose();

    [UnixFact]
    public async Task Completes_with_the_exit_code_and_output_tails()
    {
        var result = await _activity.RunAsync(new ProcessRunInput { File = "sh", Arguments = ["-c", "echo out; echo err >&2"] });

        var output = result.ShouldComplete<ProcessRunOutput>();
        output.ExitCode.Should().Be(0);
        output.StdoutTail.Should().Be("out", "the final line break is not part of the value");
        output.StderrTail.Should().Be("err");
    }

    [UnixFact]
    public async Task Arguments_reach_the_program_verbatim()
    {
        string[] arguments = ["a b", "q\"uote", "it's", "", "back\\slash", "$HOME", "*", "semi;colon"];

        var result = await _activity.RunAsync(new ProcessRunInput { File = "printf", Arguments = ["[%s]\\n", .. arguments] });

        result.ShouldComplete<ProcessRunOutput>().StdoutTail
            .Should().Be(string.Concat(arguments.Select(a => $"[{a}]\n")).TrimEnd('\n'));
    }

    [UnixFact]
    public async Task The_child_sees_the_instance_step_attempt_and_recovery_flag()
    {
        var input = new ProcessRunInput { File = "sh", Arguments = ["-c", "echo \"$MDIFLOW_INSTANCE_ID $MDIFLOW_STEP $MDIFLOW_ATTEMPT $MDIFLOW_RECOVERY\""] };

        var recovered = await _activity.ExecuteAsync(ActivityHarness.Context(input, attempt: 3, isRecovery: true, step: "install"));
        var fresh = await _activity.ExecuteAsync(ActivityHarness.Context(input));

        recovered.ShouldComplete<ProcessRunOutput>().StdoutTail.Should().Be("test0000000000000000000000 install 3 true");
        fresh.ShouldComplete<ProcessRunOutput>().StdoutTail.Should().Be("test0000000000000000000000 step 1 false");
    }

    [UnixFact]
    public async Task An_exit_code_that_retryableExitCodes_does_not_list_is_permanent_and_says_so()
    {
        var result = await _activity.RunAsync(new ProcessRunInput { File = "sh", Arguments = ["-c", "exit 3"], RetryableExitCodes = [1, 2] });

        var error = result.ShouldFail("process.exitCode");
        error.Permanent.Should().BeTrue();
        error.Message.Should().Be("'sh' (step 'step') exited with code 3; the step counts only 0 as success. Its retryableExitCodes (1, 2) do not list 3, so no retry follows.");
    }

    [UnixFact]
    public async Task An_exit_code_that_retryableExitCodes_lists_stays_retryable()
    {
        var result = await _activity.RunAsync(new ProcessRunInput { File = "sh", Arguments = ["-c", "exit 2"], RetryableExitCodes = [1, 2] });

        result.ShouldFail("process.exitCode").Permanent.Should().BeFalse();
    }

    [UnixFact]
    public async Task An_exit_code_outside_the_success_codes_fails_retryably_with_the_stderr_tail_in_the_details()
    {
        var result = await _activity.RunAsync(new ProcessRunInput { File = "sh", Arguments = ["-c", "echo 'disk full' >&2; exit 3"] });

        var error = result.ShouldFail("process.exitCode");
        error.Message.Should().Be("'sh' (step 'step') exited with code 3; the step counts only 0 as success.");
        error.Permanent.Should().BeFalse();
        error.Details.Should().Contain("exitCode", "3").And.Contain("stderrTail", "disk full");
        error.Fix.Should().Contain("successExitCodes");
    }

    [UnixFact]
    public async Task A_listed_non_zero_exit_code_counts_as_success()
    {
        var result = await _activity.RunAsync(new ProcessRunInput { File = "sh", Arguments = ["-c", "exit 3"], SuccessExitCodes = [0, 3] });

        result.ShouldComplete<ProcessRunOutput>().ExitCode.Should().Be(3);
    }

    [UnixFact]
    public async Task An_empty_success_code_list_is_an_invalid_input()
    {
        var result = await _activity.RunAsync(new ProcessRunInput { File = "true", SuccessExitCodes = [] });

        result.ShouldFail("activity.invalidInput").Message.Should().Contain("'successExitCodes' is an empty list");
    }

    [UnixFact]
    public async Task Keeps_only_the_last_4_KB_of_a_long_output()
    {
        var result = await _activity.RunAsync(new ProcessRunInput { File = "seq", Arguments = ["1", "20000"] });

        var tail = result.ShouldComplete<ProcessRunOutput>().StdoutTail;
        tail.Length.Should().Be(ProcessRunActivity.TailCharacters - 1, "the last 4 KB, less the final line break");
        tail.Should().EndWith("\n19999\n20000");
    }

    [Fact]
    public async Task A_missing_program_path_fails_with_process_notFound()
    {
        var missing = _temp.Combine("no-such-tool");

        var error = (await _activity.RunAsync(new ProcessRunInput { File = missing })).ShouldFail("process.notFound");

        error.Message.Should().Be($"The program '{missing}' of step 'step' does not exist.");
    }

    [Fact]
    public async Task A_program_not_on_PATH_fails_with_process_notFound()
    {
        var error = (await _activity.RunAsync(new ProcessRunInput { File = "mdiflow-no-such-tool" })).ShouldFail("process.notFound");

        error.Message.Should().Be("The program 'mdiflow-no-such-tool' of step 'step' was not found on PATH.");
    }

    [UnixFact]
    public async Task A_file_without_execute_permission_fails_with_process_startFailed()
    {
        await File.WriteAllTextAsync(_temp.Combine("script.sh"), "#!/bin/sh\necho hi\n");

        var result = await _activity.RunAsync(new ProcessRunInput { File = _temp.Combine("script.sh") });

        result.ShouldFail("process.startFailed").Message.Should().Contain("could not be started");
    }

    [UnixFact]
    public async Task Runs_in_the_working_directory_and_finds_relative_programs_there()
    {
        await File.WriteAllTextAsync(_temp.Combine("run.sh"), "#!/bin/sh\npwd\n");
        _temp.MakeExecutable("run.sh");

        var result = await _activity.RunAsync(new ProcessRunInput { File = "./run.sh", WorkingDirectory = _temp.Path });

        result.ShouldComplete<ProcessRunOutput>().StdoutTail.Should().Be(_temp.Path);
    }

    [Fact]
    public async Task A_missing_working_directory_fails_with_a_clear_code()
    {
        var result = await _activity.RunAsync(new ProcessRunInput { File = "true", WorkingDirectory = _temp.Combine("nowhere") });

        result.ShouldFail("process.workingDirectoryNotFound").Message.Should().Be($"The working directory '{_temp.Combine("nowhere")}' of step 'step' does not exist.");
    }

    [UnixFact]
    public async Task A_program_past_its_timeout_is_killed_and_the_failure_is_retryable()
    {
        var clock = Stopwatch.StartNew();

        var result = await _activity.RunAsync(new ProcessRunInput { File = "sleep", Arguments = ["30"], Timeout = "PT0.3S" });

        var error = result.ShouldFail("process.timedOut");
        error.Permanent.Should().BeFalse();
        error.Message.Should().Be("'sleep' (step 'step') was still running after its timeout of PT0.3S; it and every process it started were killed.");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [LinuxFact]
    public async Task A_timeout_kills_the_whole_process_tree()
    {
        // The shell starts a grandchild that holds stdout open; the activity returns only once it is gone.
        var result = await _activity.RunAsync(new ProcessRunInput { File = "sh", Arguments = ["-c", "sleep 30 & echo $!; wait"], Timeout = "PT0.5S" });

        var error = result.ShouldFail("process.timedOut");
        var grandchild = int.Parse(error.Details!["stdoutTail"].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        IsAlive(grandchild).Should().BeFalse();
    }

    [UnixFact]
    public async Task Cancellation_kills_the_program_and_propagates()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        var act = async () => await _activity.RunAsync(new ProcessRunInput { File = "sleep", Arguments = ["30"] }, cancellationToken: cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_timeout_that_does_not_parse_is_an_invalid_input()
    {
        var result = await _activity.RunAsync(new ProcessRunInput { File = "true", Timeout = "5 minutes" });

        result.ShouldFail("activity.invalidInput").Message.Should().Contain("'timeout' is \"5 minutes\"");
    }

    [Fact]
    public async Task Elevated_fails_with_process_notElevated_when_the_host_is_not_elevated()
    {
        var activity = new ProcessRunActivity(isElevated: () => false);

        var error = (await activity.RunAsync(new ProcessRunInput { File = "true", Elevated = true })).ShouldFail("process.notElevated");

        var how = OperatingSystem.IsWindows() ? "elevated (Run as administrator)" : "as root";
        error.Message.Should().Be($"Step 'step' runs 'true' with 'elevated: true', but MdiFlow is not running {how}. MdiFlow never elevates by itself.");
        error.Fix.Should().NotBeNullOrEmpty();
    }

    [UnixFact]
    public async Task Elevated_runs_the_program_when_the_host_is_elevated()
    {
        var activity = new ProcessRunActivity(isElevated: () => true);

        var result = await activity.RunAsync(new ProcessRunInput { File = "true", Elevated = true });

        result.ShouldComplete<ProcessRunOutput>().ExitCode.Should().Be(0);
    }

    [Fact]
    public void The_real_elevation_check_matches_the_runtime_on_Unix()
    {
        if (!OperatingSystem.IsWindows())
        {
            Elevation.IsElevated().Should().Be(Environment.IsPrivilegedProcess);
        }
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        // A killed process nobody has reaped yet is a zombie: dead, but still listed.
        var text = File.ReadAllText(stat);
        return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
    }
}
