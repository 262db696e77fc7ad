using System.Text.Json.Nodes;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MdiFlow.Web.Tests.Pages;

/// <summary>"Assign to me" on a manual task of the change board, in Chromium, signed in through the lab issuer.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class AssignToMeBrowserTests(Chromium chromium, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Step = "portal";

    private WebHarness _web = null!;

    public async Task InitializeAsync() => _web = await WebHarness.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task Carol_takes_the_task_then_dave_sees_no_complete_button_his_forged_posts_are_refused_with_403_and_nothing_recorded_and_carol_completes_it()
    {
        var id = await _web.StartWaitingAsync(requester: "alice", workflow: WebHarness.TaskWorkflow);
        await using var carolsBrowser = await chromium.NewContextAsync();
        var carol = await LabSignIn.OpenSignedInAsync(carolsBrowser, _web, _web.GateUrl(id, Step), "carol");
        (await carol.Locator("#assigned-to").InnerTextAsync()).Should().Contain("nobody yet");
        (await carol.Locator("#unassign").CountAsync()).Should().Be(0);
        await Screenshots.TakeAsync(carol, "task", output);

        await carol.ClickAsync("#assign");
        await carol.WaitForURLAsync(u => u.EndsWith($"/gates/{Step}?done=assign", StringComparison.Ordinal));

        (await carol.Locator(".notice").InnerTextAsync()).Should().Contain("The task is yours");
        (await carol.Locator("#assigned-to").InnerTextAsync()).Should().StartWith("carol");
        (await carol.Locator("#assign").CountAsync()).Should().Be(0);
        (await carol.Locator("#unassign").InnerTextAsync()).Should().Be("Give it back");
        (await carol.Locator("#complete").CountAsync()).Should().Be(1);
        var assigned = (await _web.JournalAsync(id)).Single(e => e.Kind == "gate.assigned");
        (assigned.Actor, assigned.ActorSource, assigned.Step).Should().Be(("carol", ActorSources.OpenIdConnect, Step));
        JsonNode.Parse(assigned.Data!)!["to"]!.GetValue<string>().Should().Be("carol");
        await Screenshots.TakeAsync(carol, "task-assigned", output);

        await using var davesBrowser = await chromium.NewContextAsync();
        var dave = await LabSignIn.OpenSignedInAsync(davesBrowser, _web, _web.Address, "dave");
        (await dave.Locator("#all").InnerTextAsync()).Should().Contain("Create the sensor in the portal").And.Contain("assigned to carol");
        (await dave.Locator("#mine").CountAsync()).Should().Be(0, "a task carol took waits for her, not for dave");
        await Screenshots.TakeAsync(dave, "inbox-assigned", output);
        await dave.GotoAsync(_web.GateUrl(id, Step).ToString());
        (await dave.Locator("#assigned-to").InnerTextAsync()).Should().StartWith("carol");
        (await dave.Locator("#complete").CountAsync()).Should().Be(0);
        (await dave.Locator("#reject").CountAsync()).Should().Be(0);
        (await dave.Locator("#assign").CountAsync()).Should().Be(0);
        (await dave.Locator("#why").InnerTextAsync()).Should().Contain("is assigned to carol; only they may complete or reject it");
        (await dave.Locator("#unassign").InnerTextAsync()).Should().Be("Unassign carol", "the engine lets any assignee give a taken task back");

        var before = await _web.JournalAsync(id);
        var token = await dave.InputValueAsync("header input[name=__RequestVerificationToken]");
        var forgedComplete = await ForgeAsync(davesBrowser, id, token, "complete", "done by dave");
        var forgedAssign = await ForgeAsync(davesBrowser, id, token, "assign", null);

        forgedComplete.Status.Should().Be(403, await forgedComplete.TextAsync());
        (await forgedComplete.TextAsync()).Should().Contain("is assigned to carol; only they may complete or reject it");
        forgedAssign.Status.Should().Be(403, await forgedAssign.TextAsync());
        (await forgedAssign.TextAsync()).Should().Contain("is assigned to carol; it must be unassigned before someone else takes it");
        (await _web.JournalAsync(id)).Should().HaveCount(before.Count);
        var still = await _web.Engine.GetAsync(id);
        still.Status.Should().Be(InstanceStatus.Waiting);
        ManualTaskGate.From(still.FindStep(Step)!.Gate!.Details).AssignedTo.Should().Be("carol");

        await carol.FillAsync("#complete-text", "Sensor DC01 added in the portal; access key id 4711.");
        await carol.ClickAsync("#complete");
        await carol.WaitForURLAsync(u => u.Contains($"/instances/{id}?done=complete", StringComparison.Ordinal));

        (await carol.Locator(".notice").InnerTextAsync()).Should().Contain("recorded as completed");
        var satisfied = (await _web.JournalAsync(id)).Single(e => e.Kind == "gate.satisfied");
        (satisfied.Actor, satisfied.ActorSource).Should().Be(("carol", ActorSources.OpenIdConnect));
        JsonNode.Parse(satisfied.Data!)!["evidence"]!.GetValue<string>().Should().Be("Sensor DC01 added in the portal; access key id 4711.");
        (await _web.Engine.GetAsync(id)).Status.Should().Be(InstanceStatus.Ready);
        (await _web.Engine.VerifyAsync(id)).Verified.Should().BeTrue();
    }

    [Fact]
    public async Task Carol_gives_the_task_back_and_then_dave_may_take_it()
    {
        var id = await _web.StartWaitingAsync(requester: "alice", workflow: WebHarness.TaskWorkflow);
        await using var carolsBrowser = await chromium.NewContextAsync();
        var carol = await LabSignIn.OpenSignedInAsync(carolsBrowser, _web, _web.GateUrl(id, Step), "carol");
        await carol.ClickAsync("#assign");
        await carol.WaitForURLAsync(u => u.EndsWith("?done=assign", StringComparison.Ordinal));

        await carol.ClickAsync("#unassign");
        await carol.WaitForURLAsync(u => u.EndsWith("?done=unassign", StringComparison.Ordinal));

        (await carol.Locator(".notice").InnerTextAsync()).Should().Contain("given back");
        (await carol.Locator("#assigned-to").InnerTextAsync()).Should().Contain("nobody yet");
        await using var davesBrowser = await chromium.NewContextAsync();
        var dave = await LabSignIn.OpenSignedInAsync(davesBrowser, _web, _web.GateUrl(id, Step), "dave");
        await dave.ClickAsync("#assign");
        await dave.WaitForURLAsync(u => u.EndsWith("?done=assign", StringComparison.Ordinal));
        (await dave.Locator("#assigned-to").InnerTextAsync()).Should().StartWith("dave");
        (await _web.JournalAsync(id)).Where(e => e.Kind is "gate.assigned" or "gate.unassigned").Select(e => (e.Kind, e.Actor))
            .Should().Equal(("gate.assigned", "carol"), ("gate.unassigned", "carol"), ("gate.assigned", "dave"));
    }

    private Task<IAPIResponse> ForgeAsync(IBrowserContext browser, InstanceId id, string token, string action, string? text)
    {
        var form = browser.APIRequest.CreateFormData().Set("__RequestVerificationToken", token).Set("action", action);
        if (text is not null)
        {
            form.Set("text", text);
        }

        return browser.APIRequest.PostAsync(_web.DecisionUrl(id, Step).ToString(), new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
    }
}
