using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Serialization;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Core.Tests.Storage;

public sealed class InstanceDocumentTests
{
    private readonly FakeTimeProvider _time = new(TestInstances.Start);

    [Fact]
    public void The_document_is_the_instance_in_MdiFlowJson_form_without_its_definition()
    {
        var (instance, _) = TestInstances.MidRun(_time);
        instance.LabelMap["lab.profile"] = "no-licence";
        instance.Steps[2].SeriesStartedAt = _time.GetUtcNow().ToOffset(TimeSpan.FromHours(-5));

        var document = InstanceDocument.Serialize(instance);

        document.Should().Be(JsonSerializer.Serialize(instance, MdiFlowJson.Options));
        var json = JsonNode.Parse(document)!.AsObject();
        json.ContainsKey("definition").Should().BeFalse();
        json["status"]!.GetValue<string>().Should().Be("scheduled");
        json["steps"]![2]!["error"]!["code"]!.GetValue<string>().Should().Be("process.exitCode");
    }

    [Fact]
    public void A_document_reads_back_into_the_same_instance_and_a_stored_definition_is_attached_as_a_copy()
    {
        var (instance, _) = TestInstances.MidRun(_time);
        var stored = (JsonObject)instance.Definition.DeepClone();

        var read = InstanceDocument.Deserialize(InstanceDocument.Serialize(instance), stored);

        InstanceDocument.Serialize(read).Should().Be(InstanceDocument.Serialize(instance));
        JsonNode.DeepEquals(read.Definition, stored).Should().BeTrue();
        read.Definition.Should().NotBeSameAs(stored);
        read.Definition["title"] = "changed";
        stored["title"]!.GetValue<string>().Should().Be("Deploy the Defender for Identity sensor");
    }

    [Fact]
    public void A_document_of_schema_1_with_its_definition_inside_still_reads()
    {
        var (instance, _) = TestInstances.MidRun(_time);
        var old = JsonNode.Parse(InstanceDocument.Serialize(instance))!.AsObject();
        old["definition"] = instance.Definition.DeepClone();

        var read = InstanceDocument.Deserialize(old.ToJsonString());

        InstanceDocument.Serialize(read).Should().Be(InstanceDocument.Serialize(instance));
    }

    [Fact]
    public void Text_that_is_not_a_document_is_a_corrupt_store()
    {
        var act = () => InstanceDocument.Deserialize("{not json");

        act.Should().Throw<StoreException>().WithMessage("An instance document cannot be read (*): the store is corrupt.");
    }
}
