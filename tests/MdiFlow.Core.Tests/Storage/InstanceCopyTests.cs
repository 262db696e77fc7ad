using System.Reflection;
using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Core.Tests.Storage;

public sealed class InstanceCopyTests
{
    private readonly FakeTimeProvider _time = new(TestInstances.Start);

    [Theory]
    [InlineData(typeof(WorkflowInstance), "Id,WorkflowId,WorkflowVersion,DefinitionHash,Definition,Inputs,SecretReferences,SecretMap,Status,Version,CreatedAt,UpdatedAt,Requester,IsRehearsal,Labels,LabelMap,Steps,StepList,Lease,LeaseToken,DueAt,JournalSeq,JournalHead")]
    [InlineData(typeof(StepState), "Id,Uses,Status,Attempts,SeriesStart,SeriesStartedAt,StartedAt,EndedAt,Output,Error,NotRetried,SkipReason,Gate,SecretFiles,Host")]
    public void Every_property_of_the_model_is_one_InstanceCopy_copies_and_compares(Type type, string copied)
    {
        // The public ones, and the internal ones a store keeps (the read-only views' backing collections).
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(p => p.GetMethod!.IsPublic || p.IsDefined(typeof(System.Text.Json.Serialization.JsonIncludeAttribute)))
            .Select(p => p.Name).Order(StringComparer.Ordinal);

        properties.Should().Equal(copied.Split(',').Order(StringComparer.Ordinal), $"a property added to {type.Name} must be copied and compared in InstanceCopy (then listed here)");
    }

    [Fact]
    public void A_copy_has_everything_and_shares_nothing_mutable()
    {
        var (instance, _) = TestInstances.MidRun(_time);
        var definition = (JsonObject)instance.Definition.DeepClone();

        var copy = InstanceCopy.Of(instance, 7, definition);

        copy.Version.Should().Be(7);
        copy.Definition.Should().BeSameAs(definition);
        instance.Version = 7;
        InstanceDocument.Serialize(copy).Should().Be(InstanceDocument.Serialize(instance));
        copy.Inputs.Should().NotBeSameAs(instance.Inputs);
        copy.SecretReferences.Should().NotBeSameAs(instance.SecretReferences);
        copy.Steps.Should().NotBeSameAs(instance.Steps);
        copy.Steps.Zip(instance.Steps).Should().OnlyContain(p => !ReferenceEquals(p.First, p.Second));
        copy.Steps[0].Output.Should().NotBeSameAs(instance.Steps[0].Output);
        copy.Steps[1].Gate!.Details.Should().NotBeSameAs(instance.Steps[1].Gate!.Details);
    }

    [Fact]
    public void The_next_copy_shares_the_steps_that_did_not_change_and_copies_the_ones_that_did()
    {
        var (instance, _) = TestInstances.MidRun(_time);
        var previous = InstanceCopy.Of(instance, 1, instance.Definition);
        instance.Steps[2].Attempts++;

        var next = InstanceCopy.Next(instance, 2, previous);

        next.Steps[0].Should().BeSameAs(previous.Steps[0]);
        next.Steps[1].Should().BeSameAs(previous.Steps[1]);
        next.Steps[2].Should().NotBeSameAs(previous.Steps[2]);
        next.Steps[2].Attempts.Should().Be(4);
        next.Inputs.Should().BeSameAs(previous.Inputs);
        next.Definition.Should().BeSameAs(previous.Definition);
        instance.Version = 2;
        InstanceDocument.Serialize(next).Should().Be(InstanceDocument.Serialize(instance));
    }

    [Fact]
    public void A_change_in_place_is_seen_even_when_the_references_stay_the_same()
    {
        var (instance, _) = TestInstances.MidRun(_time);
        var previous = InstanceCopy.Of(instance, 1, instance.Definition);
        instance.Steps[0].Output!["headers"]!["x-ms-request-id"] = "decaf";
        instance.Steps[1].Gate!.Details["minApprovals"] = 3;
        instance.Inputs["maxParallel"] = 4;
        instance.SecretMap["accessKey"] = "env:ROTATED";
        instance.Steps[2].StartedAt = instance.Steps[2].StartedAt!.Value.ToOffset(TimeSpan.FromHours(1));

        var next = InstanceCopy.Next(instance, 2, previous);

        next.Steps.Select((s, i) => ReferenceEquals(s, previous.Steps[i])).Should().Equal(false, false, false);
        next.Inputs.Should().NotBeSameAs(previous.Inputs);
        next.SecretReferences.Should().NotBeSameAs(previous.SecretReferences);
        instance.Version = 2;
        InstanceDocument.Serialize(next).Should().Be(InstanceDocument.Serialize(instance));
    }
}
